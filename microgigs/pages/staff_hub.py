"""Career-center staff: one page leading to each staff page (the header has one "Staff" link)."""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import when_allowed
from microgigs.components.titles import page_title
from microgigs.state.staff import StaffHubState as S


def staff_pages() -> tuple:
    """(title, address, what the page is for), in the order staff most often need them."""
    return (
        (t("Insights"), "/staff/insights", t("Outcomes and equity: charts, the same figures as tables, CSV exports.")),
        (t("Money"), "/staff/money", t("All the money at a glance, failed payouts to retry, reconciliation.")),
        (t("Moderation"), "/staff/gigs", t("Gigs waiting for review before they open.")),
        (t("Prohibited content"), "/staff/terms", t("The words a gig may not contain.")),
        (t("Employers"), "/staff/employers", t("Employers to vet: approve, reject or suspend with a reason.")),
        (t("Disputes"), "/staff/disputes", t("Open disputes between students and employers, to mediate and decide.")),
        (t("Skills"), "/staff/skills", t("The skill list students and gigs choose from.")),
        (t("Audit"), "/staff/audit", t("Who did what and when, and who viewed a student's details.")),
        (t("Outbox"), "/admin/outbox", t("The mail MicroGigs sent or kept; send a failed one again.")),
    )


def admin_pages() -> tuple:
    return ((t("Settings"), "/admin/settings", t("The center's name, logo, colours, pages, currency and fees.")),)


def hub_card(title: rx.Var, href: str, text: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.heading(rx.link(title, href=href), as_="h2", size="4"),
            rx.text(text, size="2", color="var(--gray-11)", as_="p"),
            height="100%",
        ),
        class_name="hub-item",
    )


def staff_hub() -> rx.Component:
    return page_layout(
        when_allowed(
            S,
            rx.el.ul(
                *(hub_card(*entry) for entry in staff_pages()),
                rx.cond(S.is_admin, rx.fragment(*(hub_card(*entry) for entry in admin_pages()))),
                class_name="hub-list",
            ),
            t("Only career-center staff can open the staff pages."),
        ),
        heading=t("Staff"),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_hub, route="/staff", title=page_title("Staff"), on_load=S.load_hub)

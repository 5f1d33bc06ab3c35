"""Career-center staff: one page leading to each staff page (the header has one "Staff" link)."""

import reflex as rx

from microgigs.components.layout import page_layout
from microgigs.components.panels import when_allowed
from microgigs.components.titles import page_title
from microgigs.state.staff import StaffHubState as S

# (title, address, what the page is for), in the order staff most often need them.
STAFF_PAGES = (
    ("Insights", "/staff/insights", "Outcomes and equity: charts, the same figures as tables, CSV exports."),
    ("Money", "/staff/money", "All the money at a glance, failed payouts to retry, reconciliation."),
    ("Moderation", "/staff/gigs", "Gigs waiting for review before they open."),
    ("Prohibited content", "/staff/terms", "The words a gig may not contain."),
    ("Employers", "/staff/employers", "Employers to vet: approve, reject or suspend with a reason."),
    ("Disputes", "/staff/disputes", "Open disputes between students and employers, to mediate and decide."),
    ("Skills", "/staff/skills", "The skill list students and gigs choose from."),
    ("Audit", "/staff/audit", "Who did what and when, and who viewed a student's details."),
    ("Outbox", "/admin/outbox", "The mail MicroGigs sent or kept; send a failed one again."),
)
ADMIN_PAGES = (("Settings", "/admin/settings", "The center's name, logo, colours, pages, currency and fees."),)


def hub_card(title: str, href: str, text: str) -> rx.Component:
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
                *(hub_card(*entry) for entry in STAFF_PAGES),
                rx.cond(S.is_admin, rx.fragment(*(hub_card(*entry) for entry in ADMIN_PAGES))),
                class_name="hub-list",
            ),
            "Only career-center staff can open the staff pages.",
            "Loading…",
        ),
        heading="Staff",
    )


def register(app: rx.App) -> None:
    app.add_page(staff_hub, route="/staff", title=page_title("Staff"), on_load=S.load_hub)

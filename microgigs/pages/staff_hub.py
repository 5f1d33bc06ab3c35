"""Career-center staff: one page leading to each staff page (the header has one "Staff" link)."""

import reflex as rx

from microgigs.components.layout import page_layout
from microgigs.components.panels import when_allowed
from microgigs.state.staff import StaffHubState as S

# (title, address, what the page is for), in the order staff most often need them.
STAFF_PAGES = (
    ("Insights", "/staff/insights", "Gigs, applications, completions and pay over time; export as CSV."),
    ("Money", "/staff/money", "Every payment, payout and refund, and the platform's fees."),
    ("Moderation", "/staff/gigs", "Gigs waiting for review before they open: approve or reject them."),
    ("Prohibited content", "/staff/terms", "The words and topics a gig may not contain."),
    ("Employers", "/staff/employers", "Vet employers that signed up; suspend or reinstate them."),
    ("Disputes", "/staff/disputes", "Disagreements between students and employers to mediate."),
    ("Skills", "/staff/skills", "The skill list students and gigs choose from."),
    ("Audit", "/staff/audit", "Who did what and when, and who viewed a student's details."),
    ("Outbox", "/admin/outbox", "Mail the platform sent or could not send; send it again."),
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
    app.add_page(staff_hub, route="/staff", title="Staff · MicroGigs", on_load=S.load_hub)

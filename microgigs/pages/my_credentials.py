"""/credentials: a student's verifiable credentials, one per approved gig."""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import badge, fact, facts, inline_error, loading_note, row_card, rows_or_empty
from microgigs.components.titles import page_title
from microgigs.state.credentials import MyCredentialsState as S


def credential_row(item) -> rx.Component:
    return row_card(
        rx.flex(
            rx.link(item.title, href="/credentials/" + item.public_id, weight="bold"),
            badge(item.status),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        facts(fact(t("Employer"), item.employer), fact(t("Issued on"), item.issued_on), fact(t("Work"), item.hours)),
        aria_label=item.title,
    )


def my_credentials() -> rx.Component:
    return page_layout(
        rx.text(t("Each approved gig earns a credential signed by the career center. Share its link; anyone can verify it.")),
        inline_error(S.error),
        rx.cond(
            S.loaded,
            rows_or_empty(S.items, credential_row, t("No credentials yet: they arrive when a manager approves your work.")),
            loading_note(t("Loading…")),
        ),
        heading=t("My credentials"),
    )


def register(app: rx.App) -> None:
    app.add_page(my_credentials, route="/credentials", title=page_title("My credentials"), on_load=S.load)

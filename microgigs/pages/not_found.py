"""Any address MicroGigs has no page for (a mistyped or old link): said in the reader's language,
inside the usual header and footer, with the ways back."""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.titles import page_title
from microgigs.state.shell import ShellState


def not_found() -> rx.Component:
    return page_layout(
        rx.text(t("There is no page at this address. The link may be mistyped, or the page may have moved.")),
        rx.text(
            rx.link(t("Find a gig on the board"), href="/", underline="always"),
            " · ",
            rx.link(t("Go to your dashboard"), href="/dashboard", underline="always"),
            size="2",
        ),
        heading=t("Page not found"),
    )


def register(app: rx.App) -> None:
    # Reflex serves its "404" page for every address no other page matches.
    app.add_page(not_found, route="404", title=page_title("Page not found"), on_load=ShellState.load_shell)

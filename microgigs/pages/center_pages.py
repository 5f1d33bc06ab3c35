"""The center's help, terms and privacy pages (/help, /terms, /privacy): its own text, or the
general one while it has written none, and where to write with questions."""

import reflex as rx

from microgigs.components.i18n import t, translated
from microgigs.components.layout import page_layout
from microgigs.components.markdown import markdown_block
from microgigs.components.panels import stack, when_loaded
from microgigs.components.titles import page_title
from microgigs.services import center_pages
from microgigs.state.center_pages import ROUTES
from microgigs.state.center_pages import CenterPageState as S


def contact_line() -> rx.Component:
    return rx.cond(
        S.contact_email != "",
        rx.text(
            # The address is a link inside the sentence: the sentence's two sides are translated.
            t("Questions? Write to"),
            " ",
            rx.link(S.contact_email, href="mailto:" + S.contact_email, underline="always"),
            ".",
            as_="p",
            size="3",
            class_name="footer-contact",
        ),
    )


def center_page(which: str):
    """The view of one of the three pages."""

    def view() -> rx.Component:
        return page_layout(
            when_loaded(
                S.html.contains(which),
                stack(
                    markdown_block(S.html.get(which, ""), class_name="prose-page"),
                    contact_line(),
                    spacing="4",
                ),
            ),
            # The title is a msgid marked in services/center_pages.py.
            heading=translated(center_pages.page_title(which)),
        )

    view.__name__ = f"{which}_page"
    return view


def register(app: rx.App) -> None:
    for route, which in ROUTES.items():
        app.add_page(center_page(which), route=route, title=page_title(center_pages.page_title(which)), on_load=S.load_center_page)

"""Preview a draft: its card as the board shows it and its page as students will read it,
then post it or go back and edit it."""

import reflex as rx

from microgigs.components.forms import form_alert, success_note
from microgigs.components.gig_card import gig_card
from microgigs.components.i18n import t
from microgigs.components.layout import link_button, page_layout
from microgigs.components.panels import callout, not_found_card, stack
from microgigs.components.status_badge import status_badge
from microgigs.components.titles import page_title
from microgigs.components.url_object import for_this_url, text_for_this_url
from microgigs.pages.gig_detail import gig_content
from microgigs.services.statuses import GigStatus
from microgigs.state.preview_gig import ROUTE
from microgigs.state.preview_gig import PreviewGigState as S


def _heading() -> rx.Var:
    return text_for_this_url(S, rx.cond(S.found, t("Preview: {title}", title=S.card.title), t("Gig not found")), t("Loading preview…"))


def actions() -> rx.Component:
    return stack(
        form_alert(S.post_error),
        rx.cond(
            S.post_problems.length() > 0,
            rx.el.ul(
                rx.foreach(S.post_problems, lambda p: rx.el.li(rx.text(p, size="2"))), style={"margin": "0", "padding_left": "1.25rem"}
            ),
        ),
        rx.cond(
            S.posted_status == GigStatus.IN_REVIEW,
            success_note(
                rx.text(
                    t(
                        "Submitted for review: “{title}”. The career center checks new gigs before they appear on the board; "
                        "follow it from your dashboard.",
                        title=S.card.title,
                    )
                )
            ),
        ),
        rx.flex(
            rx.cond(S.can_post, rx.button(t("Post gig"), size="3", on_click=S.post_draft)),
            rx.cond(S.can_post, link_button(t("Edit the draft"), S.edit_href, size="3", variant="outline")),
            rx.link(t("View the gig"), href=S.gig_href),
            rx.link(t("Go to your dashboard"), href="/dashboard"),
            spacing="4",
            align="center",
            wrap="wrap",
        ),
    )


def body() -> rx.Component:
    return stack(
        rx.flex(
            rx.text(S.card.employer, size="4", weight="medium"),
            status_badge(S.card.status),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            S.card.status == GigStatus.DRAFT,
            callout(
                "eye",
                t(
                    "This is how students will see your gig. It stays a draft, seen by no student, until you post it; "
                    "unless your employer is trusted, the career center reviews it first."
                ),
                color="indigo",
            ),
        ),
        actions(),
        rx.heading(t("On the board"), as_="h2", size="5"),
        rx.box(gig_card(S.card), width="100%", max_width="40rem"),
        rx.heading(t("On its own page"), as_="h2", size="5"),
        rx.card(gig_content(S, heading_tag="h3"), width="100%"),
        spacing="4",
        align="start",
    )


def preview_gig_page() -> rx.Component:
    return page_layout(
        for_this_url(S, rx.cond(S.found, body(), not_found_card(S.not_found_message, t("Go to your dashboard"))), t("Loading preview…")),
        heading=_heading(),
    )


def register(app: rx.App) -> None:
    app.add_page(
        preview_gig_page,
        route=ROUTE,
        title=page_title(
            text_for_this_url(S, rx.cond(S.found, t("Preview: {title}", title=S.card.title), t("Gig not found")), t("Preview"))
        ),
        on_load=S.load_preview,
    )

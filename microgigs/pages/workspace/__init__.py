"""The engagement workspace: what was agreed, what was handed in, and the next step for each
side. One module per section; each form's state is its own substate (microgigs/state/workspace)."""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import not_found_card, notice
from microgigs.components.titles import page_title
from microgigs.components.url_object import for_this_url, text_for_this_url
from microgigs.pages.workspace.after_gig import after_the_gig
from microgigs.pages.workspace.cancel import cancel_section
from microgigs.pages.workspace.deliverable import submit_section
from microgigs.pages.workspace.due_date import due_date_section
from microgigs.pages.workspace.header import follow_up, heading, money_news, scope, summary
from microgigs.pages.workspace.messages import messages_section
from microgigs.pages.workspace.milestones import milestones_section
from microgigs.pages.workspace.review import review_section
from microgigs.pages.workspace.submissions import history
from microgigs.state.workspace import ROUTE
from microgigs.state.workspace import EngagementState as S


def body() -> rx.Component:
    return rx.vstack(
        notice(S.notice),
        money_news(),
        summary(),
        rx.cond(S.finished, after_the_gig()),
        milestones_section(),
        history(),
        rx.cond(S.can_review, review_section()),
        rx.cond(S.can_submit, submit_section()),
        messages_section(),
        due_date_section(),
        scope(),
        rx.cond(S.can_cancel, cancel_section()),
        follow_up(),
        rx.link(t("Back to your dashboard"), href="/dashboard", size="2"),
        spacing="5",
        width="100%",
    )


def engagement_page() -> rx.Component:
    return page_layout(
        for_this_url(
            S,
            rx.cond(
                S.found, body(), not_found_card(t("This engagement does not exist, or it is not yours to see."), t("Go to your dashboard"))
            ),
            t("Loading workspace…"),
        ),
        heading=heading(),
    )


def register(app: rx.App) -> None:
    app.add_page(
        engagement_page,
        route=ROUTE,
        title=page_title(text_for_this_url(S, rx.cond(S.found, S.view.gig_title, t("Engagement not found")), t("Engagement"))),
        on_load=S.load_engagement,
    )

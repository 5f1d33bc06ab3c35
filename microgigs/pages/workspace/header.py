"""The top and bottom of the workspace: what was agreed (summary, scope), where the money
stands, and where to go next."""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.markdown import markdown_block
from microgigs.components.panels import badge, callout_note, demo_payments_badge, notice, section
from microgigs.components.url_object import text_for_this_url
from microgigs.state.workspace import EngagementState as S

V = S.view


def heading() -> rx.Var:
    return text_for_this_url(S, rx.cond(S.found, V.gig_title, t("Engagement not found")), t("Loading workspace…"))


def _item(label: rx.Var, value) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label, min_width="9rem"), rx.data_list.value(value))


def summary() -> rx.Component:
    return rx.card(
        rx.data_list.root(
            _item(t("Status"), badge(V.status)),
            _item(t("Employer"), V.employer),
            _item(t("Student"), V.student_name),
            _item(
                t("Pay"),
                rx.flex(rx.text(V.pay, weight="bold"), demo_payments_badge(V.payment_label), spacing="2", align="center", wrap="wrap"),
            ),
            _item(t("Platform fee"), V.fee),
            _item(t("Due"), V.due_date),
            _item(t("Revision rounds"), S.rounds_text),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            size="2",
        ),
        width="100%",
    )


def money_news() -> rx.Component:
    """Paid; or, while the work waits on money, where it stands (funding, a payout on its way)."""
    return rx.fragment(
        notice(S.paid_text),
        rx.cond(V.payment_note != "", callout_note(V.payment_note, role="status")),
    )


def scope() -> rx.Component:
    return section(
        t("Agreed scope"),
        rx.text(t("Locked when the student was accepted."), size="2", color="var(--gray-11)"),
        rx.card(markdown_block(V.scope_html), width="100%", variant="surface"),
    )


def follow_up() -> rx.Component:
    """Where to go next: reviews once the work has ended, a dispute while it is under way."""
    return rx.flex(
        rx.cond(S.reviews_open, rx.link(t("Reviews: rate each other"), href="/engagements/" + V.id.to_string() + "/review")),
        rx.cond(S.disputes_open, rx.link(t("Something wrong? Open a dispute"), href="/engagements/" + V.id.to_string() + "/dispute")),
        spacing="4",
        wrap="wrap",
    )

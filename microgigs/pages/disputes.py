"""Dispute pages: /engagements/<id>/dispute (open one), /disputes/<id> (thread and decision),
/staff/disputes (the queue)."""

import reflex as rx

from microgigs.components.forms import form_alert, form_column, select_input, submit_button, text_input, textarea_input
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.markdown import markdown_block
from microgigs.components.panels import badge, fact, facts, not_found_card, row_card, rows_or_empty, section, stack, when_allowed
from microgigs.components.titles import page_title
from microgigs.components.url_object import for_this_url, shows_this_url, text_for_this_url
from microgigs.state.disputes import OPEN_ROUTE, ROUTE, DisputeQueueState, DisputeState, OpenDisputeState

V = DisputeState.view
OUTCOMES = [
    ("pay_full", t("Pay the student in full")),
    ("pay_part", t("Pay the student part")),
    ("refund", t("Refund the employer")),
]


def open_dispute_page() -> rx.Component:
    return page_layout(
        rx.text(
            t(
                "Opening a dispute pauses the engagement and asks the career center to mediate. "
                "Say what went wrong; both sides and the career center will see it."
            )
        ),
        form_column(
            # An error from opening a dispute on another engagement stays off this one's page.
            rx.cond(shows_this_url(OpenDisputeState), form_alert(OpenDisputeState.error)),
            textarea_input(t("What went wrong"), "statement", max_length=5000, rows="6"),
            submit_button(t("Open dispute")),
            on_submit=OpenDisputeState.open,
            aria_label=t("Open a dispute"),
        ),
        heading=t("Open a dispute"),
    )


def decision_form() -> rx.Component:
    return form_column(
        rx.heading(t("Decide"), as_="h2", size="5"),
        form_alert(DisputeState.decision_error),
        select_input(t("Decision"), "outcome", OUTCOMES, placeholder=t("Choose…")),
        text_input(
            t("Part paid to the student ({currency})", currency=DisputeState.view.currency_name),
            "student_share",
            optional=True,
            hint=t("Only for a part payment."),
        ),
        textarea_input(t("Reasons for the decision"), "note", optional=True, max_length=1000, rows="3"),
        submit_button(t("Record decision")),
        on_submit=DisputeState.decide,
        aria_label=t("Decide the dispute"),
    )


def message_card(m) -> rx.Component:
    return row_card(
        rx.text(m.author, weight="bold", size="2"),
        markdown_block(m.body_html),
        rx.text(m.written_at, size="1", color="var(--gray-11)"),
    )


def dispute_page() -> rx.Component:
    body = stack(
        rx.link(t("Open the engagement workspace"), href="/engagements/" + V.engagement_id.to(str)),
        facts(
            fact(t("Status"), badge(rx.cond(V.status == "open", "disputed", "completed"))),
            fact(t("Pay held"), V.pay),
            fact(t("Opened by"), V.opened_by),
        ),
        section(t("Statement"), markdown_block(V.statement_html)),
        rx.cond(
            V.status == "decided",
            section(
                t("Decision"),
                rx.text(rx.match(V.outcome, *OUTCOMES, V.outcome), weight="bold"),
                rx.text(t("Paid to the student: {amount}", amount=V.student_share)),
                rx.cond(V.decision_note != "", markdown_block(V.decision_note_html)),
            ),
        ),
        section(t("Thread"), rows_or_empty(V.messages, message_card, t("No messages yet."), spacing="2")),
        rx.cond(
            V.status == "open",
            form_column(
                form_alert(DisputeState.message_error),
                textarea_input(t("Your message"), "body", max_length=5000, rows="3"),
                submit_button(t("Send message")),
                on_submit=DisputeState.post,
                spacing="2",
                reset_on_submit=True,
                aria_label=t("Write in the thread"),
            ),
        ),
        rx.cond(V.viewer_is_staff & (V.status == "open"), decision_form()),
        spacing="4",
    )
    return page_layout(
        for_this_url(
            DisputeState,
            rx.cond(
                DisputeState.found,
                body,
                not_found_card(t("This dispute does not exist, or it is not yours."), t("Go to your dashboard")),
            ),
            t("Loading…"),
        ),
        heading=text_for_this_url(
            DisputeState, rx.cond(DisputeState.found, t("Dispute: {title}", title=V.gig_title), t("Dispute")), t("Dispute")
        ),
    )


def queue_row(d) -> rx.Component:
    return row_card(rx.link(d[1], href="/disputes/" + d[0], weight="bold"), rx.text(t("Opened by {name}", name=d[2]), size="2"))


def dispute_queue_page() -> rx.Component:
    return page_layout(
        when_allowed(
            DisputeQueueState,
            rows_or_empty(DisputeQueueState.items, queue_row, t("No open disputes."), spacing="2"),
            not_found_card(t("This page is for career-center staff."), t("Go to your dashboard")),
            t("Loading…"),
        ),
        heading=t("Open disputes"),
    )


def register(app: rx.App) -> None:
    app.add_page(open_dispute_page, route=OPEN_ROUTE, title=page_title("Open a dispute"))
    app.add_page(dispute_page, route=ROUTE, title=page_title("Dispute"), on_load=DisputeState.load)
    app.add_page(dispute_queue_page, route="/staff/disputes", title=page_title("Disputes"), on_load=DisputeQueueState.load)

"""Dispute pages: /engagements/<id>/dispute (open one), /disputes/<id> (thread and decision),
/staff/disputes (the queue)."""

import reflex as rx

from microgigs.components.forms import form_alert, form_column, select_input, submit_button, text_input, textarea_input
from microgigs.components.layout import page_layout
from microgigs.components.markdown import markdown_block
from microgigs.components.panels import badge, fact, facts, not_found_card, row_card, rows_or_empty, section, stack, when_allowed
from microgigs.components.titles import page_title
from microgigs.components.url_object import for_this_url, shows_this_url, text_for_this_url
from microgigs.state.disputes import OPEN_ROUTE, ROUTE, DisputeQueueState, DisputeState, OpenDisputeState

V = DisputeState.view
OUTCOMES = [("pay_full", "Pay the student in full"), ("pay_part", "Pay the student part"), ("refund", "Refund the employer")]


def open_dispute_page() -> rx.Component:
    return page_layout(
        rx.text(
            "Opening a dispute pauses the engagement and asks the career center to mediate. "
            "Say what went wrong; both sides and the career center will see it."
        ),
        form_column(
            # An error from opening a dispute on another engagement stays off this one's page.
            rx.cond(shows_this_url(OpenDisputeState), form_alert(OpenDisputeState.error)),
            textarea_input("What went wrong", "statement", max_length=5000, rows="6"),
            submit_button("Open dispute"),
            on_submit=OpenDisputeState.open,
            aria_label="Open a dispute",
        ),
        heading="Open a dispute",
    )


def decision_form() -> rx.Component:
    return form_column(
        rx.heading("Decide", as_="h2", size="5"),
        form_alert(DisputeState.decision_error),
        select_input("Decision", "outcome", OUTCOMES),
        text_input(
            "Part paid to the student (" + DisputeState.view.currency_name + ")",
            "student_share",
            optional=True,
            hint="Only for a part payment.",
        ),
        textarea_input("Reasons for the decision", "note", optional=True, max_length=1000, rows="3"),
        submit_button("Record decision"),
        on_submit=DisputeState.decide,
        aria_label="Decide the dispute",
    )


def message_card(m) -> rx.Component:
    return row_card(
        rx.text(m.author, weight="bold", size="2"),
        markdown_block(m.body_html),
        rx.text(m.written_at, size="1", color="var(--gray-11)"),
    )


def dispute_page() -> rx.Component:
    body = stack(
        rx.link("Open the engagement workspace", href="/engagements/" + V.engagement_id.to(str)),
        facts(
            fact("Status", badge(rx.cond(V.status == "open", "disputed", "completed"))),
            fact("Pay held", V.pay),
            fact("Opened by", V.opened_by),
        ),
        section("Statement", markdown_block(V.statement_html)),
        rx.cond(
            V.status == "decided",
            section(
                "Decision",
                rx.text(rx.match(V.outcome, *OUTCOMES, V.outcome), weight="bold"),
                rx.text("Paid to the student: ", V.student_share),
                rx.cond(V.decision_note != "", markdown_block(V.decision_note_html)),
            ),
        ),
        section("Thread", rows_or_empty(V.messages, message_card, "No messages yet.", spacing="2")),
        rx.cond(
            V.status == "open",
            form_column(
                form_alert(DisputeState.message_error),
                textarea_input("Your message", "body", max_length=5000, rows="3"),
                submit_button("Send message"),
                on_submit=DisputeState.post,
                spacing="2",
                reset_on_submit=True,
                aria_label="Write in the thread",
            ),
        ),
        rx.cond(V.viewer_is_staff & (V.status == "open"), decision_form()),
        spacing="4",
    )
    return page_layout(
        for_this_url(DisputeState, rx.cond(DisputeState.found, body, not_found_card("This dispute does not exist, or it is not yours."))),
        heading=text_for_this_url(DisputeState, rx.cond(DisputeState.found, "Dispute: " + V.gig_title, "Dispute"), "Dispute"),
    )


def queue_row(d) -> rx.Component:
    return row_card(rx.link(d[1], href="/disputes/" + d[0], weight="bold"), rx.text("Opened by ", d[2], size="2"))


def dispute_queue_page() -> rx.Component:
    return page_layout(
        when_allowed(
            DisputeQueueState,
            rows_or_empty(DisputeQueueState.items, queue_row, "No open disputes.", spacing="2"),
            "This page is for career-center staff.",
        ),
        heading="Open disputes",
    )


def register(app: rx.App) -> None:
    app.add_page(open_dispute_page, route=OPEN_ROUTE, title=page_title("Open a dispute"))
    app.add_page(dispute_page, route=ROUTE, title=page_title("Dispute"), on_load=DisputeState.load)
    app.add_page(dispute_queue_page, route="/staff/disputes", title=page_title("Disputes"), on_load=DisputeQueueState.load)

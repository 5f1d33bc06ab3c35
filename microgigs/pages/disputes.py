"""Dispute pages: /engagements/<id>/dispute (open one), /disputes/<id> (thread and decision),
/staff/disputes (the queue)."""

import reflex as rx

from microgigs.components.forms import form_alert, select_input, submit_button, text_input, textarea_input
from microgigs.components.layout import page_layout
from microgigs.components.panels import PRE_WRAP, badge, empty_note, fact, facts, loading_note, not_found_card, row_card, section
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
        rx.form(
            rx.vstack(
                # An error from opening a dispute on another engagement stays off this one's page.
                rx.cond(shows_this_url(OpenDisputeState), form_alert(OpenDisputeState.error)),
                textarea_input("What went wrong", "statement", max_length=5000, rows="6"),
                submit_button("Open dispute"),
                spacing="3",
                align="start",
                width="100%",
            ),
            on_submit=OpenDisputeState.open,
            aria_label="Open a dispute",
            width="100%",
        ),
        heading="Open a dispute",
    )


def decision_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Decide", as_="h2", size="5"),
            form_alert(DisputeState.decision_error),
            select_input("Decision", "outcome", OUTCOMES),
            text_input("Part paid to the student (US dollars)", "student_share", optional=True, hint="Only for a part payment."),
            textarea_input("Reasons for the decision", "note", optional=True, max_length=1000, rows="3"),
            submit_button("Record decision"),
            spacing="3",
            align="start",
            width="100%",
        ),
        on_submit=DisputeState.decide,
        aria_label="Decide the dispute",
        width="100%",
    )


def dispute_page() -> rx.Component:
    thread = rx.foreach(
        V.messages,
        lambda m: row_card(
            rx.text(m.author, weight="bold", size="2"),
            rx.text(m.body, style=PRE_WRAP),
            rx.text(m.written_at, size="1", color="var(--gray-11)"),
        ),
    )
    body = rx.vstack(
        rx.link("Open the engagement workspace", href="/engagements/" + V.engagement_id.to(str)),
        facts(
            fact("Status", badge(rx.cond(V.status == "open", "disputed", "completed"))),
            fact("Pay held", V.pay),
            fact("Opened by", V.opened_by),
        ),
        section("Statement", rx.text(V.statement, style=PRE_WRAP)),
        rx.cond(
            V.status == "decided",
            section(
                "Decision",
                rx.text(rx.match(V.outcome, *OUTCOMES, V.outcome), weight="bold"),
                rx.text("Paid to the student: ", V.student_share),
                rx.cond(V.decision_note != "", rx.text(V.decision_note, style=PRE_WRAP)),
            ),
        ),
        section("Thread", rx.cond(V.messages.length() > 0, rx.vstack(thread, spacing="2", width="100%"), empty_note("No messages yet."))),
        rx.cond(
            V.status == "open",
            rx.form(
                rx.vstack(
                    form_alert(DisputeState.message_error),
                    textarea_input("Your message", "body", max_length=5000, rows="3"),
                    submit_button("Send message"),
                    spacing="2",
                    align="start",
                    width="100%",
                ),
                on_submit=DisputeState.post,
                reset_on_submit=True,
                aria_label="Write in the thread",
                width="100%",
            ),
        ),
        rx.cond(V.viewer_is_staff & (V.status == "open"), decision_form()),
        spacing="4",
        width="100%",
    )
    return page_layout(
        for_this_url(DisputeState, rx.cond(DisputeState.found, body, not_found_card("This dispute does not exist, or it is not yours."))),
        heading=text_for_this_url(DisputeState, rx.cond(DisputeState.found, "Dispute: " + V.gig_title, "Dispute"), "Dispute"),
    )


def dispute_queue_page() -> rx.Component:
    S = DisputeQueueState
    return page_layout(
        rx.cond(
            S.loaded,
            rx.cond(
                S.allowed,
                rx.cond(
                    S.items.length() > 0,
                    rx.vstack(
                        rx.foreach(
                            S.items,
                            lambda d: row_card(
                                rx.link(d[1], href="/disputes/" + d[0], weight="bold"), rx.text("Opened by ", d[2], size="2")
                            ),
                        ),
                        spacing="2",
                        width="100%",
                    ),
                    empty_note("No open disputes."),
                ),
                not_found_card("This page is for career-center staff."),
            ),
            loading_note(),
        ),
        heading="Open disputes",
    )


def register(app: rx.App) -> None:
    app.add_page(open_dispute_page, route=OPEN_ROUTE, title="Open a dispute | MicroGigs")
    app.add_page(dispute_page, route=ROUTE, title="Dispute | MicroGigs", on_load=DisputeState.load)
    app.add_page(dispute_queue_page, route="/staff/disputes", title="Disputes | MicroGigs", on_load=DisputeQueueState.load)

"""The message thread between the student and the gig's managers."""

import reflex as rx

from microgigs.components.forms import event_form, form_alert, submit_button, textarea_input
from microgigs.components.i18n import t
from microgigs.components.markdown import markdown_block
from microgigs.components.panels import card_list, empty_note, section
from microgigs.state.workspace import EngagementState as S
from microgigs.state.workspace import MessageForm

V = S.view
E = MessageForm.errors


def _message(m) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.text(m.author, weight="bold", size="2"),
            rx.text(m.sent_at, size="1", color="var(--gray-11)"),
            spacing="2",
            align="baseline",
            wrap="wrap",
        ),
        markdown_block(m.body_html),
        variant=rx.cond(m.mine, "surface", "classic"),
        width="100%",
    )


def messages_section() -> rx.Component:
    return section(
        t("Messages"),
        rx.cond(V.messages.length() > 0, card_list(V.messages, _message, t("Messages")), empty_note(t("No messages yet."))),
        rx.cond(
            S.can_post_messages,
            event_form(
                form_alert(E.get("form", "")),
                textarea_input(t("Your message"), "body", error=E.get("body", ""), rows="3", size="2", max_length=2000),
                submit_button(t("Send message"), size="2"),
                on_submit=MessageForm.post_message,
                label=t("Send a message"),
                key=MessageForm.form_key,
            ),
        ),
    )

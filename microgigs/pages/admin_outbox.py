"""/admin/outbox: the mail MicroGigs sent or kept, for career-center staff and admins."""

import reflex as rx

from microgigs.components.forms import form_alert
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import notice, stack
from microgigs.components.titles import page_title
from microgigs.state.outbox import OutboxState


def mail_item(mail) -> rx.Component:
    return rx.el.li(
        rx.card(
            stack(
                rx.heading(mail.subject, as_="h2", size="3"),
                rx.text(
                    t("To {address} · {created}", address=mail.to_address, created=mail.created),
                    size="2",
                    style={"overflow_wrap": "anywhere"},
                ),
                rx.text(
                    mail.status_text,
                    size="2",
                    weight="medium",
                    color_scheme=rx.match(mail.status, ("failed", "red"), ("cancelled", "gray"), ("sent", "green"), "amber"),
                    high_contrast=True,
                ),
                rx.cond(
                    mail.may_send_again,
                    rx.button(
                        t("Send again"),
                        on_click=OutboxState.send_again(mail.id),
                        size="2",
                        variant="soft",
                        aria_label=t("Send again: {subject}", subject=mail.subject),
                    ),
                ),
                rx.el.details(
                    rx.el.summary(t("Show the message")),
                    rx.el.pre(mail.text_body, style={"white_space": "pre-wrap", "word_break": "break-word"}),
                ),
                spacing="2",
            ),
            width="100%",
        ),
        style={"list_style": "none"},
    )


def admin_outbox() -> rx.Component:
    return page_layout(
        rx.text(
            t(
                "One-time links (sign-up confirmations, password resets, invitations) are hidden here: "
                "they exist only in the mail that leaves."
            ),
            size="2",
        ),
        notice(OutboxState.notice),
        form_alert(OutboxState.action_error),
        rx.cond(
            OutboxState.load_error != "",
            rx.callout(OutboxState.load_error, icon="triangle_alert", color_scheme="red", role="alert", width="100%"),
            rx.cond(
                OutboxState.loaded,
                rx.cond(
                    OutboxState.mails.length() > 0,
                    rx.el.ul(
                        rx.foreach(OutboxState.mails, mail_item),
                        style={"padding": "0", "margin": "0", "width": "100%", "display": "grid", "gap": "0.75rem"},
                    ),
                    rx.text(t("No mail yet.")),
                ),
                rx.text(t("Loading mail…")),
            ),
        ),
        heading=t("Mail outbox"),
    )


def register(app: rx.App) -> None:
    app.add_page(admin_outbox, route="/admin/outbox", title=page_title("Mail outbox"), on_load=OutboxState.load_outbox)

"""/admin/outbox: the mail MicroGigs sent or kept, for career-center staff and admins."""

import reflex as rx

from microgigs.components.layout import page_layout
from microgigs.state.outbox import OutboxState


def mail_item(mail) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.heading(mail.subject, as_="h2", size="3"),
                rx.text("To ", mail.to_address, " · ", mail.created, " · ", rx.cond(mail.status == "sent", "sent by SMTP", "kept in the outbox"), size="2"),
                rx.el.details(
                    rx.el.summary("Show the message"),
                    rx.el.pre(mail.text_body, style={"white_space": "pre-wrap", "word_break": "break-word"}),
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
        style={"list_style": "none"},
    )


def admin_outbox() -> rx.Component:
    return page_layout(
        rx.cond(
            OutboxState.load_error != "",
            rx.callout(OutboxState.load_error, icon="triangle_alert", color_scheme="red", role="alert", width="100%"),
            rx.cond(
                OutboxState.loaded,
                rx.cond(
                    OutboxState.mails.length() > 0,
                    rx.el.ul(rx.foreach(OutboxState.mails, mail_item), style={"padding": "0", "margin": "0", "width": "100%", "display": "grid", "gap": "0.75rem"}),
                    rx.text("No mail yet."),
                ),
                rx.text("Loading mail…"),
            ),
        ),
        heading="Mail outbox",
    )


def register(app: rx.App) -> None:
    app.add_page(admin_outbox, route="/admin/outbox", title="Mail outbox · MicroGigs", on_load=OutboxState.load_outbox)

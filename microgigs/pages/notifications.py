"""The notification center: what happened, newest first; unread ones marked."""

import reflex as rx

from microgigs.components.forms import form_alert
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import empty_note, loading_note, row_card, spread_row, stack
from microgigs.components.titles import page_title
from microgigs.state.notifications import NotificationsState as S


def _row(n) -> rx.Component:
    return rx.el.li(
        row_card(
            spread_row(
                rx.link(n.title, href=n.link, weight=rx.cond(n.unread, "bold", "regular"), size="3"),
                rx.cond(n.unread, rx.badge(t("Unread"), color_scheme="blue", variant="soft", high_contrast=True)),
            ),
            spread_row(
                rx.text(n.created_at, size="2", color="var(--gray-11)"),
                rx.cond(
                    n.unread,
                    rx.button(
                        t("Mark read"),
                        size="1",
                        variant="soft",
                        on_click=S.mark_read(n.id),
                        aria_label=t("Mark read: {title}", title=n.title),
                    ),
                ),
            ),
        ),
        style={"list_style": "none"},
    )


def body() -> rx.Component:
    return stack(
        form_alert(S.error),
        spread_row(
            rx.text(t("{count} unread", count=S.unread_notifications), size="2", role="status"),
            rx.button(t("Mark all read"), size="2", variant="soft", on_click=S.mark_all_read, disabled=S.unread_notifications == 0),
            spacing="3",
        ),
        rx.cond(
            S.items.length() > 0,
            rx.el.ul(
                rx.foreach(S.items, _row),
                style={"margin": "0", "padding": "0", "display": "flex", "flex_direction": "column", "gap": "0.5rem", "width": "100%"},
            ),
            empty_note(t("Nothing yet. When something happens to your gigs, applications or work, it shows up here.")),
        ),
        spacing="4",
    )


def notifications_page() -> rx.Component:
    return page_layout(rx.cond(S.loaded, body(), loading_note(t("Loading notifications…"))), heading=t("Notifications"))


def register(app: rx.App) -> None:
    app.add_page(notifications_page, route="/notifications", title=page_title("Notifications"), on_load=S.load_notifications)

"""The notification center: the signed-in person's notifications; mark one or all read."""

import reflex as rx

from microgigs.db import session_scope
from microgigs.services import dashboards, notifications
from microgigs.services.dashboards import NotificationRow
from microgigs.services.errors import DomainError
from microgigs.services.validation import parse_id
from microgigs.state.session import SessionState


class NotificationsState(SessionState):
    loaded: bool = False
    items: list[NotificationRow] = []
    error: str = ""

    def _reload(self):
        with session_scope() as session:
            actor = self._actor(session)
            if actor is None:
                return self._sign_in_redirect()
            self.items = dashboards.notification_center(session, actor)
        self.loaded = True
        self._subscribe_live()
        return None

    def _live_reload(self) -> None:
        self._reload()

    @rx.event
    def load_notifications(self):
        self.error = ""
        return self._reload()

    @rx.event
    def mark_read(self, notification_id: int):
        self.error = ""
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                notifications.mark_read(session, actor, parse_id(notification_id) or 0)
        except (DomainError, TypeError, ValueError) as error:
            self.error = getattr(error, "message", "That notification was not found.")
        return self._reload()

    @rx.event
    def mark_all_read(self):
        self.error = ""
        with session_scope() as session:
            actor = self._actor(session)
            if actor is None:
                return self._sign_in_redirect()
            notifications.mark_all_read(session, actor)
        return self._reload()

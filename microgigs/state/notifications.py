"""The notification center: the signed-in person's notifications; mark one or all read."""

import reflex as rx

from microgigs.services import dashboards, notifications
from microgigs.services.dashboards import NotificationRow
from microgigs.services.validation import parse_id
from microgigs.state.session import SessionState


class NotificationsState(SessionState):
    loaded: bool = False
    items: list[NotificationRow] = []
    error: str = ""

    def _load(self, session, actor) -> None:
        self.items = dashboards.notification_center(session, actor, self.language)

    def _reload(self):
        redirect = self._read(self._load)
        if redirect is not None:
            return redirect
        self.loaded = True
        self._subscribe_live()
        return None

    def _live_reload(self) -> None:
        self._reload()

    @rx.event
    def load_notifications(self):
        self.error = ""
        return self._reload()

    def _mark(self, call):
        self.error = ""
        acted = self._act(call)
        if acted.redirect is not None:
            return acted.redirect
        self.error = self._tr(acted.error)
        return self._reload()

    @rx.event
    def mark_read(self, notification_id: int):
        # An id that is not one (a forged event) names no notification: the service says so.
        wanted = parse_id(notification_id) or 0
        return self._mark(lambda session, actor: notifications.mark_read(session, actor, wanted))

    @rx.event
    def mark_all_read(self):
        return self._mark(notifications.mark_all_read)

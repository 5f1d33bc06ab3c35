"""Saved searches: the board's "Save this search" form, and the list on /saved (with the weekly
digest's one-click switch). The rules (who, how many, what matches) are services/alerts.py's."""

import reflex as rx

from microgigs.i18n import gettext
from microgigs.services import alerts, mail_preferences, policy
from microgigs.services.alerts import SavedSearchView
from microgigs.services.validation import parse_id
from microgigs.state.board import BoardState
from microgigs.state.session import Audience, SessionState

# (value, English words) of each alert frequency, for the pages' radio groups and selects (shown
# translated: components/i18n.translated).
FREQUENCY_CHOICES = list(alerts.FREQUENCIES.items())


class SaveSearchState(BoardState):
    """The board's form (a substate of the board's page state): keeps the search of the board's
    current URL."""

    form_open: bool = False
    errors: dict[str, str] = {}
    saved_notice: str = ""

    @rx.event
    def toggle_form(self):
        self.form_open = not self.form_open
        self.errors, self.saved_notice = {}, ""

    @rx.event
    def save_search(self, form_data: dict):
        # The search is the one the board shows: its URL's parameters, read as the board reads them.
        params = {str(k): str(v) for k, v in dict(self.router.url.query_parameters).items()}
        name, frequency = str(form_data.get("name", ""))[:1000], str(form_data.get("frequency", ""))[:20]
        acted = self._act(lambda session, actor: alerts.save_search(session, actor, params, name, frequency))
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.errors, self.saved_notice = self._tr_all(acted.errors), ""
            return None
        view: SavedSearchView = acted.value
        self.errors, self.form_open = {}, False
        if view.frequency == "daily":
            self.saved_notice = gettext(self.language, "Saved “{name}”: we will alert you once a day when new gigs match.", name=view.name)
        else:
            self.saved_notice = gettext(self.language, "Saved “{name}”: we will alert you instantly when new gigs match.", name=view.name)
        return None


class SavedSearchesState(SessionState):
    """/saved's "Saved searches" and "Email" sections."""

    searches: list[SavedSearchView] = []
    allowed: bool = False
    weekly_digest: bool = False
    error: str = ""
    notice: str = ""

    def _load(self, session, actor) -> None:
        if not policy.is_student(actor):
            self.searches, self.allowed = [], False
            return
        searches = alerts.my_searches(session, actor)
        for view in searches:
            view.frequency_text = self._tr(view.frequency_text)
        self.searches, self.allowed = searches, True
        self.weekly_digest = mail_preferences.my_choices(session, actor).weekly_digest

    @rx.event
    def load_searches(self):
        self.error = self.notice = ""
        return self._read(self._load)

    def _after(self, acted, notice: str):
        if acted.redirect is not None:
            return acted.redirect
        self.error = "" if acted.ok else self._tr(acted.error)
        self.notice = notice if acted.ok else ""
        return self._read(self._load)

    @rx.event
    def change_frequency(self, search_id: int, frequency: str):
        wanted = parse_id(search_id) or 0
        choice = str(frequency)[:20]
        acted = self._act(lambda session, actor: alerts.set_frequency(session, actor, wanted, choice))
        return self._after(acted, gettext(self.language, "Alert frequency changed."))

    @rx.event
    def delete_search(self, search_id: int):
        wanted = parse_id(search_id) or 0
        acted = self._act(lambda session, actor: alerts.delete_search(session, actor, wanted))
        return self._after(acted, gettext(self.language, "Saved search deleted."))

    @rx.event
    def set_weekly_digest(self, on: bool):
        wanted = on is True
        acted = self._act(lambda session, actor: mail_preferences.set_weekly_digest(session, actor, wanted))
        if wanted:
            return self._after(acted, gettext(self.language, "The weekly digest is on."))
        return self._after(acted, gettext(self.language, "The weekly digest is off."))


class MailChoicesState(SessionState):
    """/account's "Emails" section: each kind of bulk mail on or off (what an unsubscribe link
    turned off is turned on again here)."""

    shown: bool = False
    student: bool = False
    weekly_digest: bool = False
    alert_mail: bool = True
    notification_mail: bool = True
    choices_error: str = ""
    choices_notice: str = ""

    def _load(self, session, actor) -> None:
        # Anyone reaches /account (an unconfirmed account too): the section is for confirmed people.
        self.shown, self.student = actor is not None, policy.is_student(actor)
        if actor is None:
            return
        chosen = mail_preferences.my_choices(session, actor)
        self.weekly_digest, self.alert_mail, self.notification_mail = chosen.weekly_digest, chosen.alert_mail, chosen.notification_mail

    @rx.event
    def load_choices(self):
        self.choices_error = self.choices_notice = ""
        return self._read(self._load, Audience.ANYONE)

    @rx.event
    def set_choice(self, kind: str, on: bool):
        wanted_kind, wanted = str(kind)[:20], on is True
        acted = self._act(lambda session, actor: mail_preferences.set_choice(session, actor, wanted_kind, wanted))
        if acted.redirect is not None:
            return acted.redirect
        self.choices_error = "" if acted.ok else self._tr(acted.error)
        self.choices_notice = gettext(self.language, "Your email choices are saved.") if acted.ok else ""
        return self._read(self._load, Audience.ANYONE)

"""One gig's page: its details as the viewer may see them, and a student's application."""

import reflex as rx
from babel import numbers

from microgigs.i18n import gettext, language_or_default, ngettext
from microgigs.services import applications, gigs
from microgigs.services.applications import MAX_NOTE, ApplicationInput
from microgigs.services.errors import DomainError
from microgigs.services.gigs import GigCard, QuestionView, board_cache
from microgigs.services.gigs.cards import localize
from microgigs.services.statuses import GigStatus
from microgigs.state.session import Audience, SessionState
from microgigs.state.url_ids import id_in_path
from microgigs.state.url_object import ShownForUrl

ROUTE = "/gigs/[gig_id]"

EMPTY_CARD = GigCard(
    id=0,
    title="",
    summary="",
    employer="",
    category="",
    pay="",
    estimated_hours=0,
    location_mode="remote",
    due_date="",
    application_deadline="",
    skills=[],
    status="",
)


def split_links(text: str) -> list[str]:
    """One link per line (blank lines dropped); the service checks each one."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def answers_from_form(form_data: dict, question_ids: list[int]) -> dict[int, str]:
    return {qid: str(form_data.get(f"answer_{qid}", "")) for qid in question_ids}


class GigDetailState(ShownForUrl, SessionState):
    loaded: bool = False
    found: bool = False
    not_found_message: str = ""
    card: GigCard = EMPTY_CARD
    scope: str = ""
    deliverables: str = ""
    scope_html: str = ""
    deliverables_html: str = ""
    location: str = ""
    slots: int = 0
    slots_left: int = 0
    blind_review: bool = False
    questions: list[QuestionView] = []
    viewer_manages: bool = False
    employer_record: list[str] = []
    # The application form.
    note: str = ""
    errors: dict[str, str] = {}
    form_error: str = ""
    applied: bool = False

    @rx.var
    def title_subject(self) -> str:
        """What the browser tab names (components/titles.py adds the center): the gig's own title."""
        if not self.loaded:
            return gettext(self.language, "Gig")
        return self.card.title if self.found else gettext(self.language, "Gig not found")

    @rx.var
    def note_count_text(self) -> str:
        locale = language_or_default(self.language)
        return gettext(
            self.language,
            "{count} of {limit} characters",
            count=numbers.format_decimal(len(self.note), locale=locale),
            limit=numbers.format_decimal(MAX_NOTE, locale=locale),
        )

    @rx.var
    def taking_applications(self) -> bool:
        return self.card.status == GigStatus.OPEN and self.slots_left > 0

    @rx.var
    def manage_href(self) -> str:
        return f"/manage/gigs/{self.card.id}"

    @rx.var
    def calendar_href(self) -> str:
        """The gig's .ics (http/calendar.py), for a gig its page shows visitors; "" for the others
        (a draft its manager looks at), whose file would be "not found"."""
        return f"/gigs/{self.card.id}/calendar.ics" if self.found and self.card.status in gigs.PUBLIC_STATUSES else ""

    @rx.var
    def sign_in_href(self) -> str:
        return f"/login?next=/gigs/{self.card.id}"

    @rx.var
    def slots_text(self) -> str:
        return ngettext(self.language, "{left} of {count} place left", "{left} of {count} places left", self.slots, left=self.slots_left)

    @rx.var
    def error_count_text(self) -> str:
        n = len(self.errors)
        if n == 0:
            return ""
        return ngettext(
            self.language,
            "Your application was not sent: check the field marked below.",
            "Your application was not sent: check the {count} fields marked below.",
            n,
        )

    def _reset_form(self):
        self.note = ""
        self.errors = {}
        self.form_error = ""
        self.applied = False

    def _gig_id(self) -> int:
        return id_in_path(self.router.url.path, ROUTE)

    @rx.event
    def load_gig(self):
        gig_id = self._gig_id()
        self._reset_form()
        if self.loaded and self.card.id != gig_id:
            # Coming from another gig's page: do not show (or apply to) that one meanwhile.
            self.loaded = False
            yield
        self._load_detail(gig_id)

    def _load_detail(self, gig_id: int) -> None:
        self._read(lambda session, actor: self._show(self._detail(session, actor, gig_id), actor), Audience.ANYONE)

    @staticmethod
    def _detail(session, actor, gig_id: int):
        """The gig as this viewer may see it, or None when they may not (or there is none)."""
        if not gig_id:
            return None
        if board_cache.shares_the_public_gig_page(actor):  # the same for every one of them: kept
            return board_cache.shared_gig_page(session, gig_id)
        try:
            return gigs.gig_detail(session, actor, gig_id)
        except DomainError:
            return None

    def _show(self, detail, actor=None) -> None:
        self.loaded = True
        self._shown_for_this_url()
        if detail is None:
            # Nothing of a gig this tab showed before (a shared computer's previous person).
            self.found, self.card, self.questions, self.employer_record = False, EMPTY_CARD, [], []
            self.scope = self.deliverables = self.scope_html = self.deliverables_html = self.location = ""
            self.slots = self.slots_left = 0
            self.blind_review = self.viewer_manages = False
            self.not_found_message = gettext(self.language, "This gig does not exist, or it is not open to view.")
            return
        self.found = True
        # Pay and deadline for this reader: their language, their zone (a visitor: the gig's).
        self.card = localize(detail.card, self.language, actor.timezone if actor is not None else None)
        self.scope = detail.scope
        self.deliverables = detail.deliverables
        self.scope_html = detail.scope_html
        self.deliverables_html = detail.deliverables_html
        self.location = detail.location
        self.slots = detail.slots
        self.slots_left = detail.slots_left
        self.blind_review = detail.blind_review
        self.questions = detail.questions
        self.viewer_manages = detail.viewer_manages
        self.employer_record = detail.employer_record

    @rx.event
    def set_note(self, value: str):
        self.note = str(value)[: MAX_NOTE + 100]

    @rx.event
    def apply(self, form_data: dict):
        """Send the application; every check (student, open, once, fields) is the service's."""
        if self.applied or not self.card.id:
            return None
        self.errors = {}
        self.form_error = ""
        note = str(form_data.get("note", self.note))
        data = ApplicationInput(
            note=note,
            sample_links=split_links(str(form_data.get("sample_links", ""))),
            answers=answers_from_form(form_data, [q.id for q in self.questions]),
        )
        acted = self._act(lambda session, actor: applications.apply(session, actor, self.card.id, data))
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            # A refusal about no one field is said above the form; the others under their fields.
            self.errors, self.form_error = self._tr_all(acted.field_messages), self._tr(acted.form_error)
            return None
        self.applied = True
        self.note = ""
        return None

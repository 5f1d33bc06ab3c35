"""Posting a gig: turn the form's text into a GigInput, let the service judge it.

The state only converts what a browser sends (text) into the types the service
takes (cents, dates, lists). Text that cannot be converted gets its own message;
every rule about the values themselves is `gigs.validate_gig_input`'s.
"""

from datetime import date
from typing import ClassVar

import reflex as rx
from babel.numbers import get_currency_name
from reflex_base.utils.form import FormData

from microgigs.i18n import DEFAULT, gettext, msg, ngettext, translate
from microgigs.services import amounts, center, gigs
from microgigs.services.errors import DomainError
from microgigs.services.gigs import GigInput
from microgigs.services.statuses import GigStatus
from microgigs.services.validation import ValidationFailed, parse_id
from microgigs.state.session import Audience, SessionState
from microgigs.state.url_ids import id_in_path
from microgigs.state.url_object import ShownForUrl

EDIT_ROUTE = "/gigs/[gig_id]/edit"

# Form field names that differ from GigInput's (the service's error keys).
FORM_NAME_FOR = {"pay_cents": "pay"}
ERRORS_ANCHOR = "post-gig-messages"
LIVE_FIELDS = ("pay", "estimated_hours", "due_date", "application_deadline")


class ParseError(ValueError):
    """Text that cannot be read as the kind of value a field needs."""


def currency_words(currency: str, language: str = DEFAULT) -> str:
    """The currency in words in `language`, plural ("US dollars" / "dólares estadounidenses")."""
    if language == DEFAULT:
        return amounts.currency_name(currency)
    return get_currency_name((currency or amounts.DEFAULT_CURRENCY).upper(), count=2, locale=language)


def parse_pay(text: str, currency: str = amounts.DEFAULT_CURRENCY, language: str = DEFAULT) -> int:
    """The pay as typed in `currency` ("450", "$1,200.50"; no decimals for jpy) -> its minor
    units. Raises ParseError (its message in `language`) otherwise."""
    try:
        return amounts.parse_cents(text, msg("the pay"), currency=currency)
    except amounts.MissingAmount:
        message = gettext(
            language, "Enter the pay per student in {currency}, for example 450.", currency=currency_words(currency, language)
        )
        raise ParseError(message) from None
    except amounts.AmountError as error:
        raise ParseError(translate(language, error.args[0] if error.args else str(error))) from None


def pay_label_for(currency: str, language: str = DEFAULT) -> str:
    """The pay field's label, naming the currency the pay is typed in."""
    return gettext(language, "Pay per student ({currency})", currency=currency_words(currency, language))


def parse_whole_number(text: str, field: str, language: str = DEFAULT) -> int:
    """A whole number typed into the form's `field` ("estimated_hours", "slots"; any other is
    said as it is: "the hours"), or ParseError with a message in `language`."""
    cleaned = (text or "").strip()
    if not cleaned:
        if field == "estimated_hours":
            raise ParseError(gettext(language, "Enter the estimated hours."))
        if field == "slots":
            raise ParseError(gettext(language, "Enter how many students you need."))
        raise ParseError(gettext(language, "Enter {what}.", what=field))
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 6:  # int() refuses "²"
        if field == "estimated_hours":
            raise ParseError(gettext(language, "Enter the estimated hours as a whole number, like 12."))
        if field == "slots":
            raise ParseError(gettext(language, "Enter how many students you need as a whole number, like 12."))
        raise ParseError(gettext(language, "Enter {what} as a whole number, like 12.", what=field))
    return int(cleaned)


def parse_date(text: str, language: str = DEFAULT) -> date | None:
    """A yyyy-mm-dd date from a date input; empty is None."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise ParseError(gettext(language, "Enter a real date, like 2026-03-31.")) from None


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def gig_input_from_form(
    form: FormData | dict, currency: str = amounts.DEFAULT_CURRENCY, language: str = DEFAULT
) -> tuple[GigInput, dict[str, str]]:
    """The GigInput a form describes, and a message (in `language`) for each field that could
    not be read. The pay is read in `currency` (the gig's: a new one's is the center's), and said
    to be in it.

    Unreadable numbers and dates become 0/None so the service still reports
    everything else in the same pass; their own message wins over the service's.
    """
    problems: dict[str, str] = {}

    def text(name: str) -> str:
        return str(form.get(name) or "")

    def read(name: str, parse, default):
        try:
            return parse()
        except ParseError as error:
            problems[name] = str(error)
            return default

    chosen_org = text("organization_id").strip()
    skills = form.getlist("skills") if isinstance(form, FormData) else form.get("skills", [])
    if isinstance(skills, str):
        skills = [s for s in (part.strip() for part in skills.split(",")) if s]
    data = GigInput(
        title=text("title"),
        summary=text("summary"),
        scope=text("scope"),
        deliverables=text("deliverables"),
        category=text("category"),
        skills=[str(s) for s in skills],
        location_mode=text("location_mode") or "remote",
        location=text("location"),
        estimated_hours=read("estimated_hours", lambda: parse_whole_number(text("estimated_hours"), "estimated_hours", language), 0),
        start_date=read("start_date", lambda: parse_date(text("start_date"), language), None),
        due_date=read("due_date", lambda: parse_date(text("due_date"), language), None),
        application_deadline=read("application_deadline", lambda: parse_date(text("application_deadline"), language), None),
        slots=read("slots", lambda: parse_whole_number(text("slots"), "slots", language), 0),
        pay_cents=read("pay", lambda: parse_pay(text("pay"), currency, language), 0),
        currency=currency,
        blind_review=str(form.get("blind_review") or "").lower() in ("on", "true", "1", "yes"),
        questions=split_lines(text("questions")),
        organization_id=parse_id(chosen_org) if chosen_org else None,
    )
    return data, problems


def form_values(data: GigInput) -> dict[str, str]:
    """A GigInput as the text a form shows (the reverse of gig_input_from_form)."""
    return {
        "title": data.title,
        "summary": data.summary,
        "scope": data.scope,
        "deliverables": data.deliverables,
        "category": data.category,
        "location_mode": data.location_mode or "remote",
        "location": data.location,
        "estimated_hours": str(data.estimated_hours) if data.estimated_hours else "",
        "start_date": data.start_date.isoformat() if data.start_date else "",
        "due_date": data.due_date.isoformat() if data.due_date else "",
        "application_deadline": data.application_deadline.isoformat() if data.application_deadline else "",
        "slots": str(data.slots or 1),
        "pay": amounts.plain_units(data.pay_cents, data.currency or amounts.DEFAULT_CURRENCY) if data.pay_cents else "",
        "blind_review": "on" if data.blind_review else "",
        "questions": "\n".join(data.questions),
        "organization_id": str(data.organization_id or ""),
    }


def form_errors(service_errors: dict[str, str], problems: dict[str, str]) -> dict[str, str]:
    """The service's messages under the form's field names, with parse problems on top."""
    merged = {FORM_NAME_FOR.get(k, k): v for k, v in service_errors.items()}
    merged.update(problems)
    return merged


class PostGigState(ShownForUrl, SessionState):
    """/gigs/new (optionally ?from=<id>: an old gig as a template) and /gigs/<id>/edit (a draft)."""

    object_in_query: ClassVar[bool] = True  # ?from=<id>

    loaded: bool = False
    skill_names: list[str] = []
    errors: dict[str, str] = {}
    form_error: str = ""
    submitted_title: str = ""
    submitted_status: str = ""
    submitted_id: int = 0
    # What the form starts from (a template or the draft being edited); the form is drawn
    # again under a new key whenever this changes.
    values: dict[str, str] = {}
    chosen_skills: list[str] = []
    form_version: int = 0
    editing_id: int = 0
    template_title: str = ""
    not_found: str = ""
    # Which submit button was pressed: "preview" or "post" (set by its click, read by the submit).
    intent: str = "post"
    # What the fair-pay and date fields hold while typing (checked by the service's validator).
    live_values: dict[str, str] = {}
    # The approved employers this manager can post for; the form asks only when there are several.
    organization_choices: list[dict[str, str]] = []
    # The pay field's hint, with the center's pay floor as it is when the page loads.
    pay_hint: str = ""
    # The currency the pay is typed in: the draft's own, or (a new gig) the center's when the page loaded.
    currency: str = amounts.DEFAULT_CURRENCY
    pay_label: str = pay_label_for(amounts.DEFAULT_CURRENCY)

    @rx.var
    def choose_organization(self) -> bool:
        return len(self.organization_choices) > 1 and self.editing_id == 0

    @rx.var
    def submitted_href(self) -> str:
        return f"/gigs/{self.submitted_id}"

    @rx.var
    def preview_href(self) -> str:
        return f"/gigs/{self.submitted_id}/preview"

    @rx.var
    def edit_href(self) -> str:
        return f"/gigs/{self.submitted_id}/edit"

    @rx.var
    def error_count_text(self) -> str:
        n = len(self.errors)
        if n == 0:
            return ""
        if self.editing_id:
            return ngettext(
                self.language,
                "The gig was not saved: check the field marked below.",
                "The gig was not saved: check the {count} fields marked below.",
                n,
            )
        return ngettext(
            self.language,
            "The gig was not posted: check the field marked below.",
            "The gig was not posted: check the {count} fields marked below.",
            n,
        )

    @rx.var
    def form_key(self) -> str:
        return f"gig-form-{self.form_version}"

    def _start(self, data: GigInput | None) -> None:
        self.values = form_values(data) if data else {"location_mode": "remote", "slots": "1", "blind_review": "on"}
        self.chosen_skills = list(data.skills) if data else []
        self.form_version += 1
        self.live_values = {}

    def _load_form(self, session, actor, template_id: int) -> None:
        """The form's choices, and what it starts from: empty, a template's or the draft's."""
        self.skill_names = gigs.all_skill_names(session)
        self.organization_choices = [{"value": str(o.id), "text": o.name} for o in gigs.posting_organizations(session, actor)]
        data = None
        try:
            if self.editing_id:
                data = gigs.draft_for_edit(session, actor, self.editing_id)
            elif template_id:
                data = gigs.template_from(session, actor, template_id)
                self.template_title = data.title
        except DomainError as error:
            reason = self._tr(error.message)
            self.not_found = (
                reason if self.editing_id else gettext(self.language, "That gig cannot be used as a template: {reason}", reason=reason)
            )
        # A draft's pay stays in its own currency; a new gig's (a template's too) is the center's.
        self.currency = data.currency if data is not None and data.currency else center.current(session).currency
        self.pay_label = pay_label_for(self.currency, self.language)
        self.pay_hint = gettext(
            self.language,
            "Paid when you approve the work. At least {amount} an hour.",
            amount=gigs.pay_floor_text(session, self.currency, self.language),
        )
        self._start(data)

    @rx.event
    def load_post_gig(self):
        """on_load of /gigs/new and /gigs/<id>/edit: an empty form, a template's or the draft's."""
        self.errors = {}
        self.form_error = ""
        self.submitted_title = ""
        self.submitted_status = ""
        self.submitted_id = 0
        self.not_found = ""
        self.template_title = ""
        self.intent = "post"
        self.editing_id = id_in_path(self.router.url.path, EDIT_ROUTE)
        template_id = _positive(dict(self.router.url.query_parameters).get("from", ""))
        redirect = self._read(lambda session, actor: self._load_form(session, actor, template_id))
        if redirect is not None:
            return redirect
        self.loaded = True
        self._shown_for_this_url()
        return None

    @rx.event
    def set_intent(self, intent: str):
        self.intent = "preview" if intent == "preview" else "post"

    @rx.event
    def check_live(self, name: str, value: str):
        """While typing: run the service's own validator on pay, hours and dates only, and
        show (or clear) just those fields' messages. Reads nothing but the skills list (and,
        as every unit of work does, who is signed in; anyone may check)."""
        if name not in LIVE_FIELDS:
            return
        self.live_values = {**self.live_values, name: str(value)[:40]}
        data, problems = gig_input_from_form(
            {**self.values, **self.live_values, "title": "-", "summary": "-", "scope": "-"}, self.currency, self.language
        )
        service_errors: dict[str, str] = {}

        def check(session, actor) -> None:
            service_errors.update(self._tr_all(gigs.validate_gig_input(session, data, date.today(), self.language)[0]))

        self._read(check, Audience.ANYONE)
        merged = form_errors(service_errors, problems)
        errors = {k: v for k, v in self.errors.items() if k not in LIVE_FIELDS}
        for field_name in LIVE_FIELDS:
            # Only fields the person has filled in get a message while typing.
            if field_name in merged and self.live_values.get(field_name, "").strip():
                errors[field_name] = merged[field_name]
        self.errors = errors

    @rx.event
    def post(self, form_data: FormData):
        """Save the gig (new, or the draft being edited), then preview it, keep it as a draft,
        or post it (on success its page, or a note that it awaits review)."""
        self.errors = {}
        self.form_error = ""
        intent, self.intent = self.intent, "post"
        editing_id = id_in_path(self.router.url.path, EDIT_ROUTE)  # from the URL again, never from the client
        save_draft = str(form_data.get("save_draft") or "").lower() in ("on", "true", "1", "yes")
        data, problems = gig_input_from_form(form_data, self.currency, self.language)
        publish = intent == "post" and not save_draft
        language = self.language
        acted = self._act(lambda session, actor: _save_gig(session, actor, editing_id, data, problems, publish, language))
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.errors = form_errors(self._tr_all(acted.field_messages), problems)
            self.form_error = self._tr(acted.form_error)
            return rx.set_focus(ERRORS_ANCHOR)
        gig_id, status, title = acted.value
        if status == GigStatus.DRAFT and intent == "preview" and not save_draft:
            return rx.redirect(f"/gigs/{gig_id}/preview")
        if status == GigStatus.OPEN:
            return rx.redirect(f"/gigs/{gig_id}")
        self.submitted_title = title
        self.submitted_status = status
        self.submitted_id = gig_id
        return rx.set_focus("main")


def _save_gig(
    session, actor, editing_id: int, data: GigInput, problems: dict[str, str], publish: bool, language: str = DEFAULT
) -> tuple[int, str, str]:
    """Save the form's gig (the draft being edited, or a new one) and post it if asked:
    (id, status, title). Text that could not be read is reported with every other problem,
    and nothing is saved. A refused pay's amounts are written for the reader's `language`."""
    if problems:
        service_errors, _skills = gigs.validate_gig_input(session, data, date.today(), language)
        raise ValidationFailed({**service_errors, **problems})
    try:
        if editing_id:
            gig = gigs.update_gig(session, actor, editing_id, data)
            if publish:
                gig = gigs.submit_gig(session, actor, gig.id)
        else:
            gig = gigs.create_gig(session, actor, data, publish=publish)
    except ValidationFailed as refused:
        if language != DEFAULT and "pay_cents" in refused.errors:
            # The service wrote the pay floor's amounts the English way: ask its rules again for the reader.
            again, _skills = gigs.validate_gig_input(session, data, date.today(), language)
            if "pay_cents" in again:
                refused.errors["pay_cents"] = again["pay_cents"]
        raise
    return gig.id, gig.status, gig.title


def _positive(raw: str) -> int:
    return parse_id(raw) or 0

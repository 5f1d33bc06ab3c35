"""The gig form: what a manager fills in (GigInput), every rule its fields must meet, and a
stored gig read back as the form (to edit it, reuse it, or check it again in review)."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from microgigs import i18n
from microgigs.i18n import DEFAULT, _, gettext, msg
from microgigs.models import Gig, ScreeningQuestion, Skill
from microgigs.services import center
from microgigs.services.amounts import format_cents
from microgigs.services.gigs.lookups import skill_names_by_gig
from microgigs.services.gigs.vocabulary import CATEGORIES, LOCATION_MODES, MAX_QUESTIONS, MAX_SKILLS, MAX_SLOTS, max_pay_cents
from microgigs.services.prohibited_terms import prohibited_hits
from microgigs.services.validation import check_length, clean_line, clean_text


@dataclass
class GigInput:
    title: str
    summary: str
    scope: str
    category: str
    estimated_hours: int
    due_date: date | None
    application_deadline: date | None
    pay_cents: int
    deliverables: str = ""
    skills: list[str] = field(default_factory=list)
    location_mode: str = "remote"
    location: str = ""
    start_date: date | None = None
    slots: int = 1
    # ISO 4217 code the pay is in (and was typed in); "": a new gig's, the center's currency.
    # A draft keeps the currency it was made in (gig_currency).
    currency: str = ""
    blind_review: bool = True
    questions: list[str] = field(default_factory=list)
    # Which employer posts it; may stay None when the manager can post for only one.
    organization_id: int | None = None


def pay_floor_text(session: Session, currency: str = "", language: str = DEFAULT) -> str:
    """The least a gig may pay an hour, as people read it in `language` ("$20.00" / "20,00 US$"):
    the center's pay floor, in `currency` (default: the center's)."""
    settings = center.current(session)
    floor = pay_floor_in(session, currency or settings.currency)
    if floor is None:
        return gettext(language, "no set amount")
    return money_text(floor, currency or settings.currency, language)


def money_text(minor_units: int, currency: str, language: str = DEFAULT) -> str:
    """An amount for a reader of `language`: English as the rest of the site writes it
    (amounts.format_cents: "$1,234.50", "1,234.500 KWD"), others as their language does
    (i18n.format_money: "1234,50 US$")."""
    if language == DEFAULT:
        return format_cents(minor_units, currency)
    return i18n.format_money(minor_units, currency, language)


def gig_currency(session: Session, data: GigInput) -> str:
    """The currency of the gig `data` describes: its own, else (a new gig) the center's."""
    return (data.currency or center.current(session).currency).lower()


def pay_floor_in(session: Session, currency: str) -> int | None:
    """The pay floor per hour in `currency`'s minor units: the center's floor is a figure in the
    center's currency, so it is compared only with pay in that currency. A draft made before the
    center changed its currency keeps its own; for it the environment's floor counts when the
    environment's currency is the draft's, else there is no floor to compare with (None): there
    is no exchange rate here, and staff judge its pay in review."""
    settings = center.current(session)
    if currency.lower() == settings.currency:
        return settings.pay_floor_cents_per_hour
    if currency.lower() == str(center.environment_value("currency")).lower():
        return int(center.environment_value("pay_floor_cents_per_hour"))
    return None


def validate_gig_input(session: Session, data: GigInput, today: date, language: str = DEFAULT) -> tuple[dict[str, str], list[Skill]]:
    """Every problem with a gig's fields, keyed by field; also the matched skills. The messages
    are Texts (translated where shown); the amounts in them are written for `language`."""
    errors: dict[str, str] = {}
    check_length(errors, "title", clean_line(data.title), label=_("a title"), max_len=120)
    check_length(errors, "summary", clean_line(data.summary), label=_("a one-line summary"), max_len=300)
    check_length(errors, "scope", _as_written(data.scope), label=_("the scope of the work"), max_len=20_000)
    check_length(errors, "deliverables", _as_written(data.deliverables), label=_("the deliverables"), max_len=5_000, required=False)
    if data.category not in CATEGORIES:
        errors["category"] = msg("Choose a category from the list.")
    if data.location_mode not in LOCATION_MODES:
        errors["location_mode"] = msg("Choose remote, on-site or hybrid.")
    elif data.location_mode != "remote" and not clean_line(data.location):
        errors["location"] = msg("Say where the work happens.")
    check_length(errors, "location", clean_line(data.location), label=_("a location"), max_len=120, required=False)
    if not 1 <= data.estimated_hours <= 400:
        errors["estimated_hours"] = msg("Estimate between 1 and 400 hours.")
    if not 1 <= data.slots <= MAX_SLOTS:
        errors["slots"] = msg("Take between 1 and {count} students.", count=MAX_SLOTS)
    currency = gig_currency(session, data)
    floor_per_hour = pay_floor_in(session, currency)
    if data.pay_cents <= 0 or data.pay_cents > max_pay_cents(currency):
        errors["pay_cents"] = msg("Enter the pay per student, more than zero.")
    elif floor_per_hour is not None and data.estimated_hours >= 1 and data.pay_cents < floor_per_hour * data.estimated_hours:
        errors["pay_cents"] = msg(
            "Pay at least {floor} an hour: {minimum} for {hours} hours.",
            floor=money_text(floor_per_hour, currency, language),
            minimum=money_text(floor_per_hour * data.estimated_hours, currency, language),
            hours=data.estimated_hours,
        )
    if data.due_date is None:
        errors["due_date"] = msg("Enter the due date.")
    elif data.due_date <= today:
        errors["due_date"] = msg("The due date must be in the future.")
    if data.application_deadline is None:
        errors["application_deadline"] = msg("Enter the application deadline.")
    elif data.application_deadline < today:
        errors["application_deadline"] = msg("The application deadline cannot be in the past.")
    elif data.due_date is not None and data.application_deadline >= data.due_date:
        errors["application_deadline"] = msg("The application deadline must come before the due date.")
    if data.start_date is not None and data.due_date is not None and data.start_date > data.due_date:
        errors["start_date"] = msg("The start date must not be after the due date.")
    names = [clean_line(s) for s in data.skills if clean_line(s)]
    skills: list[Skill] = []
    if len(names) > MAX_SKILLS:
        errors["skills"] = msg("Choose at most {count} skills.", count=MAX_SKILLS)
    elif names:
        skills = list(session.exec(select(Skill).where(func.lower(Skill.name).in_([n.lower() for n in names]))))
        unknown = sorted({n for n in names if n.lower() not in {s.name.lower() for s in skills}})
        if unknown:
            errors["skills"] = msg("Not in the skills list: {names}.", names=", ".join(unknown))
    questions = [clean_line(q) for q in data.questions if clean_line(q)]
    if len(questions) > MAX_QUESTIONS:
        errors["questions"] = msg("Ask at most {count} screening questions.", count=MAX_QUESTIONS)
    elif any(len(q) > 300 for q in questions):
        errors["questions"] = msg("Keep each question under 300 characters.")
    for field_name, message in prohibited_hits(session, texts_of(data)).items():
        errors.setdefault(field_name, message)
    return errors, skills


def texts_of(data: GigInput) -> dict[str, str]:
    """The free-text fields of a gig, keyed by field, as checked against the prohibited list."""
    return {
        "title": data.title,
        "summary": data.summary,
        "scope": data.scope,
        "deliverables": data.deliverables,
        "location": data.location,
        "questions": "\n".join(data.questions),
    }


def input_from_gig(session: Session, gig: Gig) -> GigInput:
    """A stored gig as the form's input (for moderation checks, editing and templates)."""
    questions = session.exec(
        select(ScreeningQuestion.text).where(ScreeningQuestion.gig_id == gig.id).order_by(ScreeningQuestion.position)
    ).all()
    return GigInput(
        title=gig.title,
        summary=gig.summary,
        scope=gig.scope,
        category=gig.category,
        estimated_hours=gig.estimated_hours,
        due_date=gig.due_date,
        application_deadline=gig.application_deadline,
        pay_cents=gig.pay_cents,
        deliverables=gig.deliverables,
        skills=skill_names_by_gig(session, [gig.id])[gig.id],
        location_mode=gig.location_mode,
        location=gig.location,
        start_date=gig.start_date,
        slots=gig.slots,
        currency=gig.currency,
        blind_review=gig.blind_review,
        questions=list(questions),
        organization_id=gig.organization_id,
    )


def _as_written(markup: str) -> str:
    """Markup as its author wrote it, for counting: a stored gig holds each "<" as "&lt;"
    (markup.neutralize_markup), so a draft saved again would otherwise count four characters
    for one and could be refused for a length it was accepted with."""
    return clean_text(markup).replace("&lt;", "<")

"""Posting gigs, their lifecycle, and reading them for the board and detail pages."""

import re
from dataclasses import dataclass, field
from datetime import date

from markdown_it import MarkdownIt
from sqlalchemy import func
from sqlmodel import Session, select

from microgigs.models import Gig, GigSkill, Organization, SavedGig, ScreeningQuestion, Skill, StudentProfile, StudentSkill, User, utcnow
from microgigs.services import audit, moderation, policy, search, track_record
from microgigs.services.amounts import format_cents
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.validation import ValidationFailed, check_length, clean_line, clean_text
from microgigs.settings import get_settings

CATEGORIES = (
    "Marketing",
    "Research",
    "Data analysis",
    "Software",
    "Design",
    "Writing",
    "Operations",
    "Finance",
)
LOCATION_MODES = ("remote", "onsite", "hybrid")
LOCATION_MODE_NAMES = {"remote": "Remote", "onsite": "On-site", "hybrid": "Hybrid"}
BOARD_PAGE_SIZE = 20  # gigs per page of the board
MAX_SKILLS = 8
MAX_QUESTIONS = 5
MAX_SLOTS = 50
MAX_PAY_CENTS = 10_000_000

# Allowed lifecycle moves; anything else is refused with a readable reason.
TRANSITIONS: dict[str, set[str]] = {
    "draft": {"in_review", "open", "cancelled"},
    "in_review": {"open", "rejected", "cancelled"},
    "open": {"filled", "cancelled", "expired"},
    "filled": {"in_progress", "completed", "cancelled"},
    "in_progress": {"completed", "cancelled"},
    "rejected": {"draft"},
    "completed": set(),
    "cancelled": set(),
    "expired": set(),
}


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
    currency: str = "usd"
    blind_review: bool = True
    questions: list[str] = field(default_factory=list)
    # Which employer posts it; may stay None when the manager can post for only one.
    organization_id: int | None = None


@dataclass
class GigCard:
    """What the board shows of one gig."""

    id: int
    title: str
    summary: str
    employer: str
    category: str
    pay: str
    estimated_hours: int
    location_mode: str
    due_date: str
    application_deadline: str
    skills: list[str]
    status: str


@dataclass
class BoardPage:
    cards: list[GigCard]
    total: int
    page: int
    pages: int
    capped: bool = False  # `total` is a lower bound ("500+")
    estimated: bool = False  # `total` is estimated from a sample of the matches ("about 490")


def board_count_text(total: int, *, capped: bool = False, estimated: bool = False) -> str:
    """How the board states its number of results ("1,000+ open gigs", "about 490 open gigs")."""
    if capped:
        return f"{total:,}+ open gigs"
    if estimated:
        return f"about {total:,} open gigs"
    if total == 1:
        return "1 open gig"
    return f"{total:,} open gigs"


@dataclass
class QuestionView:
    id: int
    text: str


@dataclass
class GigDetail:
    card: GigCard
    scope: str
    deliverables: str
    location: str
    slots: int
    slots_left: int
    blind_review: bool
    questions: list[QuestionView]
    viewer_manages: bool
    scope_html: str = ""
    deliverables_html: str = ""
    employer_record: list[str] = field(default_factory=list)  # track_record.summary_lines


def format_money(cents: int, currency: str = "usd") -> str:
    """Kept for older callers; amounts are formatted in one place, services.amounts."""
    return format_cents(cents, currency)


def validate_gig_input(session: Session, data: GigInput, today: date) -> tuple[dict[str, str], list[Skill]]:
    """Every problem with a gig's fields, keyed by field; also the matched skills."""
    errors: dict[str, str] = {}
    check_length(errors, "title", clean_line(data.title), label="a title", max_len=120)
    check_length(errors, "summary", clean_line(data.summary), label="a one-line summary", max_len=300)
    check_length(errors, "scope", clean_text(data.scope), label="the scope of the work", max_len=20_000)
    check_length(errors, "deliverables", clean_text(data.deliverables), label="the deliverables", max_len=5_000, required=False)
    if data.category not in CATEGORIES:
        errors["category"] = "Choose a category from the list."
    if data.location_mode not in LOCATION_MODES:
        errors["location_mode"] = "Choose remote, on-site or hybrid."
    elif data.location_mode != "remote" and not clean_line(data.location):
        errors["location"] = "Say where the work happens."
    check_length(errors, "location", clean_line(data.location), label="a location", max_len=120, required=False)
    if not 1 <= data.estimated_hours <= 400:
        errors["estimated_hours"] = "Estimate between 1 and 400 hours."
    if not 1 <= data.slots <= MAX_SLOTS:
        errors["slots"] = f"Take between 1 and {MAX_SLOTS} students."
    settings = get_settings()
    if data.pay_cents <= 0 or data.pay_cents > MAX_PAY_CENTS:
        errors["pay_cents"] = "Enter the pay per student, more than zero."
    elif data.estimated_hours >= 1 and data.pay_cents < settings.pay_floor_cents_per_hour * data.estimated_hours:
        floor = format_money(settings.pay_floor_cents_per_hour, data.currency)
        minimum = format_money(settings.pay_floor_cents_per_hour * data.estimated_hours, data.currency)
        errors["pay_cents"] = f"Pay at least {floor} an hour: {minimum} for {data.estimated_hours} hours."
    if data.due_date is None:
        errors["due_date"] = "Enter the due date."
    elif data.due_date <= today:
        errors["due_date"] = "The due date must be in the future."
    if data.application_deadline is None:
        errors["application_deadline"] = "Enter the application deadline."
    elif data.application_deadline < today:
        errors["application_deadline"] = "The application deadline cannot be in the past."
    elif data.due_date is not None and data.application_deadline >= data.due_date:
        errors["application_deadline"] = "The application deadline must come before the due date."
    if data.start_date is not None and data.due_date is not None and data.start_date > data.due_date:
        errors["start_date"] = "The start date must not be after the due date."
    names = [clean_line(s) for s in data.skills if clean_line(s)]
    skills: list[Skill] = []
    if len(names) > MAX_SKILLS:
        errors["skills"] = f"Choose at most {MAX_SKILLS} skills."
    elif names:
        skills = list(session.exec(select(Skill).where(func.lower(Skill.name).in_([n.lower() for n in names]))))
        unknown = sorted({n for n in names if n.lower() not in {s.name.lower() for s in skills}})
        if unknown:
            errors["skills"] = f"Not in the skills list: {', '.join(unknown)}."
    questions = [clean_line(q) for q in data.questions if clean_line(q)]
    if len(questions) > MAX_QUESTIONS:
        errors["questions"] = f"Ask at most {MAX_QUESTIONS} screening questions."
    elif any(len(q) > 300 for q in questions):
        errors["questions"] = "Keep each question under 300 characters."
    for field_name, message in moderation.prohibited_hits(session, texts_of(data)).items():
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


_UNSAFE_LINK = re.compile(r"(\]\(\s*<?\s*|\]:\s*<?\s*)(javascript|vbscript|data|file)\s*:", re.IGNORECASE)


def neutralize_markup(value: str) -> str:
    """Markdown with any HTML made inert (shown as text) and script links disarmed.

    Applied before storing and again before showing (it is idempotent)."""
    value = clean_text(value).replace("<", "&lt;")
    return _UNSAFE_LINK.sub(lambda m: m.group(1) + "#blocked-", value)


def _safe_link(url: str) -> bool:
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    return scheme in ("", "http", "https", "mailto")


_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image"])
_MD.validateLink = _safe_link


def render_markdown(value: str) -> str:
    """Safe HTML for a gig's markdown: raw HTML is escaped, only http(s)/mailto/relative links."""
    return _MD.render(neutralize_markup(value))


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


@dataclass
class PostingOrganization:
    id: int
    name: str


def posting_organizations(session: Session, actor: User | None) -> list[PostingOrganization]:
    """The approved employers this manager may post for (a manager can belong to several)."""
    orgs = [session.get(Organization, org_id) for org_id in policy.organization_ids_managed_by(session, actor)]
    allowed = [o for o in orgs if o is not None and policy.may_post_gigs(session, actor, o)]
    return [PostingOrganization(id=o.id, name=o.name) for o in sorted(allowed, key=lambda o: (o.name.lower(), o.id))]


CHOOSE_ORGANIZATION = "Choose which of your organizations posts this gig."


def _employer_for(session: Session, actor: User, organization_id: int | None = None) -> Organization:
    """The employer a new gig belongs to: the one chosen (it must be an approved employer the
    actor manages) or, when none was chosen, the only one the actor can post for."""
    org_ids = policy.organization_ids_managed_by(session, actor)
    policy.require(bool(org_ids), "Only managers of an employer can post gigs.")
    if organization_id is None:
        postable = posting_organizations(session, actor)
        if len(postable) > 1:
            raise ValidationFailed({"organization_id": CHOOSE_ORGANIZATION})
        organization_id = postable[0].id if postable else org_ids[0]
    elif organization_id not in org_ids:
        raise ValidationFailed({"organization_id": CHOOSE_ORGANIZATION})
    org = session.get(Organization, organization_id)
    if org is not None and not policy.may_post_gigs(session, actor, org) and len(org_ids) > 1:
        raise ValidationFailed({"organization_id": f"{org.name} is not approved by the career center, so it cannot post gigs yet."})
    policy.require(
        org is not None and policy.may_post_gigs(session, actor, org),
        "Your organization must be approved by the career center before it can post gigs.",
    )
    return org


def create_gig(session: Session, actor: User, data: GigInput, *, publish: bool = True, today: date | None = None) -> Gig:
    """Save a gig as a draft; with `publish`, submit it (trusted employers go straight to open)."""
    try:
        org, org_errors = _employer_for(session, actor, data.organization_id), {}
    except ValidationFailed as error:  # reported together with every other field's problem
        org, org_errors = None, error.errors
    errors, skills = validate_gig_input(session, data, today or date.today())
    errors.update(org_errors)
    if errors:
        raise ValidationFailed(errors)
    gig = Gig(
        organization_id=org.id,
        created_by_id=actor.id,
        title=clean_line(data.title),
        summary=clean_line(data.summary),
        scope=neutralize_markup(data.scope),
        deliverables=neutralize_markup(data.deliverables),
        category=data.category,
        location_mode=data.location_mode,
        location=clean_line(data.location),
        estimated_hours=data.estimated_hours,
        start_date=data.start_date,
        due_date=data.due_date,
        application_deadline=data.application_deadline,
        slots=data.slots,
        pay_cents=data.pay_cents,
        currency=data.currency.lower(),
        blind_review=data.blind_review,
        max_revision_rounds=get_settings().default_revision_rounds,
    )
    session.add(gig)
    session.flush()
    for skill in skills:
        session.add(GigSkill(gig_id=gig.id, skill_id=skill.id))
    for position, text in enumerate(q for q in (clean_line(q) for q in data.questions) if q):
        session.add(ScreeningQuestion(gig_id=gig.id, position=position, text=text))
    audit.record(session, actor, "gig.created", "gig", gig.id, status="draft")
    if publish:
        submit_gig(session, actor, gig.id, today=today)
    session.flush()
    return gig


def move_gig(session: Session, actor: User | None, gig: Gig, new_status: str, reason: str = "") -> Gig:
    """Apply one lifecycle move after the caller has authorized it."""
    if new_status not in TRANSITIONS.get(gig.status, set()):
        raise DomainError(f"A gig that is {gig.status.replace('_', ' ')} cannot become {new_status.replace('_', ' ')}.")
    old = gig.status
    gig.status = new_status
    gig.status_reason = reason
    gig.updated_at = utcnow()
    if new_status == "open" and gig.published_at is None:
        gig.published_at = utcnow()
    session.add(gig)
    audit.record(session, actor, f"gig.{new_status}", "gig", gig.id, previous=old, reason=reason)
    return gig


def get_gig(session: Session, gig_id: int) -> Gig:
    gig = session.get(Gig, gig_id)
    if gig is None:
        raise NotFound("That gig")
    return gig


def submit_gig(session: Session, actor: User, gig_id: int, *, today: date | None = None) -> Gig:
    gig = get_gig(session, gig_id)
    policy.require(policy.manages_gig(session, actor, gig), "Only the gig's own managers can submit it.")
    org = session.get(Organization, gig.organization_id)
    policy.require(policy.may_post_gigs(session, actor, org), "Your organization is not approved to publish gigs.")
    if gig.status == "draft":
        # A draft saved days ago is checked again: its dates may have passed since.
        errors, _ = validate_gig_input(session, input_from_gig(session, gig), today or date.today())
        if errors:
            raise ValidationFailed(errors)
    move_gig(session, actor, gig, "in_review")
    if org.trusted:
        move_gig(session, None, gig, "open", reason="trusted employer")
    return gig


def post_draft(session: Session, actor: User, gig_id: int) -> GigCard:
    """Submit a previewed draft (as `submit_gig`) and return its card as it now stands: open at
    once for a trusted employer, otherwise in review."""
    submit_gig(session, actor, gig_id)
    session.flush()
    return cards_by_ids(session, [gig_id])[0]


def approve_gig(session: Session, actor: User, gig_id: int) -> Gig:
    policy.require(policy.is_staff(actor), "Only career-center staff can approve gigs.")
    return move_gig(session, actor, get_gig(session, gig_id), "open")


def reject_gig(session: Session, actor: User, gig_id: int, reason: str) -> Gig:
    policy.require(policy.is_staff(actor), "Only career-center staff can reject gigs.")
    reason = clean_text(reason)
    if not reason:
        raise DomainError("Say why the gig is rejected.", "reason")
    if len(reason) > 500:
        raise DomainError(f"Use at most 500 characters (you have {len(reason):,}).", "reason")
    return move_gig(session, actor, get_gig(session, gig_id), "rejected", reason=reason)


# --- reading -------------------------------------------------------------------


def skill_names_by_gig(session: Session, gig_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {gid: [] for gid in gig_ids}
    if gig_ids:
        # Core, not the ORM: the board calls this on every page, and rows are all it needs.
        rows = session.connection().execute(
            select(GigSkill.gig_id, Skill.name)
            .join(Skill, Skill.id == GigSkill.skill_id)
            .where(GigSkill.gig_id.in_(gig_ids))
            .order_by(Skill.name)
        )
        for gig_id, name in rows:
            names[gig_id].append(name)
    return names


def cards_for(session: Session, gigs_with_employer: list[tuple[Gig, str]]) -> list[GigCard]:
    """Cards for (gig, employer name) pairs; a gig may be a row with the card's columns."""
    skills = skill_names_by_gig(session, [g.id for g, _ in gigs_with_employer])
    return [
        GigCard(
            id=g.id,
            title=g.title,
            summary=g.summary,
            employer=employer,
            category=g.category,
            pay=format_money(g.pay_cents, g.currency),
            estimated_hours=g.estimated_hours,
            location_mode=g.location_mode,
            due_date=g.due_date.isoformat(),
            application_deadline=g.application_deadline.isoformat(),
            skills=skills[g.id],
            status=g.status,
        )
        for g, employer in gigs_with_employer
    ]


def list_board(
    session: Session,
    *,
    query: str = "",
    category: str = "",
    page: int = 1,
    per_page: int = 20,
    today: date | None = None,
    filters: "search.BoardQuery | None" = None,
    match_skill_ids: list[int] | None = None,
) -> BoardPage:
    """Open gigs still taking applications: full-text search, filters, sort and one page.

    `filters` (a BoardQuery) carries everything; `query`/`category`/`page` are shortcuts."""
    if filters is None:
        filters = search.BoardQuery(q=clean_line(query, limit=search.MAX_QUERY), category=category, page=page)
    result = search.search_gigs(session, filters, per_page=per_page, today=today, match_skill_ids=match_skill_ids)
    return BoardPage(
        cards=cards_by_ids(session, result.gig_ids),
        total=result.total,
        page=result.page,
        pages=result.pages,
        capped=result.capped,
        estimated=result.estimated,
    )


def cards_by_ids(session: Session, gig_ids: list[int]) -> list[GigCard]:
    """Cards for these gigs, in the order given: two queries, only the columns a card shows."""
    if not gig_ids:
        return []
    rows = (
        session.connection()
        .execute(
            select(
                Gig.id,
                Gig.title,
                Gig.summary,
                Gig.category,
                Gig.pay_cents,
                Gig.currency,
                Gig.estimated_hours,
                Gig.location_mode,
                Gig.due_date,
                Gig.application_deadline,
                Gig.status,
                Organization.name.label("employer"),
            )
            .join(Organization, Organization.id == Gig.organization_id)
            .where(Gig.id.in_(gig_ids))
        )
        .all()
    )
    by_id = {row.id: (row, row.employer) for row in rows}
    return cards_for(session, [by_id[i] for i in gig_ids if i in by_id])


def gig_detail(session: Session, viewer: User | None, gig_id: int) -> GigDetail:
    """A gig as its viewer may see it: anyone sees open gigs; managers and staff see their own in any state."""
    gig = get_gig(session, gig_id)
    viewer_manages = policy.manages_gig(session, viewer, gig)
    if gig.status not in ("open", "filled", "in_progress", "completed") and not (viewer_manages or policy.is_staff(viewer)):
        raise NotFound("That gig")
    org = session.get(Organization, gig.organization_id)
    questions = session.exec(select(ScreeningQuestion).where(ScreeningQuestion.gig_id == gig.id).order_by(ScreeningQuestion.position)).all()
    return GigDetail(
        card=cards_for(session, [(gig, org.name)])[0],
        scope=neutralize_markup(gig.scope),
        deliverables=neutralize_markup(gig.deliverables),
        scope_html=render_markdown(gig.scope),
        deliverables_html=render_markdown(gig.deliverables),
        location=gig.location,
        slots=gig.slots,
        slots_left=max(0, gig.slots - gig.filled_slots),
        blind_review=gig.blind_review,
        questions=[QuestionView(id=q.id, text=q.text) for q in questions],
        viewer_manages=viewer_manages,
        employer_record=track_record.summary_lines(track_record.shown_record(session, gig.organization_id)),
    )


def all_skill_names(session: Session) -> list[str]:
    return list(session.exec(select(Skill.name).order_by(Skill.name)))


# --- drafts, templates ------------------------------------------------------------

EDITABLE = ("draft", "rejected")


def update_gig(session: Session, actor: User, gig_id: int, data: GigInput, *, today: date | None = None) -> Gig:
    """Edit a draft (or a rejected gig, which goes back to draft). Nothing is written unless every field is valid."""
    gig = get_gig(session, gig_id)
    policy.require(policy.manages_gig(session, actor, gig), "Only the gig's own managers can edit it.")
    if gig.status not in EDITABLE:
        raise DomainError(f"A gig that is {gig.status.replace('_', ' ')} can no longer be edited.")
    errors, skills = validate_gig_input(session, data, today or date.today())
    if errors:
        raise ValidationFailed(errors)
    if gig.status == "rejected":
        move_gig(session, actor, gig, "draft", reason="edited after rejection")
    gig.title, gig.summary = clean_line(data.title), clean_line(data.summary)
    gig.scope, gig.deliverables = neutralize_markup(data.scope), neutralize_markup(data.deliverables)
    gig.category, gig.location_mode, gig.location = data.category, data.location_mode, clean_line(data.location)
    gig.estimated_hours, gig.start_date, gig.due_date = data.estimated_hours, data.start_date, data.due_date
    gig.application_deadline, gig.slots, gig.pay_cents = data.application_deadline, data.slots, data.pay_cents
    gig.currency, gig.blind_review, gig.updated_at = data.currency.lower(), data.blind_review, utcnow()
    session.add(gig)
    for row in session.exec(select(GigSkill).where(GigSkill.gig_id == gig.id)).all():
        session.delete(row)
    for row in session.exec(select(ScreeningQuestion).where(ScreeningQuestion.gig_id == gig.id)).all():
        session.delete(row)
    session.flush()
    for skill in skills:
        session.add(GigSkill(gig_id=gig.id, skill_id=skill.id))
    for position, text in enumerate(q for q in (clean_line(q) for q in data.questions) if q):
        session.add(ScreeningQuestion(gig_id=gig.id, position=position, text=text))
    audit.record(session, actor, "gig.edited", "gig", gig.id, status=gig.status)
    session.flush()
    return gig


def draft_for_edit(session: Session, actor: User, gig_id: int) -> GigInput:
    """What the edit form starts from: only the gig's own managers, only while it can be edited."""
    gig = get_gig(session, gig_id)
    policy.require(policy.manages_gig(session, actor, gig), "Only the gig's own managers can edit it.")
    if gig.status not in EDITABLE:
        raise DomainError(f"A gig that is {gig.status.replace('_', ' ')} can no longer be edited.")
    return input_from_gig(session, gig)


def template_from(session: Session, actor: User, gig_id: int) -> GigInput:
    """An old gig of the actor's employer as the start of a new one (dates left for the new gig)."""
    gig = get_gig(session, gig_id)
    policy.require(policy.manages_gig(session, actor, gig), "You can only reuse your own employer's gigs.")
    data = input_from_gig(session, gig)
    data.start_date = data.due_date = data.application_deadline = None
    return data


# --- saved gigs and recommendations -----------------------------------------------


@dataclass
class Recommendation:
    card: GigCard
    reason: str
    matched: int


def save_gig(session: Session, actor: User, gig_id: int) -> None:
    policy.require(policy.is_student(actor), "Only students can save gigs.")
    gig = get_gig(session, gig_id)
    if gig.status not in ("open", "filled", "in_progress", "completed"):
        raise NotFound("That gig")
    if session.get(SavedGig, (actor.id, gig.id)) is None:
        session.add(SavedGig(user_id=actor.id, gig_id=gig.id))
        session.flush()


def unsave_gig(session: Session, actor: User, gig_id: int) -> None:
    policy.require(policy.is_student(actor), "Only students can save gigs.")
    row = session.get(SavedGig, (actor.id, gig_id))
    if row is not None:
        session.delete(row)
        session.flush()


def is_saved(session: Session, actor: User | None, gig_id: int) -> bool:
    return policy.is_student(actor) and session.get(SavedGig, (actor.id, gig_id)) is not None


def saved_cards(session: Session, actor: User) -> list[GigCard]:
    """The student's saved gigs that are still visible, most recently saved first."""
    policy.require(policy.is_student(actor), "Only students have saved gigs.")
    ids = list(
        session.exec(
            select(SavedGig.gig_id)
            .join(Gig, Gig.id == SavedGig.gig_id)
            .where(SavedGig.user_id == actor.id, Gig.status.in_(("open", "filled", "in_progress", "completed")))
            .order_by(SavedGig.created_at.desc())
        )
    )
    return cards_by_ids(session, ids)


def student_skill_ids(session: Session, actor: User | None) -> list[int]:
    if not policy.is_student(actor):
        return []
    return list(session.exec(select(StudentSkill.skill_id).where(StudentSkill.user_id == actor.id)))


RECOMMEND_FROM_NEWEST = 2_000


def recommended_for(session: Session, actor: User | None, *, limit: int = 5, today: date | None = None) -> list[Recommendation]:
    """Open gigs ranked by how many of their skills the student has, then by whether the
    hours fit the student's week; the reason says why ("3 of 4 skills · fits 10 h/week")."""
    if not policy.is_student(actor):
        return []
    today = today or date.today()
    mine = student_skill_ids(session, actor)
    if not mine:
        return []
    matched_count = func.count(GigSkill.skill_id).label("matched")
    # Recommendations come from the newest open gigs (read from the board's index), so a
    # board of 100,000 gigs costs no more than one of a few thousand.
    newest_open = (
        select(Gig.id)
        .where(Gig.status == "open", Gig.application_deadline >= today)
        .order_by(Gig.published_at.desc(), Gig.id.desc())
        .limit(RECOMMEND_FROM_NEWEST)
    )
    candidates = session.exec(
        select(Gig.id, matched_count)
        .join(GigSkill, GigSkill.gig_id == Gig.id)
        .where(Gig.id.in_(newest_open), GigSkill.skill_id.in_(mine))
        .group_by(Gig.id)
        .order_by(matched_count.desc(), Gig.id.desc())
        .limit(200)
    ).all()
    if not candidates:
        return []
    profile = session.get(StudentProfile, actor.id)
    weekly = profile.hours_per_week if profile else 10
    gig_rows = {g.id: g for g in session.exec(select(Gig).where(Gig.id.in_([c[0] for c in candidates])))}
    totals = {gid: len(names) for gid, names in skill_names_by_gig(session, list(gig_rows)).items()}

    def fits(gig: Gig) -> bool:
        weeks = max(1.0, (gig.due_date - today).days / 7)
        return gig.estimated_hours / weeks <= weekly

    ranked = sorted(
        candidates,
        key=lambda c: (c[1] / max(1, totals[c[0]]), c[1], fits(gig_rows[c[0]]), c[0]),
        reverse=True,
    )[:limit]
    cards = {card.id: card for card in cards_by_ids(session, [gid for gid, _ in ranked])}
    out = []
    for gid, matched in ranked:
        reason = f"{matched} of {totals[gid]} skills"
        reason += f" · fits your {weekly} hours a week" if fits(gig_rows[gid]) else f" · more than your {weekly} hours a week"
        out.append(Recommendation(card=cards[gid], reason=reason, matched=matched))
    return out


def employer_choices(session: Session) -> list[tuple[int, str]]:
    """Employers with open gigs, for the board's employer filter. Asked per employer (does it
    have one open gig?) through its gigs' index, not by reading every open gig: the board
    calls this on every visit."""
    has_open_gig = select(Gig.id).where(Gig.organization_id == Organization.id, Gig.status == "open").exists()
    return [
        (oid, name)
        for oid, name in session.exec(select(Organization.id, Organization.name).where(has_open_gig).order_by(Organization.name))
    ]

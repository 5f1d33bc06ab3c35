"""Writing a gig: a new one (saved as a draft, or submitted at once), a previewed draft
posted, edits to a draft or a rejected gig, and an old gig reused as the start of a new one."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from microgigs.i18n import _, msg
from microgigs.models import Gig, GigSkill, Organization, ScreeningQuestion, Skill, User, utcnow
from microgigs.services import audit, center, policy
from microgigs.services.amounts import currency_name
from microgigs.services.errors import DomainError
from microgigs.services.gigs.cards import GigCard, cards_by_ids
from microgigs.services.gigs.form import GigInput, input_from_gig, validate_gig_input
from microgigs.services.gigs.lifecycle import move_gig
from microgigs.services.gigs.lookups import get_gig
from microgigs.services.gigs.publishing import submit_gig
from microgigs.services.markdown import neutralize_markup
from microgigs.services.statuses import GigStatus
from microgigs.services.validation import ValidationFailed, clean_line

# A gig its managers may still change; a rejected one goes back to draft when edited.
EDITABLE = (GigStatus.DRAFT, GigStatus.REJECTED)
# Why a gig in each other status cannot be edited (one whole sentence each: a status is not
# a word a translation can slot in).
NOT_EDITABLE = {
    GigStatus.IN_REVIEW: _("A gig that is in review can no longer be edited."),
    GigStatus.OPEN: _("A gig that is open can no longer be edited."),
    GigStatus.FILLED: _("A gig that is filled can no longer be edited."),
    GigStatus.IN_PROGRESS: _("A gig that is in progress can no longer be edited."),
    GigStatus.COMPLETED: _("A gig that is completed can no longer be edited."),
    GigStatus.CANCELLED: _("A gig that is cancelled can no longer be edited."),
    GigStatus.EXPIRED: _("A gig that is expired can no longer be edited."),
}
CHOOSE_ORGANIZATION = msg("Choose which of your organizations posts this gig.")


@dataclass
class PostingOrganization:
    id: int
    name: str


def posting_organizations(session: Session, actor: User | None) -> list[PostingOrganization]:
    """The approved employers this manager may post for (a manager can belong to several)."""
    orgs = [session.get(Organization, org_id) for org_id in policy.organization_ids_managed_by(session, actor)]
    allowed = [o for o in orgs if o is not None and policy.may_post_gigs(session, actor, o)]
    return [PostingOrganization(id=o.id, name=o.name) for o in sorted(allowed, key=lambda o: (o.name.lower(), o.id))]


def _employer_for(session: Session, actor: User, organization_id: int | None = None) -> Organization:
    """The employer a new gig belongs to: the one chosen (it must be an approved employer the
    actor manages) or, when none was chosen, the only one the actor can post for."""
    org_ids = policy.organization_ids_managed_by(session, actor)
    policy.require(bool(org_ids), _("Only managers of an employer can post gigs."))
    if organization_id is None:
        postable = posting_organizations(session, actor)
        if len(postable) > 1:
            raise ValidationFailed({"organization_id": CHOOSE_ORGANIZATION})
        organization_id = postable[0].id if postable else org_ids[0]
    elif organization_id not in org_ids:
        raise ValidationFailed({"organization_id": CHOOSE_ORGANIZATION})
    org = session.get(Organization, organization_id)
    if org is not None and not policy.may_post_gigs(session, actor, org) and len(org_ids) > 1:
        raise ValidationFailed(
            {"organization_id": msg("{name} is not approved by the career center, so it cannot post gigs yet.", name=org.name)}
        )
    policy.require(
        org is not None and policy.may_post_gigs(session, actor, org),
        _("Your organization must be approved by the career center before it can post gigs."),
    )
    return org


def _add_skills_and_questions(session: Session, gig: Gig, skills: list[Skill], questions: list[str]) -> None:
    """The gig's skills, and its screening questions in the order asked (blank ones dropped)."""
    for skill in skills:
        session.add(GigSkill(gig_id=gig.id, skill_id=skill.id))
    for position, text in enumerate(q for q in (clean_line(q) for q in questions) if q):
        session.add(ScreeningQuestion(gig_id=gig.id, position=position, text=text))


def _currency_errors(data: GigInput, currency: str) -> dict[str, str]:
    """A pay typed in another currency than the gig's (the center changed its currency while
    the form was open): asked again rather than read as another currency's amount."""
    if not data.currency or data.currency.lower() == currency:
        return {}
    return {
        "pay_cents": msg(
            "This gig's pay is in {currency}, not {other}: enter it again.",
            currency=currency_name(currency),
            other=currency_name(data.currency),
        )
    }


def create_gig(session: Session, actor: User, data: GigInput, *, publish: bool = True, today: date | None = None) -> Gig:
    """Save a gig as a draft; with `publish`, submit it (trusted employers go straight to open).
    A new gig is in the center's currency as it is now; it keeps that currency afterwards."""
    try:
        org, org_errors = _employer_for(session, actor, data.organization_id), {}
    except ValidationFailed as error:  # reported together with every other field's problem
        org, org_errors = None, error.errors
    currency = center.current(session).currency
    errors, skills = validate_gig_input(session, data, today or date.today())
    errors.update(_currency_errors(data, currency))
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
        currency=currency,
        timezone=actor.timezone or "UTC",
        blind_review=data.blind_review,
        max_revision_rounds=center.current(session).revision_rounds,
    )
    session.add(gig)
    session.flush()
    _add_skills_and_questions(session, gig, skills, data.questions)
    audit.record(session, actor, "gig.created", "gig", gig.id, status=GigStatus.DRAFT)
    if publish:
        submit_gig(session, actor, gig.id, today=today)
    session.flush()
    return gig


def post_draft(session: Session, actor: User, gig_id: int) -> GigCard:
    """Submit a previewed draft (as `submit_gig`) and return its card as it now stands: open at
    once for a trusted employer, otherwise in review."""
    submit_gig(session, actor, gig_id)
    session.flush()
    return cards_by_ids(session, [gig_id])[0]


def _editable_gig(session: Session, actor: User, gig_id: int) -> Gig:
    """The gig, if the actor manages it and it can still be edited."""
    gig = get_gig(session, gig_id)
    policy.require(policy.manages_gig(session, actor, gig), _("Only the gig's own managers can edit it."))
    if gig.status not in EDITABLE:
        raise DomainError(NOT_EDITABLE.get(gig.status, NOT_EDITABLE[GigStatus.OPEN]))
    return gig


def update_gig(session: Session, actor: User, gig_id: int, data: GigInput, *, today: date | None = None) -> Gig:
    """Edit a draft (or a rejected gig, which goes back to draft). Nothing is written unless every
    field is valid. The gig keeps its currency, even after the center changed its own: its pay
    was typed in it, and there is no exchange rate to convert it."""
    gig = _editable_gig(session, actor, gig_id)
    if not data.currency:
        data.currency = gig.currency
    errors, skills = validate_gig_input(session, data, today or date.today())
    errors.update(_currency_errors(data, gig.currency))
    if errors:
        raise ValidationFailed(errors)
    if gig.status == GigStatus.REJECTED:
        move_gig(session, actor, gig, GigStatus.DRAFT, reason="edited after rejection")
    gig.title, gig.summary = clean_line(data.title), clean_line(data.summary)
    gig.scope, gig.deliverables = neutralize_markup(data.scope), neutralize_markup(data.deliverables)
    gig.category, gig.location_mode, gig.location = data.category, data.location_mode, clean_line(data.location)
    gig.estimated_hours, gig.start_date, gig.due_date = data.estimated_hours, data.start_date, data.due_date
    gig.application_deadline, gig.slots, gig.pay_cents = data.application_deadline, data.slots, data.pay_cents
    gig.blind_review, gig.updated_at = data.blind_review, utcnow()
    session.add(gig)
    for row in session.exec(select(GigSkill).where(GigSkill.gig_id == gig.id)).all():
        session.delete(row)
    for row in session.exec(select(ScreeningQuestion).where(ScreeningQuestion.gig_id == gig.id)).all():
        session.delete(row)
    session.flush()
    _add_skills_and_questions(session, gig, skills, data.questions)
    audit.record(session, actor, "gig.edited", "gig", gig.id, status=gig.status)
    session.flush()
    return gig


def draft_for_edit(session: Session, actor: User, gig_id: int) -> GigInput:
    """What the edit form starts from: only the gig's own managers, only while it can be edited."""
    return input_from_gig(session, _editable_gig(session, actor, gig_id))


def template_from(session: Session, actor: User, gig_id: int) -> GigInput:
    """An old gig of the actor's employer as the start of a new one (dates left for the new gig)."""
    gig = get_gig(session, gig_id)
    policy.require(policy.manages_gig(session, actor, gig), _("You can only reuse your own employer's gigs."))
    data = input_from_gig(session, gig)
    data.start_date = data.due_date = data.application_deadline = None
    currency = center.current(session).currency
    if data.currency != currency:  # the new gig is in the center's currency: its pay is asked again
        data.pay_cents = 0
    data.currency = currency
    return data

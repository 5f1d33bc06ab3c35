"""Moderation: the career center's review queue, its rule checks, approve / reject with a
reason (mailed to the employer), the prohibited-content list and the employer "trusted" flag."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from microgigs.i18n import Day, Money, _, joined, msg
from microgigs.models import Gig, Organization, ProhibitedTerm, User
from microgigs.services import audit, gigs, notifications, policy
from microgigs.services.amounts import format_cents
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.prohibited_terms import prohibited_hits
from microgigs.services.statuses import GigStatus
from microgigs.services.validation import fold_lookalikes

MAX_TERM = 60


@dataclass
class TermRow:
    id: int
    term: str


@dataclass
class RuleCheck:
    rule: str
    passed: bool
    detail: str


@dataclass
class QueueItem:
    gig_id: int
    title: str
    summary: str
    employer: str
    organization_id: int
    trusted: bool
    # Written values (i18n): the page writes them in the viewer's language.
    pay: str
    estimated_hours: int
    due_date: str
    application_deadline: str
    checks: list[RuleCheck]
    all_passed: bool


# --- the prohibited-content list ------------------------------------------------
# (Finding its terms in a gig's text is services/prohibited_terms.py: the gig form uses it too.)


def list_terms(session: Session, actor: User) -> list[TermRow]:
    policy.require(policy.is_staff(actor), _("Only career-center staff can see the prohibited-content list."))
    return [TermRow(id=t.id, term=t.term) for t in session.exec(select(ProhibitedTerm).order_by(ProhibitedTerm.term))]


def add_term(session: Session, actor: User, term: str) -> ProhibitedTerm:
    policy.require(policy.is_staff(actor), _("Only career-center staff can edit the prohibited-content list."))
    cleaned = " ".join(fold_lookalikes(term).split())
    if len(cleaned) < 2:
        raise DomainError("Enter a word or phrase of at least 2 characters.", "term")
    if len(cleaned) > MAX_TERM:
        raise DomainError(msg("Use at most {count} characters.", count=MAX_TERM), "term")
    if session.exec(select(ProhibitedTerm.id).where(func.lower(ProhibitedTerm.term) == cleaned)).first() is not None:
        raise DomainError(msg("“{term}” is already on the list.", term=cleaned), "term")
    row = ProhibitedTerm(term=cleaned, created_by_id=actor.id)
    session.add(row)
    session.flush()
    audit.record(session, actor, "prohibited_term.added", "prohibited_term", row.id, term=cleaned)
    return row


def remove_term(session: Session, actor: User, term_id: int) -> None:
    policy.require(policy.is_staff(actor), _("Only career-center staff can edit the prohibited-content list."))
    row = session.get(ProhibitedTerm, term_id)
    if row is None:
        raise NotFound("That term")
    audit.record(session, actor, "prohibited_term.removed", "prohibited_term", row.id, term=row.term)
    session.delete(row)
    session.flush()


# --- the review queue -------------------------------------------------------------


def rule_checks(session: Session, gig: Gig, today: date) -> list[RuleCheck]:
    """The posting rules re-run on a stored gig, one line per rule."""
    stored = gigs.input_from_gig(session, gig)
    errors, _skills = gigs.validate_gig_input(session, stored, today)
    terms = prohibited_hits(session, gigs.texts_of(stored))

    def check(rule: str, fields: tuple[str, ...], ok_text: str, source: dict[str, str]) -> RuleCheck:
        problems = [source[f] for f in fields if f in source]
        # Still messages (translated where shown), several as one line.
        detail = (problems[0] if len(problems) == 1 else joined(problems)) if problems else ok_text
        return RuleCheck(rule=rule, passed=not problems, detail=detail)

    other = {k: v for k, v in errors.items() if k not in terms}
    return [
        check(
            msg("Fair pay"), ("pay_cents",), msg("At or above {amount} an hour.", amount=gigs.pay_floor_text(session, gig.currency)), errors
        ),
        check(
            msg("Dates"),
            ("due_date", "application_deadline", "start_date"),
            msg("Deadline before the due date; due date in the future."),
            errors,
        ),
        check(msg("Prohibited content"), tuple(terms), msg("No prohibited terms."), terms),
        check(
            msg("Complete and well-formed"),
            tuple(k for k in other if k not in ("pay_cents", "due_date", "application_deadline", "start_date")),
            msg("Every field is filled in and within its limits."),
            other,
        ),
    ]


def review_queue(session: Session, actor: User, today: date | None = None) -> list[QueueItem]:
    """Gigs waiting for review, oldest first, each with its rule checks."""
    policy.require(policy.is_staff(actor), _("Only career-center staff can see the review queue."))
    today = today or date.today()
    rows = session.exec(
        select(Gig, Organization)
        .join(Organization, Organization.id == Gig.organization_id)
        .where(Gig.status == GigStatus.IN_REVIEW)
        .order_by(Gig.updated_at, Gig.id)
    ).all()
    items = []
    for gig, org in rows:
        checks = rule_checks(session, gig, today)
        items.append(
            QueueItem(
                gig_id=gig.id,
                title=gig.title,
                summary=gig.summary,
                employer=org.name,
                organization_id=org.id,
                trusted=org.trusted,
                pay=Money(format_cents(gig.pay_cents, gig.currency), gig.pay_cents, gig.currency),
                estimated_hours=gig.estimated_hours,
                due_date=Day(gig.due_date),
                application_deadline=Day(gig.application_deadline),
                checks=checks,
                all_passed=all(c.passed for c in checks),
            )
        )
    return items


def _tell_managers(session: Session, gig: Gig, kind: str, title: str, *, email: bool) -> None:
    for user_id in policy.manager_ids(session, gig.organization_id):
        notifications.notify(session, user_id, kind, title, f"/gigs/{gig.id}", email=email)


def approve(session: Session, actor: User, gig_id: int) -> Gig:
    gig = gigs.approve_gig(session, actor, gig_id)
    _tell_managers(session, gig, "gig.approved", msg("Your gig “{title}” is approved and now on the board.", title=gig.title), email=False)
    session.flush()
    return gig


def reject(session: Session, actor: User, gig_id: int, reason: str) -> Gig:
    """Reject with a reason; every manager of the employer gets it by mail."""
    gig = gigs.reject_gig(session, actor, gig_id, reason)
    _tell_managers(
        session,
        gig,
        "gig.rejected",
        msg("Your gig “{title}” was not approved. Reason: {reason}", title=gig.title, reason=gig.status_reason),
        email=True,
    )
    session.flush()
    return gig


def set_trusted(session: Session, actor: User, organization_id: int, trusted: bool) -> Organization:
    policy.require(policy.is_staff(actor), _("Only career-center staff can change whether an employer is trusted."))
    org = session.get(Organization, organization_id)
    if org is None or org.kind != "employer":
        raise NotFound("That employer")
    org.trusted = bool(trusted)
    session.add(org)
    audit.record(session, actor, "organization.trusted" if trusted else "organization.untrusted", "organization", org.id)
    session.flush()
    return org

"""Disputes: either side stops an engagement with a statement; career-center staff
mediate in a thread and decide (pay in full, pay part, refund), which moves the money.
Every step is an audit event."""

from dataclasses import dataclass

from babel.numbers import get_currency_name
from sqlmodel import Session, select

from microgigs.i18n import _, format_datetime, format_money, gettext, language_or_default, msg
from microgigs.models import Dispute, DisputeMessage, Engagement, Gig, User, utcnow
from microgigs.services import audit, notifications, payments, policy
from microgigs.services.amounts import currency_name, format_cents
from microgigs.services.engagement_lifecycle import UNDER_WAY, move_engagement
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.markdown import render_markdown
from microgigs.services.row_locks import locked_row
from microgigs.services.statuses import EngagementStatus, status_words
from microgigs.services.validation import ValidationFailed, check_length, clean_text

OPENABLE = UNDER_WAY
OUTCOMES = ("pay_full", "pay_part", "refund")


def _parties(session: Session, engagement: Engagement) -> list[int]:
    gig = session.get(Gig, engagement.gig_id)
    return [engagement.student_id, *policy.manager_ids(session, gig.organization_id)]


def _is_party(session: Session, actor: User | None, engagement: Engagement) -> bool:
    return policy.is_active_user(actor) and actor.id in _parties(session, engagement)


def open_dispute(session: Session, actor: User, engagement_id: int, statement: str) -> Dispute:
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or not _is_party(session, actor, engagement):
        raise NotFound("That engagement")
    engagement = locked_row(session, Engagement, engagement_id)
    if session.exec(select(Dispute.id).where(Dispute.engagement_id == engagement.id)).first() is not None:
        raise DomainError("This engagement already has a dispute.")
    if engagement.status not in OPENABLE:
        raise DomainError(msg("An engagement that is {status} cannot be disputed.", status=status_words(engagement.status)))
    statement = clean_text(statement)
    errors: dict[str, str] = {}
    check_length(errors, "statement", statement, label=msg("what went wrong"), max_len=5000)
    if errors:
        raise ValidationFailed(errors)
    dispute = Dispute(engagement_id=engagement.id, opened_by_id=actor.id, statement=statement, previous_status=engagement.status)
    session.add(dispute)
    session.flush()
    move_engagement(session, actor, engagement, EngagementStatus.DISPUTED, dispute_id=dispute.id)
    for user_id in _parties(session, engagement):
        if user_id != actor.id:
            notifications.notify(
                session, user_id, "dispute.opened", msg("A dispute was opened on your engagement"), f"/disputes/{dispute.id}", email=True
            )
    return dispute


def _dispute_for(session: Session, actor: User | None, dispute_id: int) -> tuple[Dispute, Engagement]:
    dispute = session.get(Dispute, dispute_id)
    engagement = session.get(Engagement, dispute.engagement_id) if dispute else None
    if dispute is None or not (policy.is_staff(actor) or _is_party(session, actor, engagement)):
        raise NotFound("That dispute")
    return dispute, engagement


def post_message(session: Session, actor: User, dispute_id: int, body: str) -> DisputeMessage:
    dispute, _ = _dispute_for(session, actor, dispute_id)
    if dispute.status != "open":
        raise DomainError("This dispute is decided; the thread is closed.")
    body = clean_text(body)
    errors: dict[str, str] = {}
    check_length(errors, "body", body, label=msg("a message"), max_len=5000)
    if errors:
        raise ValidationFailed(errors)
    message = DisputeMessage(dispute_id=dispute.id, author_id=actor.id, body=body)
    session.add(message)
    session.flush()
    audit.record(session, actor, "dispute.message", "dispute", dispute.id)
    return message


def decide(session: Session, actor: User, dispute_id: int, outcome: str, student_share_cents: int = 0, note: str = "") -> Dispute:
    """Staff's decision; it moves the held money and ends the engagement."""
    policy.require(policy.is_staff(actor), _("Only career-center staff decide disputes."))
    dispute, engagement = _dispute_for(session, actor, dispute_id)
    # Another staff member may be deciding it right now: wait for them, then read it again.
    engagement = locked_row(session, Engagement, engagement.id)
    session.refresh(dispute)
    if dispute.status != "open":
        raise DomainError("This dispute is already decided.")
    if outcome not in OUTCOMES:
        raise DomainError("Choose pay in full, pay part, or refund.", "outcome")
    share = {"pay_full": engagement.pay_cents, "refund": 0}.get(outcome, student_share_cents)
    if outcome == "pay_part" and not 0 < share < engagement.pay_cents:
        raise DomainError(
            msg(
                "A part payment is more than nothing and less than the full {amount}.",
                amount=format_cents(engagement.pay_cents, engagement.currency),
            ),
            "student_share",
        )
    note = clean_text(note)
    if len(note) > 1000:
        raise DomainError("Use at most 1,000 characters.", "note")
    # A refund gives the employer the platform fee back too; any payment to the student keeps it.
    sent = payments.settle_held(session, engagement, student_cents=share, refund_fee=share == 0, reason="dispute")
    if not share:
        move_engagement(session, actor, engagement, EngagementStatus.CANCELLED, dispute_id=dispute.id)
    elif sent:
        move_engagement(session, actor, engagement, EngagementStatus.PAID, dispute_id=dispute.id)
    else:
        # The student's share waits (no payout account yet, a timeout, a refusal): approved,
        # like an approval whose payout waits; payments closes it as paid once the money goes
        # and has told the student what to do.
        move_engagement(session, actor, engagement, EngagementStatus.APPROVED, dispute_id=dispute.id)
    dispute.status, dispute.outcome, dispute.student_share_cents = "decided", outcome, share
    dispute.decision_note, dispute.decided_by_id, dispute.decided_at = note, actor.id, utcnow()
    session.add(dispute)
    audit.record(session, actor, "dispute.decided", "dispute", dispute.id, outcome=outcome, student_share_cents=share)
    for user_id in _parties(session, engagement):
        notifications.notify(
            session, user_id, "dispute.decided", msg("The career center decided the dispute"), f"/disputes/{dispute.id}", email=True
        )
    return dispute


def _currency_words(currency: str, language: str) -> str:
    """The currency in words, plural, in `language` ("US dollars" / "dólares estadounidenses")."""
    language = language_or_default(language)
    if language == "en":
        return currency_name(currency)
    return get_currency_name((currency or "usd").upper(), count=2, locale=language)


@dataclass
class MessageView:
    author: str
    body: str
    written_at: str
    body_html: str = ""  # safe HTML (render_markdown)


@dataclass
class DisputeView:
    id: int
    engagement_id: int
    gig_title: str
    status: str
    statement: str
    opened_by: str
    outcome: str
    student_share: str
    decision_note: str
    pay: str
    messages: list[MessageView]
    viewer_is_staff: bool
    statement_html: str = ""  # the statement and the decision note as safe HTML (render_markdown)
    decision_note_html: str = ""
    # The engagement's currency: a part payment is typed in it ("usd"; "US dollars" in labels).
    currency: str = "usd"
    currency_name: str = "US dollars"


def dispute_view(session: Session, actor: User, dispute_id: int, language: str = "en", tz_name: str | None = None) -> DisputeView:
    """The dispute as `actor` may see it: amounts and moments written for `language`, moments in
    the zone `tz_name` (the viewer's; named)."""
    dispute, engagement = _dispute_for(session, actor, dispute_id)
    gig = session.get(Gig, engagement.gig_id)

    def name(user_id: int) -> str:
        user = session.get(User, user_id)
        return gettext(language, "{name} (career center)", name=user.display_name) if policy.is_staff(user) else user.display_name

    messages = session.exec(select(DisputeMessage).where(DisputeMessage.dispute_id == dispute.id).order_by(DisputeMessage.created_at)).all()
    return DisputeView(
        id=dispute.id,
        engagement_id=engagement.id,
        gig_title=gig.title,
        status=dispute.status,
        statement=dispute.statement,
        opened_by=name(dispute.opened_by_id),
        outcome=dispute.outcome,
        student_share=format_money(dispute.student_share_cents, engagement.currency, language),
        decision_note=dispute.decision_note,
        statement_html=render_markdown(dispute.statement),
        decision_note_html=render_markdown(dispute.decision_note),
        pay=format_money(engagement.pay_cents, engagement.currency, language),
        messages=[
            MessageView(
                author=name(m.author_id),
                body=m.body,
                body_html=render_markdown(m.body),
                written_at=format_datetime(m.created_at, language, tz_name),
            )
            for m in messages
        ],
        viewer_is_staff=policy.is_staff(actor),
        currency=engagement.currency,
        currency_name=_currency_words(engagement.currency, language),
    )


def open_disputes(session: Session, actor: User) -> list[Dispute]:
    policy.require(policy.is_staff(actor), _("Only career-center staff see the dispute queue."))
    return list(session.exec(select(Dispute).where(Dispute.status == "open").order_by(Dispute.created_at)))

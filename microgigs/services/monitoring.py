"""Figures for whoever keeps the server running: the mail queue, and payouts waiting or stopped.

Counts and an age only: nothing here names a person, a gig or an amount. The /metrics route
(http/metrics.py) decides who may read them (an admin, or a monitoring server's address); they
are read from the database, so every worker reports the same numbers.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, func, select

from microgigs.models import EngagementPayment, OutboxMail, utcnow
from microgigs.services.payments.payouts import PAYOUT_REFUSED_PREFIX
from microgigs.services.statuses import PaymentState

WAITING_MAIL = ("queued", "sending")
WAITING_PAYOUTS = (PaymentState.PAYOUT_PENDING, PaymentState.AWAITING_PAYOUT_ACCOUNT)


@dataclass(frozen=True)
class QueueFigures:
    mail_waiting: int  # queued or being sent now
    mail_retrying: int  # of those, mail whose last try failed (it is tried again later)
    mail_failed: int  # given up on: staff send it again from /admin/outbox
    oldest_mail_waiting_seconds: float  # 0 when none waits
    payouts_waiting: dict[str, int]  # state -> count: jobs send them once they can
    payouts_stopped: dict[str, int]  # "refused" (by the gateway) | "failing" (it kept failing): staff act on /staff/money


def _seconds_since(then: datetime | None, now: datetime) -> float:
    if then is None:
        return 0.0
    then = then if then.tzinfo else then.replace(tzinfo=UTC)  # SQLite hands back naive UTC
    return max(0.0, (now - then).total_seconds())


def queue_figures(session: Session, now: datetime | None = None) -> QueueFigures:
    """Where the mail queue and the payouts stand now (a few counting queries)."""
    now = now or utcnow()
    mail = dict(session.exec(select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all())
    retrying = session.exec(select(func.count()).where(OutboxMail.status == "queued", OutboxMail.attempts > 0)).one()
    oldest = session.exec(select(func.min(OutboxMail.created_at)).where(OutboxMail.status.in_(WAITING_MAIL))).one()
    payouts = dict(
        session.exec(
            select(EngagementPayment.state, func.count())
            .where(EngagementPayment.state.in_([*WAITING_PAYOUTS, PaymentState.PAYOUT_FAILED]))
            .group_by(EngagementPayment.state)
        ).all()
    )
    refused = session.exec(
        select(func.count()).where(
            EngagementPayment.state == PaymentState.PAYOUT_FAILED,
            EngagementPayment.message.startswith(PAYOUT_REFUSED_PREFIX, autoescape=True),
        )
    ).one()
    failed = payouts.get(PaymentState.PAYOUT_FAILED, 0)
    return QueueFigures(
        mail_waiting=sum(mail.get(status, 0) for status in WAITING_MAIL),
        mail_retrying=retrying,
        mail_failed=mail.get("failed", 0),
        oldest_mail_waiting_seconds=_seconds_since(oldest, now),
        payouts_waiting={str(state): payouts.get(state, 0) for state in WAITING_PAYOUTS},
        payouts_stopped={"refused": refused, "failing": failed - refused},
    )

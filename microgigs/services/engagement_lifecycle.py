"""The engagement lifecycle: funding -> active -> submitted <-> changes_requested -> approved
-> paid, with the exits cancelled and disputed.

`MOVES` lists every move the rules make (taken from the code that makes them: funding,
submitting, reviewing, paying, cancelling, disputes); `move_engagement` is the only code that
changes `Engagement.status`. It checks the move, stamps the time the engagement entered its
new status (submitted_at, approved_at, paid_at, cancelled_at) and writes the audit row
`engagement.<status>` with the previous status.
"""

from sqlmodel import Session

from microgigs.models import Engagement, User
from microgigs.services.lifecycle import Lifecycle
from microgigs.services.statuses import EngagementStatus

# Work not finished yet: it may still be cancelled (with a refund, or a kill fee once started).
UNFINISHED = (EngagementStatus.FUNDING, EngagementStatus.ACTIVE, EngagementStatus.SUBMITTED, EngagementStatus.CHANGES_REQUESTED)
# Funded work under way: either side may open a dispute.
UNDER_WAY = (EngagementStatus.ACTIVE, EngagementStatus.SUBMITTED, EngagementStatus.CHANGES_REQUESTED)
# Nothing more happens to it.
FINISHED = (EngagementStatus.PAID, EngagementStatus.CANCELLED)

MOVES: dict[str, frozenset[str]] = {
    # The employer's money arrived (payments.record_funded); or cancelled before it did.
    EngagementStatus.FUNDING: frozenset({EngagementStatus.ACTIVE, EngagementStatus.CANCELLED}),
    # The student hands in a version (engagements.submit_deliverable).
    EngagementStatus.ACTIVE: frozenset({EngagementStatus.SUBMITTED, EngagementStatus.CANCELLED, EngagementStatus.DISPUTED}),
    # The manager answers it (engagements.approve / request_changes), or nobody does (auto-approval).
    EngagementStatus.SUBMITTED: frozenset(
        {EngagementStatus.CHANGES_REQUESTED, EngagementStatus.APPROVED, EngagementStatus.CANCELLED, EngagementStatus.DISPUTED}
    ),
    EngagementStatus.CHANGES_REQUESTED: frozenset({EngagementStatus.SUBMITTED, EngagementStatus.CANCELLED, EngagementStatus.DISPUTED}),
    # The payout went (at once, or later once the student's payout account works).
    EngagementStatus.APPROVED: frozenset({EngagementStatus.PAID}),
    # Staff decide (disputes.decide): refund, pay, or pay once the student's share can be sent.
    EngagementStatus.DISPUTED: frozenset({EngagementStatus.CANCELLED, EngagementStatus.PAID, EngagementStatus.APPROVED}),
    EngagementStatus.PAID: frozenset(),
    EngagementStatus.CANCELLED: frozenset(),
}

ENGAGEMENT = Lifecycle(
    "engagement",
    MOVES,
    entered_at={
        EngagementStatus.SUBMITTED: "submitted_at",
        EngagementStatus.APPROVED: "approved_at",
        EngagementStatus.PAID: "paid_at",
        EngagementStatus.CANCELLED: "cancelled_at",
    },
)


def started(session: Session, actor: User, engagement: Engagement, **detail: object) -> None:
    """Audit a new engagement (`engagement.funding`), once it has its id."""
    ENGAGEMENT.started(session, actor, engagement, **detail)


def move_engagement(session: Session, actor: User | None, engagement: Engagement, to: str, **detail: object) -> Engagement:
    """Move an engagement (a refused move raises DomainError, nothing written); `detail` goes
    into the audit row."""
    ENGAGEMENT.move(session, actor, engagement, to, **detail)
    return engagement

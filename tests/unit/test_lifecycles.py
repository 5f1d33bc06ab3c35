"""The lifecycles of gigs, applications, engagements and payments: one table of moves each, one
mover each, and nothing else writes their status."""

import ast
from pathlib import Path

import pytest
from sqlmodel import select

import microgigs
from microgigs.models import AuditEvent
from microgigs.services import application_lifecycle, engagement_lifecycle, payment_lifecycle
from microgigs.services.errors import DomainError
from microgigs.services.gigs import lifecycle as gig_lifecycle
from microgigs.services.payment_lifecycle import advance_payment, payment_of
from microgigs.services.statuses import ApplicationStatus, EngagementStatus, GigStatus, PaymentState


@pytest.mark.parametrize(
    ("moves", "statuses"),
    [
        (gig_lifecycle.MOVES, GigStatus),
        (application_lifecycle.MOVES, ApplicationStatus),
        (engagement_lifecycle.MOVES, EngagementStatus),
        (payment_lifecycle.MOVES, PaymentState),
    ],
)
def test_each_table_names_every_status_and_only_known_ones(moves, statuses):
    assert set(moves) == set(statuses)
    assert set().union(*moves.values()) <= set(statuses)


def test_a_wrong_engagement_move_is_refused_and_writes_nothing(session, make):
    hired = make.hired()  # active: funded by the demo gateway
    before = session.exec(select(AuditEvent)).all()
    with pytest.raises(DomainError, match="An engagement that is active cannot become paid."):
        engagement_lifecycle.move_engagement(session, None, hired.engagement, EngagementStatus.PAID)
    assert hired.engagement.status == "active" and hired.engagement.paid_at is None
    assert session.exec(select(AuditEvent)).all() == before


def test_the_engagement_mover_stamps_the_time_and_audits_the_previous_status(session, make):
    hired = make.hired()
    engagement_lifecycle.move_engagement(session, hired.employer.manager, hired.engagement, EngagementStatus.CANCELLED, reason="r")
    session.flush()
    assert hired.engagement.status == "cancelled" and hired.engagement.cancelled_at is not None
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "engagement.cancelled")).one()
    assert event.actor_id == hired.employer.manager.id and '"previous": "active"' in event.detail


def test_a_decided_application_does_not_move_again(session, make):
    employer = make.employer()
    application = make.apply(make.student(), make.gig(employer))
    application_lifecycle.move_application(session, None, application, ApplicationStatus.DECLINED, "Filled.")
    assert application.decided_at is not None and application.feedback == "Filled."
    with pytest.raises(DomainError, match="An application that is declined cannot become accepted."):
        application_lifecycle.move_application(session, None, application, ApplicationStatus.ACCEPTED)


def test_a_stale_payment_move_is_ignored(session, make):
    hired = make.hired()
    payment = payment_of(session, hired.engagement)
    assert payment.state == "funded"
    assert advance_payment(session, payment, PaymentState.CHECKOUT_EXPIRED, "late news") is False
    assert payment.state == "funded" and payment.message != "late news"
    assert advance_payment(session, payment, PaymentState.PAYOUT_PENDING, "sending") is True
    assert (payment.state, payment.message) == ("payout_pending", "sending")


# Each lifecycle's column, and the variable names the code gives such rows.
_OWNED = {"status": ("gig", "application", "engagement"), "state": ("payment",)}


def test_only_the_lifecycles_write_the_status_of_gigs_applications_engagements_and_payments():
    """No assignment `engagement.status = ...` (or gig.status, application.status, payment.state) outside
    services/lifecycle.py: the movers are the only way to change them."""
    root = Path(microgigs.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign) else []
            for target in targets:
                for item in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if (
                        isinstance(item, ast.Attribute)
                        and isinstance(item.value, ast.Name)
                        and any(word in item.value.id for word in _OWNED.get(item.attr, ()))
                    ):
                        found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []

"""What people may see of the money: employers' payments and receipts, students' earnings,
staff's overview, and the reconciliation of our ledger with the gateway's own records.

Read-only; every function checks who is asking. Amounts, dates and labels leave here formatted
for the reader, in the `language` they are given (English by default).
"""

import json
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from microgigs.i18n import DEFAULT, Text, _, format_date, format_datetime, gettext, msg, translate
from microgigs.integrations.payments import GatewayUnavailable
from microgigs.models import (
    Engagement,
    EngagementPayment,
    Gig,
    LedgerEntry,
    Organization,
    PayoutAccount,
    ReconciliationReport,
    User,
    utcnow,
)
from microgigs.services import audit, center, payments, policy
from microgigs.services.amounts import format_by_currency, format_cents
from microgigs.services.errors import NotFound
from microgigs.services.payments import gateway as gateways
from microgigs.services.statuses import EngagementStatus, PaymentState
from microgigs.settings import get_settings

DEMO_LABEL = _("demo payments — no money moves")


def gateway_notice(language: str = DEFAULT) -> str:
    """The line every money screen shows when no real money moves (in `language`)."""
    return gettext(language, "demo payments — no money moves") if get_settings().payment_gateway == "demo" else ""


def _message(language: str, message: str) -> str:
    """A payment's stored message (English) in `language`."""
    return payments.stored_message(language, message)


def _moment(value: datetime, language: str) -> str:
    """A moment for staff, in UTC with the zone named: "Nov 26, 2026, 3:00 AM UTC"."""
    return format_datetime(value, language, "UTC")


def _state(session: Session, engagement: Engagement) -> EngagementPayment:
    row = session.get(EngagementPayment, engagement.id)
    if row is None:  # from before payments had a state: derive it without writing
        return EngagementPayment(engagement_id=engagement.id, state=PaymentState.FUNDED if engagement.funded_at else PaymentState.UNFUNDED)
    return row


@dataclass
class PaymentRow:
    engagement_id: int
    gig_title: str
    student: str
    total: str  # what the employer pays: pay + platform fee
    state: str
    state_label: str
    message: str
    can_fund: bool
    has_receipt: bool


def employer_payments(session: Session, actor: User | None, language: str = DEFAULT) -> list[PaymentRow]:
    """Every engagement of the gigs the actor manages, newest first."""
    org_ids = policy.organization_ids_managed_by(session, actor)
    policy.require(bool(org_ids), _("Only employers' managers have payments."))
    rows = session.exec(
        select(Engagement, Gig, User)
        .join(Gig, Gig.id == Engagement.gig_id)
        .join(User, User.id == Engagement.student_id)
        .where(Gig.organization_id.in_(org_ids))
        .order_by(Engagement.id.desc())
    ).all()
    result = []
    for engagement, gig, student in rows:
        payment = _state(session, engagement)
        result.append(
            PaymentRow(
                engagement_id=engagement.id,
                gig_title=gig.title,
                student=student.display_name,
                total=format_cents(engagement.pay_cents + engagement.fee_cents, engagement.currency, language),
                state=payment.state,
                state_label=payments.payment_label(payment, language),
                message=_message(language, payment.message),
                can_fund=engagement.status == EngagementStatus.FUNDING and engagement.funded_at is None,
                has_receipt=engagement.funded_at is not None,
            )
        )
    return result


@dataclass
class ReceiptLine:
    label: str
    amount: str


@dataclass
class Receipt:
    number: str
    employer: str
    gig_title: str
    student: str
    date: str
    reference: str
    lines: list[ReceiptLine]
    total: str
    refunds: list[ReceiptLine]
    notice: str


def receipt(session: Session, actor: User | None, engagement_id: int, language: str = DEFAULT) -> Receipt:
    """A printable receipt of what the employer paid for one engagement (and any refund)."""
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or actor is None:
        raise NotFound("That receipt")
    gig = session.get(Gig, engagement.gig_id)
    if not (policy.manages_gig(session, actor, gig) or policy.is_staff(actor)):
        raise NotFound("That receipt")  # as if it did not exist
    if engagement.funded_at is None:
        raise NotFound("That receipt")  # nothing was paid yet
    money = lambda cents: format_cents(cents, engagement.currency, language)  # noqa: E731
    refunds = session.exec(
        select(LedgerEntry).where(LedgerEntry.engagement_id == engagement.id, LedgerEntry.kind == "refunded").order_by(LedgerEntry.id)
    ).all()
    return Receipt(
        number=f"MG-{engagement.id:06d}",
        employer=session.get(Organization, gig.organization_id).name,
        gig_title=gig.title,
        student=session.get(User, engagement.student_id).display_name,
        date=format_date(engagement.funded_at, language),
        reference=engagement.checkout_ref,
        lines=[
            ReceiptLine(gettext(language, "Pay for {title}", title=gig.title), money(engagement.pay_cents)),
            ReceiptLine(gettext(language, "Platform fee"), money(engagement.fee_cents)),
        ],
        total=money(engagement.pay_cents + engagement.fee_cents),
        refunds=[
            ReceiptLine(gettext(language, "Refund on {date}", date=format_date(r.created_at, language)), money(r.amount_cents))
            for r in refunds
        ],
        notice=gateway_notice(language),
    )


@dataclass
class EarningRow:
    engagement_id: int
    gig_title: str
    amount: str
    state_label: str
    paid: bool


@dataclass
class Earnings:
    rows: list[EarningRow]
    pending: str
    paid: str
    account_status: str  # what the payout account can do now
    needs_setup: bool  # show "Set up payouts"
    setup_label: str = _("Set up payouts")


def student_earnings(session: Session, actor: User | None, gateway=None, language: str = DEFAULT) -> Earnings:
    """The student's pay: what is waiting (funded, approved, being sent) and what is paid."""
    policy.require(policy.is_student(actor), _("Only students have earnings."))
    rows, refused, delayed = [], False, False
    pending: Counter = Counter()  # by currency: an engagement's amounts are in its own
    paid: Counter = Counter()
    for engagement, gig in session.exec(
        select(Engagement, Gig)
        .join(Gig, Gig.id == Engagement.gig_id)
        .where(Engagement.student_id == actor.id)
        .order_by(Engagement.id.desc())
    ).all():
        received = session.exec(
            select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0)).where(
                LedgerEntry.engagement_id == engagement.id, LedgerEntry.kind.in_(("transferred", "kill_fee"))
            )
        ).one()
        payment = _state(session, engagement)
        waiting = payment.payout_amount_cents if payment.state in (*payments.WAITING_PAYOUT, PaymentState.PAYOUT_FAILED) else 0
        refused = refused or payments.payout_refused(payment)
        delayed = delayed or (payment.state == PaymentState.PAYOUT_FAILED and not payments.payout_refused(payment))
        if engagement.funded_at is not None and engagement.status not in (EngagementStatus.PAID, EngagementStatus.CANCELLED):
            waiting = engagement.pay_cents  # held until approval
        pending[engagement.currency] += waiting
        paid[engagement.currency] += received
        amount = received or waiting or engagement.pay_cents
        rows.append(
            EarningRow(
                engagement_id=engagement.id,
                gig_title=gig.title,
                amount=format_cents(amount, engagement.currency, language),
                state_label=payments.payment_label(payment, language),
                paid=received > 0,
            )
        )
    gateway = gateway or gateways.current_gateway()
    account = session.get(PayoutAccount, actor.id)
    if not gateway.needs_payout_account:
        status, needs = msg("Demo payments: no payout account is needed."), False
    elif account is None:
        status, needs = msg("Not set up: set up payouts with Stripe to receive your pay."), True
    elif refused or account.last_payout_status == "failed":
        status = msg(
            "A payout was refused: choose Update payout details and check your details and bank account with Stripe. "
            "The career center then sends the payout again."
        )
        needs = True
    elif delayed:
        # The gateway kept failing, not the student's details: nothing for them to fix.
        status = msg(
            "A payout is delayed: the payment service kept failing, so the career center sends it again. Nothing for you to change."
        )
        needs = not account.payouts_enabled
    elif account.payouts_enabled:
        status, needs = msg("Payouts enabled: your pay goes to your Stripe account."), False
    else:
        status, needs = msg("Set-up not finished: Stripe still needs some details before it can pay you."), True
    label = (
        msg("Set up payouts")
        if account is None
        else (
            msg("Finish setting up payouts")
            if needs and not account.payouts_enabled and not refused and account.last_payout_status != "failed"
            else msg("Update payout details")
        )
    )
    default = center.current(session).currency
    return Earnings(
        rows,
        format_by_currency(pending, default, language),
        format_by_currency(paid, default, language),
        translate(language, status),
        needs,
        translate(language, label),
    )


def refresh_payout_account(session: Session, actor: User | None, gateway=None) -> None:
    """On return from Stripe's onboarding: re-read the account now rather than wait for the webhook."""
    if not policy.is_student(actor):
        return
    account = session.get(PayoutAccount, actor.id)
    if account is None:
        return
    try:
        payments.payout_account_updated(session, account.account_id, gateway)
    except GatewayUnavailable:
        pass  # the account.updated webhook will bring it


@dataclass
class MoneyTotals:
    label: str
    amount: str


@dataclass
class StateCount:
    state_label: str
    count: int


@dataclass
class Difference:
    engagement_id: int
    what: str  # charged | transferred | refunded | ledger identity
    ledger: str
    gateway: str


@dataclass
class Reconciliation:
    checked: int
    differences: list[Difference]
    note: str


def money_overview(session: Session, actor: User | None, language: str = DEFAULT) -> tuple[list[MoneyTotals], list[StateCount]]:
    """Staff: where all the money is, and how many engagements are in each payment state."""
    policy.require(policy.is_staff(actor), _("Only career-center staff see the money overview."))
    # Kept apart by currency: yen are never added to dollars ("$300.00 + ¥4,500").
    sums: dict[str, Counter] = {}
    for kind, currency, cents in session.exec(
        select(LedgerEntry.kind, LedgerEntry.currency, func.sum(LedgerEntry.amount_cents)).group_by(LedgerEntry.kind, LedgerEntry.currency)
    ).all():
        sums.setdefault(kind, Counter())[currency] += cents
    default = center.current(session).currency
    labels = [
        ("funded", msg("Funded by employers")),
        ("platform_fee", msg("Platform fees")),
        ("held", msg("Held for students")),
        ("transferred", msg("Paid to students")),
        ("kill_fee", msg("Kill fees paid")),
        ("refunded", msg("Refunded to employers")),
    ]
    totals = [MoneyTotals(translate(language, label), format_by_currency(sums.get(kind, {}), default, language)) for kind, label in labels]
    counts = session.exec(select(EngagementPayment.state, func.count()).group_by(EngagementPayment.state)).all()
    # A count mixes both causes of a failed payout, so its label names neither alone.
    labels = {**payments.STATE_LABELS, PaymentState.PAYOUT_FAILED: _("Payout failed — waiting for the career center")}
    states = [StateCount(translate(language, Text(labels.get(state, state))), n) for state, n in sorted(counts)]
    return totals, states


def reconcile(session: Session, actor: User | None, gateway=None) -> Reconciliation:
    """Compare, per engagement, our ledger with what the gateway itself recorded; list differences.

    One gateway call (or a few) per engagement: staff run it through `reconcile_now`, the
    nightly job through `nightly_reconciliation`; pages show the stored report.
    The demo gateway keeps no records of its own, so only the ledger identity is checked.
    """
    policy.require(policy.is_staff(actor), _("Only career-center staff can reconcile payments."))
    return _compare(session, gateway or gateways.current_gateway())


def _compare(session: Session, gateway) -> Reconciliation:
    engagement_ids = sorted(
        set(session.exec(select(LedgerEntry.engagement_id)).all())
        | set(session.exec(select(EngagementPayment.engagement_id).where(EngagementPayment.charge_id != "")).all())
    )
    differences: list[Difference] = []
    for engagement_id in engagement_ids:
        balance = payments.balance(session, engagement_id)
        engagement = session.get(Engagement, engagement_id)
        if not balance.balanced:
            differences.append(
                Difference(
                    engagement_id,
                    "ledger identity",
                    format_cents(balance.funded, engagement.currency),
                    format_cents(balance.platform_fee + balance.held + balance.transferred + balance.refunded, engagement.currency),
                )
            )
        if not hasattr(gateway, "movements") or engagement.gateway != gateway.name:
            continue
        payment = session.get(EngagementPayment, engagement_id)
        try:
            found = gateway.movements(engagement_id, payment.charge_id if payment else "")
        except GatewayUnavailable:
            differences.append(Difference(engagement_id, "gateway did not answer", "", ""))
            continue
        theirs = {kind: sum(m.amount_cents for m in found if m.kind == kind) for kind in ("charged", "transferred", "refunded")}
        ours = {"charged": balance.funded, "transferred": balance.transferred, "refunded": balance.refunded}
        for kind in ("charged", "transferred", "refunded"):
            if ours[kind] != theirs[kind]:
                differences.append(
                    Difference(
                        engagement_id, kind, format_cents(ours[kind], engagement.currency), format_cents(theirs[kind], engagement.currency)
                    )
                )
    note = (
        "" if hasattr(gateway, "movements") else _("Demo payments keep no records of their own: only the ledger's own balance is checked.")
    )
    return Reconciliation(checked=len(engagement_ids), differences=differences, note=note)


# --- stored reconciliation reports ------------------------------------------------------------


@dataclass
class ReportView:
    id: int
    made_at: str  # "2026-11-26 03:00 UTC"
    made_by: str  # a staff member's name, or "the nightly job"
    gateway: str
    checked: int
    differences: list[Difference]
    note: str


def _store(session: Session, result: Reconciliation, gateway, run_by: User | None, nightly_key: str | None = None) -> ReconciliationReport:
    report = ReconciliationReport(
        run_by_id=run_by.id if run_by else None,
        nightly_key=nightly_key,
        gateway=gateway.name,
        checked=result.checked,
        differences=json.dumps([asdict(d) for d in result.differences]),
        note=result.note,
    )
    session.add(report)
    session.flush()
    return report


def reconcile_now(session: Session, actor: User | None, gateway=None) -> ReconciliationReport:
    """Staff's "Reconcile now": compare the ledger with the gateway and keep the report (audited)."""
    gateway = gateway or gateways.current_gateway()
    result = reconcile(session, actor, gateway)
    report = _store(session, result, gateway, actor)
    audit.record(
        session, actor, "money.reconciled", "reconciliation_report", report.id, checked=result.checked, differences=len(result.differences)
    )
    return report


def nightly_reconciliation(session: Session, now: datetime | None = None, gateway=None) -> int:
    """Job: once a UTC day, from settings.reconcile_hour_utc, make a stored report. Returns 1 when it did.

    Every worker runs the jobs; the report's unique `nightly_key` (the day) keeps it to one."""
    now = now or utcnow()
    if now.hour < get_settings().reconcile_hour_utc:
        return 0
    key = now.strftime("%Y-%m-%d")
    if session.exec(select(ReconciliationReport.id).where(ReconciliationReport.nightly_key == key)).first() is not None:
        return 0
    gateway = gateway or gateways.current_gateway()
    result = _compare(session, gateway)
    try:
        _store(session, result, gateway, None, nightly_key=key)
    except IntegrityError:
        session.rollback()  # another worker made tonight's report first (this job writes nothing else)
        return 0
    return 1


def _view(session: Session, report: ReconciliationReport, language: str = DEFAULT) -> ReportView:
    runner = session.get(User, report.run_by_id) if report.run_by_id else None
    return ReportView(
        id=report.id,
        made_at=_moment(report.created_at, language),
        made_by=runner.display_name if runner else gettext(language, "the nightly job"),
        gateway=report.gateway,
        checked=report.checked,
        differences=[Difference(**d) for d in json.loads(report.differences or "[]")],
        note=translate(language, Text(report.note)),
    )


def latest_report(session: Session, actor: User | None, language: str = DEFAULT) -> ReportView | None:
    """The newest stored reconciliation report (no gateway call), or None before the first."""
    policy.require(policy.is_staff(actor), _("Only career-center staff see reconciliation reports."))
    report = session.exec(
        select(ReconciliationReport).order_by(ReconciliationReport.created_at.desc(), ReconciliationReport.id.desc())
    ).first()
    return _view(session, report, language) if report else None


@dataclass
class FailedPayout:
    engagement_id: int
    gig_title: str
    student: str
    amount: str
    message: str
    since: str
    account_ready: bool  # the student updated their payout account since the refusal (and it is enabled)
    refused: bool  # the gateway refused it (the student fixes their details); else it kept failing
    kind_label: str  # "Refused payout" or "Delayed payout", in words for staff


def failed_payouts(session: Session, actor: User | None, language: str = DEFAULT) -> list[FailedPayout]:
    """Staff: payouts that stopped for staff, oldest first, for "Retry payout": refused by the
    gateway, or failed at it too many times."""
    policy.require(policy.is_staff(actor), _("Only career-center staff see failed payouts."))
    rows = session.exec(
        select(EngagementPayment, Engagement, Gig, User)
        .join(Engagement, Engagement.id == EngagementPayment.engagement_id)
        .join(Gig, Gig.id == Engagement.gig_id)
        .join(User, User.id == Engagement.student_id)
        .where(EngagementPayment.state == PaymentState.PAYOUT_FAILED)
        .order_by(EngagementPayment.updated_at)
    ).all()
    result = []
    for payment, engagement, gig, student in rows:
        account = session.get(PayoutAccount, student.id)
        refused = payments.payout_refused(payment)
        result.append(
            FailedPayout(
                engagement_id=engagement.id,
                gig_title=gig.title,
                student=student.display_name,
                amount=format_cents(payment.payout_amount_cents, engagement.currency, language),
                message=_message(language, payment.message),
                since=_moment(payment.updated_at, language),
                account_ready=bool(account and account.payouts_enabled and account.updated_at > payment.updated_at),
                refused=refused,
                kind_label=gettext(language, "Refused payout") if refused else gettext(language, "Delayed payout"),
            )
        )
    return result

"""What the money pages remember. Each load asks services/money.py, which checks the reader."""

import json

import reflex as rx

from microgigs import i18n
from microgigs.i18n import gettext, ngettext
from microgigs.services import money, payments
from microgigs.services.errors import DomainError
from microgigs.services.money import (
    Earnings,
    FailedPayout,
    MoneyTotals,
    PaymentRow,
    Receipt,
    ReportView,
    StateCount,
)
from microgigs.services.validation import parse_id
from microgigs.state.session import SessionState
from microgigs.state.url_ids import id_in_path
from microgigs.state.url_object import ShownForUrl

RECEIPT_ROUTE = "/payments/receipt/[engagement_id]"


def _q(state: rx.State, name: str, limit: int = 300) -> str:
    return (state.router.url.query_parameters.get(name) or "")[:limit]


def _q_shown(state: SessionState, name: str) -> str:
    """A message a payment route sent back in the query (English), in the viewer's language."""
    return state._tr(i18n.Text(_q(state, name)))


class PaymentsState(SessionState):
    """/payments: the employer's engagements and where each one's money stands."""

    loaded: bool = False
    load_error: str = ""
    rows: list[PaymentRow] = []
    gateway_notice: str = ""
    notice: str = ""
    error: str = ""

    @rx.event
    def load_payments(self):
        return self._reload()

    def _live_reload(self) -> None:
        self._reload()

    def _load(self, session, actor) -> None:
        try:
            self.rows, self.load_error = money.employer_payments(session, actor, self.language), ""
        except DomainError as error:
            self.rows, self.load_error = [], self._tr(error.message)

    def _reload(self):
        redirect = self._read(self._load)
        if redirect is not None:
            return redirect
        self.gateway_notice = money.gateway_notice(self.language)
        self.notice = (
            gettext(self.language, "Thank you: the payment is being confirmed.") if _q(self, "funded") else _q_shown(self, "notice")
        )
        self.error = _q_shown(self, "error")
        self.loaded = True
        self._subscribe_live(*(f"engagement:{row.engagement_id}" for row in self.rows))
        return None


class ReceiptState(ShownForUrl, SessionState):
    """/payments/receipt/<engagement id>: one printable receipt."""

    loaded: bool = False
    load_error: str = ""
    receipt: Receipt | None = None

    def _load(self, session, actor) -> None:
        self.loaded = True
        self._shown_for_this_url()
        try:
            self.receipt, self.load_error = (
                money.receipt(session, actor, id_in_path(self.router.url.path, RECEIPT_ROUTE), self.language),
                "",
            )
        except DomainError as error:
            self.receipt, self.load_error = None, self._tr(error.message)

    @rx.event
    def load_receipt(self):
        return self._read(self._load)


class EarningsState(SessionState):
    """/earnings: the student's pay and payout account."""

    loaded: bool = False
    load_error: str = ""
    earnings: Earnings | None = None
    gateway_notice: str = ""
    error: str = ""

    @rx.event
    def load_earnings(self):
        if _q(self, "returned"):  # back from Stripe's onboarding: read the account now, once
            refreshed = self._act(money.refresh_payout_account)
            if refreshed.redirect is not None:
                return refreshed.redirect
        return self._reload()

    def _live_reload(self) -> None:
        self._reload()

    def _load(self, session, actor) -> None:
        try:
            self.earnings, self.load_error = money.student_earnings(session, actor, language=self.language), ""
        except DomainError as error:
            self.earnings, self.load_error = None, self._tr(error.message)

    def _reload(self):
        redirect = self._read(self._load)
        if redirect is not None:
            return redirect
        self.gateway_notice = money.gateway_notice(self.language)
        self.error = _q_shown(self, "error")
        self.loaded = True
        self._subscribe_live(*(f"engagement:{row.engagement_id}" for row in (self.earnings.rows if self.earnings else [])))
        return None


class MoneyState(SessionState):
    """/staff/money: totals, payment states, failed payouts and the latest stored
    reconciliation report. Opening the page asks the gateway nothing; "Reconcile now" does."""

    loaded: bool = False
    load_error: str = ""
    totals: list[MoneyTotals] = []
    states: list[StateCount] = []
    failed: list[FailedPayout] = []
    report: ReportView | None = None
    has_report: bool = False
    gateway_notice: str = ""
    notice: str = ""
    error: str = ""

    @rx.event
    def load_money(self):
        self.notice, self.error = "", ""
        return self._reload()

    def _load(self, session, actor) -> None:
        try:
            self.totals, self.states = money.money_overview(session, actor, self.language)
            self.failed = money.failed_payouts(session, actor, self.language)
            self.report = money.latest_report(session, actor, self.language)
            self.has_report = self.report is not None
            self.load_error = ""
        except DomainError as error:
            self.totals, self.states, self.failed, self.report, self.has_report = [], [], [], None, False
            self.load_error = self._tr(error.message)

    def _reload(self):
        redirect = self._read(self._load)
        if redirect is not None:
            return redirect
        self.gateway_notice = money.gateway_notice(self.language)
        self.loaded = True
        return None

    @rx.event
    def reconcile_now(self):
        """Compare the ledger with the gateway now and keep the report (staff only, audited)."""
        self.notice, self.error = "", ""
        # Counted inside the unit of work: the report row is not read after it closes.
        acted = self._act(lambda session, actor: len(json.loads(money.reconcile_now(session, actor).differences)))
        if acted.redirect is not None:
            return acted.redirect
        if acted.ok:
            self.notice = (
                gettext(self.language, "Reconciled: no differences.")
                if not acted.value
                else ngettext(self.language, "Reconciled: {count} difference found.", "Reconciled: {count} differences found.", acted.value)
            )
        else:
            self.error = self._tr(acted.error)
        return self._reload()

    @rx.event
    def retry_payout(self, engagement_id: int):
        """Send a failed payout again (staff only, audited; never pays twice)."""
        self.notice, self.error = "", ""
        engagement = parse_id(engagement_id)
        if engagement is None:
            self.error = gettext(self.language, "That payout cannot be retried. Reload the page and try again.")
            return self._reload()
        acted = self._act(lambda session, actor: payments.retry_failed_payout(session, actor, engagement))
        if acted.redirect is not None:
            return acted.redirect
        if acted.ok and acted.value == "Payout sent.":
            self.notice = gettext(self.language, "Payout sent for engagement {id}.", id=engagement)
        else:
            # A refusal, or the gateway's "Not sent: ..." (the retry itself is recorded).
            self.error = self._tr(acted.value if acted.ok else acted.error)
        return self._reload()

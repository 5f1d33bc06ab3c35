"""Payment gateways behind one small interface.

The demo gateway is the embedded default: it moves no money and answers at once,
with the same states a real gateway would reach, so the whole product can be used
without keys. The Stripe gateway (a later issue) implements the same interface.
"""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class FundingResult:
    reference: str  # the gateway's id for the charge / checkout
    completed: bool  # True when the money is already in (demo); False when a checkout must finish


@dataclass(frozen=True)
class TransferResult:
    reference: str


@dataclass(frozen=True)
class RefundResult:
    reference: str


class PaymentGateway(Protocol):
    name: str
    label: str

    def start_funding(self, *, engagement_id: int, amount_cents: int, currency: str, idempotency_key: str) -> FundingResult: ...

    def transfer_to_student(
        self, *, engagement_id: int, student_id: int, amount_cents: int, currency: str, source_reference: str, idempotency_key: str
    ) -> TransferResult: ...

    def refund(self, *, engagement_id: int, amount_cents: int, currency: str, source_reference: str, idempotency_key: str) -> RefundResult: ...


class DemoGateway:
    """No keys, no money: every charge and transfer succeeds at once."""

    name = "demo"
    label = "demo payments — no money moves"

    def start_funding(self, *, engagement_id: int, amount_cents: int, currency: str, idempotency_key: str) -> FundingResult:
        return FundingResult(reference=f"demo_charge_{engagement_id}", completed=True)

    def transfer_to_student(
        self, *, engagement_id: int, student_id: int, amount_cents: int, currency: str, source_reference: str, idempotency_key: str
    ) -> TransferResult:
        return TransferResult(reference=f"demo_transfer_{engagement_id}")

    def refund(self, *, engagement_id: int, amount_cents: int, currency: str, source_reference: str, idempotency_key: str) -> RefundResult:
        return RefundResult(reference=f"demo_refund_{engagement_id}")


def get_gateway(name: str) -> PaymentGateway:
    if name == "demo":
        return DemoGateway()
    raise ValueError(f"Unknown payment gateway {name!r}; MicroGigs knows: demo.")

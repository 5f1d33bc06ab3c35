"""The ledger: every money movement of an engagement is one LedgerEntry.

Each entry's idempotency key is built from our own ids, so doing the same movement twice is
refused by the database rather than paid twice. Per engagement, always:
funded = platform_fee + held + transferred + refunded.
"""

from dataclasses import dataclass

from sqlmodel import Session, select

from microgigs.models import Engagement, LedgerEntry


def record_entry(session: Session, engagement: Engagement, kind: str, amount: int, key: str, ref: str = "") -> None:
    """One movement of `amount` cents of the engagement's money (`kind`: funded, platform_fee,
    held, transferred, kill_fee, refunded); `ref`: the gateway's id for it."""
    if amount == 0:
        return  # nothing moved; a zero row would only clutter the ledger
    session.add(
        LedgerEntry(
            engagement_id=engagement.id,
            kind=kind,
            amount_cents=amount,
            currency=engagement.currency,
            gateway=engagement.gateway,
            gateway_ref=ref,
            idempotency_key=key,
        )
    )


@dataclass(frozen=True)
class LedgerBalance:
    funded: int
    platform_fee: int
    held: int
    transferred: int
    refunded: int

    @property
    def balanced(self) -> bool:
        return self.funded == self.platform_fee + self.held + self.transferred + self.refunded


def balance(session: Session, engagement_id: int) -> LedgerBalance:
    sums = {"funded": 0, "platform_fee": 0, "held": 0, "transferred": 0, "refunded": 0}
    for kind, amount in session.exec(select(LedgerEntry.kind, LedgerEntry.amount_cents).where(LedgerEntry.engagement_id == engagement_id)):
        # A kill fee is money transferred to the student on cancellation.
        sums["transferred" if kind == "kill_fee" else kind] += amount
    return LedgerBalance(**sums)


def made_under_an_earlier_key(made: list[tuple[str, int]], amount: int) -> str:
    """Of the movements the gateway holds that our ledger does not ((reference, cents) pairs,
    made by an earlier try whose answer was a 500 or was lost): the one that is exactly this
    movement, or "" when there is none. Anything else there is not ours to guess about: it
    raises ValueError naming what was found, for staff to compare with the ledger."""
    if not made:
        return ""
    if len(made) == 1 and made[0][1] == amount:
        return made[0][0]
    raise ValueError(", ".join(f"{reference} ({cents} cents)" for reference, cents in made))

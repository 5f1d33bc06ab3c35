"""One way to move a stored object from one status to the next.

Each lifecycle (gigs, applications, engagements, payments) declares a `Lifecycle`: the
status column, the allowed moves and the audit subject. Its `move` is the only code that
writes that column: it checks the move is allowed, writes the new status, writes the audit
row, and adds the row to the session, whose flush records the change for live updates
(services/changes.py). Callers never set `.status` themselves.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session

from microgigs.models import User
from microgigs.services import audit
from microgigs.services.errors import DomainError


def _words(status: str) -> str:
    return str(status).replace("_", " ")


@dataclass(frozen=True)
class Lifecycle:
    """The allowed moves of one kind of object. `subject`: the audit subject type and the prefix
    of its actions ("engagement" -> "engagement.approved"); `column`: the status attribute."""

    subject: str
    moves: Mapping[str, frozenset[str]]
    column: str = "status"

    def can_move(self, row: object, to: str) -> bool:
        return to in self.moves.get(getattr(row, self.column), frozenset())

    def move(self, session: Session, actor: User | None, row: object, to: str, *, audit_it: bool = True, **detail: object) -> None:
        """Move `row` to `to`, or refuse with a readable reason (nothing written). `detail` goes
        into the audit row next to the previous status."""
        old = getattr(row, self.column)
        if not self.can_move(row, to):
            raise DomainError(f"A {self.subject} that is {_words(old)} cannot become {_words(to)}.")
        setattr(row, self.column, to)
        session.add(row)
        if audit_it:
            audit.record(session, actor, f"{self.subject}.{to}", self.subject, row.id, previous=old, **detail)

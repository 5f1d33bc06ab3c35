"""One way to move a stored object from one status to the next.

Each lifecycle (gigs, applications, engagements, payments) declares a `Lifecycle`: the
status column, the allowed moves and the audit subject. Its `move` is the only code that
writes that column: it checks the move is allowed, writes the new status (and the time the
object entered it, when the lifecycle keeps one), writes the audit row, and adds the row to
the session, whose flush records the change for live updates (services/changes.py).
Callers never set `.status` themselves.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlmodel import Session

from microgigs.i18n import Text, _
from microgigs.models import User, utcnow
from microgigs.services import audit
from microgigs.services.errors import DomainError
from microgigs.services.statuses import status_words


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


# A refused move in words, one text per kind of object (a translation agrees with its noun).
_REFUSED = {
    "gig": _("A gig that is {old} cannot become {new}."),
    "application": _("An application that is {old} cannot become {new}."),
    "engagement": _("An engagement that is {old} cannot become {new}."),
    "payment": _("A payment that is {old} cannot become {new}."),
}


def _refusal(subject: str, old: str, to: str) -> Text:
    """The refusal of a move, a message translated where it is shown."""
    template = _REFUSED.get(subject)
    if template is None:
        return Text(f"{_a(subject).capitalize()} that is {status_words(old)} cannot become {status_words(to)}.")
    return Text(template, old=status_words(old), new=status_words(to))


@dataclass(frozen=True)
class Lifecycle:
    """The allowed moves of one kind of object.

    `subject`: the prefix of its audit actions ("engagement" -> "engagement.approved");
    `column`: the status attribute; `moves`: status -> the statuses it may become.
    `entered_at`: status -> the attribute stamped with the time the object enters it
    ("approved" -> "approved_at"); `moved_at`: an attribute stamped on every move.
    `audit_subject` / `audit_id`: what the audit row is about, when not the row itself
    (a payment is audited on its engagement); `audited`: the statuses whose entry is worth an
    audit row (None: every one).
    """

    subject: str
    moves: Mapping[str, frozenset[str]]
    column: str = "status"
    entered_at: Mapping[str, str] = field(default_factory=dict)
    moved_at: str = ""
    audit_subject: str = ""
    audit_id: str = "id"
    audited: frozenset[str] | None = None

    def can_move(self, row: object, to: str) -> bool:
        return to in self.moves.get(getattr(row, self.column), frozenset())

    def move(self, session: Session, actor: User | None, row: object, to: str, *, audit_it: bool = True, **detail: object) -> None:
        """Move `row` to `to`, or refuse with a readable reason (nothing written). `detail` goes
        into the audit row next to the previous status."""
        if not self.can_move(row, to):
            old = getattr(row, self.column)
            raise DomainError(_refusal(self.subject, old, to))
        self._write(session, actor, row, to, audit_it=audit_it, detail=detail)

    def try_move(self, session: Session, actor: User | None, row: object, to: str, **detail: object) -> bool:
        """Move `row` to `to` if that is an allowed move; otherwise change nothing and say so
        (False). For news that may arrive late or twice, like a gateway's webhook."""
        if not self.can_move(row, to):
            return False
        self._write(session, actor, row, to, audit_it=True, detail=detail)
        return True

    def started(self, session: Session, actor: User | None, row: object, **detail: object) -> None:
        """Audit a new row's first status ("engagement.funding"); call it once the row has its id."""
        status = getattr(row, self.column)
        audit.record(session, actor, f"{self.subject}.{status}", self.audit_subject or self.subject, getattr(row, self.audit_id), **detail)

    def _write(self, session: Session, actor: User | None, row: object, to: str, *, audit_it: bool, detail: Mapping[str, object]) -> None:
        old = getattr(row, self.column)
        setattr(row, self.column, str(to))  # the plain text, as a row read back holds it
        now = utcnow()
        if to in self.entered_at:
            setattr(row, self.entered_at[to], now)
        if self.moved_at:
            setattr(row, self.moved_at, now)
        session.add(row)
        if audit_it and (self.audited is None or to in self.audited):
            subject_id = getattr(row, self.audit_id)
            audit.record(session, actor, f"{self.subject}.{to}", self.audit_subject or self.subject, subject_id, previous=old, **detail)

"""Locking a row for a change, the same way on PostgreSQL and SQLite.

Two people acting on one engagement at once (approve and cancel, two managers approving, the
auto-approve job and a manager) must not both act on what they read before the other wrote:
each change locks the engagement first, so the second waits, then sees the first one's result
and is refused in words. Always lock the engagement before its other rows (one order, no
deadlocks).
"""

from typing import TypeVar

from sqlalchemy import update
from sqlmodel import Session

Row = TypeVar("Row")


def locked_row(session: Session, model: type[Row], key: object) -> Row | None:
    """The row read afresh and locked against other writers until this transaction ends.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite ignores FOR UPDATE, and its driver reads outside
    a transaction until the first write: a no-op write of the row takes SQLite's one write
    lock first (another writer waits on the busy timeout), so what is read next is current."""
    session.flush()  # this transaction's changes so far are written, not overwritten by the read
    if session.get_bind().dialect.name == "sqlite":
        (primary_key,) = model.__table__.primary_key.columns
        session.execute(update(model.__table__).where(primary_key == key).values({primary_key.name: primary_key}))
        return session.get(model, key, populate_existing=True)
    return session.get(model, key, with_for_update=True, populate_existing=True)

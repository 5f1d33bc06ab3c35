"""The application lifecycle: submitted -> shortlisted -> accepted | declined | withdrawn.

`MOVES` lists every move an application can make; `move_application` is the only code that
changes `Application.status` (it checks the move, stamps the decision time and writes the
audit row `application.<status>` with the previous status).
"""

from sqlmodel import Session

from microgigs.models import Application, User
from microgigs.services.lifecycle import Lifecycle
from microgigs.services.statuses import ApplicationStatus

# Still waiting for a decision: the student may withdraw, the managers decide.
OPEN = (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED)
DECIDED = (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)

MOVES: dict[str, frozenset[str]] = {
    ApplicationStatus.SUBMITTED: frozenset({ApplicationStatus.SHORTLISTED, *DECIDED}),
    ApplicationStatus.SHORTLISTED: frozenset(DECIDED),
    ApplicationStatus.ACCEPTED: frozenset(),
    ApplicationStatus.DECLINED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}

APPLICATION = Lifecycle("application", MOVES, entered_at={status: "decided_at" for status in DECIDED})


def started(session: Session, actor: User, application: Application, **detail: object) -> None:
    """Audit a new application (`application.submitted`), once it has its id."""
    APPLICATION.started(session, actor, application, **detail)


def move_application(session: Session, actor: User | None, application: Application, to: str, feedback: str = "") -> Application:
    """Move an application (a refused move raises DomainError, nothing written). `feedback`:
    the one line a declined student reads; every move replaces it."""
    APPLICATION.move(session, actor, application, to)
    application.feedback = feedback
    return application

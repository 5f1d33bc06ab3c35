"""Reading the audit log: staff see who did (or viewed) what, filtered by kind, actor or subject."""

from dataclasses import dataclass

from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from microgigs.i18n import Text, msg
from microgigs.models import AuditEvent, User
from microgigs.services import accounts, policy
from microgigs.services.validation import ValidationFailed, clean_line, parse_id
from microgigs.services.view_log import VIEW_KINDS, VIEW_PREFIX, view_action

PAGE_SIZE = 200
# The "kind" filter: every event, only views, or one kind of view.
KIND_ALL = "all"
KIND_VIEWS = "views"
KINDS = (KIND_ALL, KIND_VIEWS, *(view_action(kind) for kind in VIEW_KINDS))


def kind_label(kind: str) -> Text:
    """The kind filter's option text (English; translated where shown)."""
    if kind == KIND_ALL:
        return msg("Every event")
    if kind == KIND_VIEWS:
        return msg("Views of any kind")
    return msg("Views of {what}", what=Text(VIEW_KINDS[kind.removeprefix(VIEW_PREFIX)]))


def _is_address(address: str) -> bool:
    """A well-formed email address with nothing unprintable in it (a control, invisible or bidi
    character, or a lone surrogate, which the database cannot even be asked about)."""
    return accounts.is_valid_email(address) and address.isprintable()


@dataclass
class AuditRow:
    id: int
    at: str
    actor: str
    action: str
    subject: str
    detail: str
    subject_href: str = ""  # a student's profile page, when the subject is a student


def search(
    session: Session,
    actor: User | None,
    *,
    kind: str = KIND_ALL,
    subject_type: str = "",
    subject_id: str = "",
    subject_email: str = "",
    actor_email: str = "",
) -> list[AuditRow]:
    """The newest events first; each filter is optional. `subject_email` finds everything
    done to (or seen of) that person's account: "who viewed student X"."""
    policy.require(policy.may_read_audit_log(actor), msg("Only career-center staff can read the audit log."))
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = msg("Choose a kind of event from the list.")
    number = parse_id(subject_id)
    if subject_id.strip() and number is None:
        errors["subject_id"] = msg("Enter the subject's number, like 12.")
    subject_type = clean_line(subject_type, limit=30).lower()
    subject_address = accounts.normalize_email(subject_email)
    if subject_address and not _is_address(subject_address):
        errors["subject_email"] = msg("Enter an email address like name@example.edu.")
    actor_address = accounts.normalize_email(actor_email)
    if actor_address and not _is_address(actor_address):
        errors["actor_email"] = msg("Enter an email address like name@example.edu.")
    if errors:
        raise ValidationFailed(errors)

    subject_user = aliased(User)
    query = (
        select(AuditEvent, User, subject_user)
        .join(User, User.id == AuditEvent.actor_id, isouter=True)
        .join(subject_user, (AuditEvent.subject_type == "user") & (subject_user.id == AuditEvent.subject_id), isouter=True)
    )
    if kind == KIND_VIEWS:
        query = query.where(AuditEvent.action.startswith(VIEW_PREFIX))
    elif kind != KIND_ALL:
        query = query.where(AuditEvent.action == kind)
    if subject_type:
        query = query.where(AuditEvent.subject_type == subject_type)
    if number is not None:
        query = query.where(AuditEvent.subject_id == number)
    if subject_address:
        query = query.where(AuditEvent.subject_type == "user", subject_user.email == subject_address)
    if actor_address:
        query = query.where(User.email == actor_address)
    rows = session.exec(query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(PAGE_SIZE)).all()
    return [
        AuditRow(
            id=event.id,
            at=event.created_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
            actor=f"{who.display_name} <{who.email}>" if who else msg("system"),
            action=event.action,
            subject=f"{event.subject_type} {event.subject_id}" + (f" ({whom.display_name} <{whom.email}>)" if whom else ""),
            detail=event.detail[:300],
            subject_href=f"/staff/students/{whom.id}" if whom is not None and whom.role == "student" else "",
        )
        for event, who, whom in rows
    ]

"""The work itself: submitting deliverables, and the manager's answer to each version."""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from microgigs import timings
from microgigs.i18n import Day, Number, _, msg
from microgigs.integrations.storage import ALLOWED_TYPES, FileStore, clean_display_name, extension_of
from microgigs.models import Engagement, EngagementMessage, ExtensionRequest, Gig, Submission, SubmissionFile, User, utcnow
from microgigs.services import audit, center, credentials, gig_completion, gigs, notifications, payments, policy
from microgigs.services.engagement_lifecycle import UNFINISHED, move_engagement
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.row_locks import locked_row
from microgigs.services.statuses import EngagementStatus, GigStatus, status_words
from microgigs.services.validation import ValidationFailed, check_length, clean_line, clean_text, is_http_url
from microgigs.settings import get_settings

MAX_FILES_PER_SUBMISSION = 10
# The statuses each step of the work needs (the workspace reads these to show the viewer what
# they may do; the functions below refuse the step in any other status).
SUBMITTABLE = (EngagementStatus.ACTIVE, EngagementStatus.CHANGES_REQUESTED)
AWAITING_REVIEW = (EngagementStatus.SUBMITTED,)
THREAD_CLOSED = (EngagementStatus.CANCELLED,)


@dataclass(frozen=True)
class UploadedFile:
    name: str  # as the client sent it; never trusted
    data: bytes


def file_store() -> FileStore:
    return FileStore(get_settings().files_dir)


def max_file_bytes() -> int:
    """The largest deliverable file accepted (settings.max_upload_bytes)."""
    return get_settings().max_upload_bytes


def size_text(size: int) -> str:
    """A size limit in the words a person reads ("25 MB", "800 KB")."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


def file_too_large(name: str) -> ValidationFailed:
    """The refusal of a file over the limit, in the same words wherever it is noticed (the
    upload's reported size, the bytes read, or here)."""
    return ValidationFailed(
        {"files": msg("{name} is larger than {size}.", name=clean_display_name(name), size=size_text(max_file_bytes()))}
    )


def get_engagement(session: Session, actor: User, engagement_id: int, *, for_change: bool = False) -> Engagement:
    """The engagement, if the actor may see it; otherwise it does not exist for them.
    `for_change`: read afresh and locked until the transaction ends (services/row_locks.py)."""
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or not policy.may_view_engagement(session, actor, engagement):
        raise NotFound("That engagement")
    return locked_row(session, Engagement, engagement_id) if for_change else engagement


def latest_version(session: Session, engagement_id: int) -> int:
    return session.exec(select(func.coalesce(func.max(Submission.version), 0)).where(Submission.engagement_id == engagement_id)).one()


def submit_deliverable(
    session: Session, actor: User, engagement_id: int, note: str, link: str = "", files: list[UploadedFile] | None = None
) -> Submission:
    engagement = get_engagement(session, actor, engagement_id, for_change=True)
    policy.require(actor.id == engagement.student_id, _("Only the student doing the work can submit deliverables."))
    if engagement.status not in (EngagementStatus.ACTIVE, EngagementStatus.CHANGES_REQUESTED):
        raise DomainError(
            {
                EngagementStatus.FUNDING: msg("Work starts once the employer has funded this engagement."),
                EngagementStatus.SUBMITTED: msg("Your last version is waiting for the manager's review."),
                EngagementStatus.APPROVED: msg("This work is already approved."),
                EngagementStatus.PAID: msg("This work is already approved and paid."),
            }.get(
                engagement.status, msg("Nothing can be submitted while the engagement is {status}.", status=status_words(engagement.status))
            )
        )
    files = files or []
    errors: dict[str, str] = {}
    note = clean_text(note)
    link = clean_line(link)
    check_length(errors, "note", note, label=msg("a note on what you are handing in"), max_len=5000)
    if link and (not is_http_url(link) or len(link) > 500):
        errors["link"] = msg("Enter a full web address starting with https://")
    if not link and not files and "note" not in errors and len(note) < 20:
        errors["note"] = msg("Add a link or a file, or describe the deliverable in at least 20 characters.")
    limit = max_file_bytes()
    if len(files) > MAX_FILES_PER_SUBMISSION:
        errors["files"] = msg("Attach at most {count} files.", count=MAX_FILES_PER_SUBMISSION)
    for upload in files:
        name = clean_display_name(upload.name)
        if extension_of(name) not in ALLOWED_TYPES:
            errors["files"] = msg(
                "{name}: this type of file is not accepted. Use one of: {types}.", name=name, types=", ".join(sorted(ALLOWED_TYPES))
            )
        elif len(upload.data) > limit:
            errors.update(file_too_large(name).errors)
        elif not upload.data:
            errors["files"] = msg("{name} is empty.", name=name)
    if errors:
        raise ValidationFailed(errors)

    submission = Submission(
        engagement_id=engagement.id,
        version=latest_version(session, engagement.id) + 1,
        note=note,
        link=link,
        created_by_id=actor.id,
    )
    session.add(submission)
    session.flush()
    store = file_store()
    saved: list[str] = []
    try:
        for upload in files:
            stored = store.save(upload.data, clean_display_name(upload.name))
            saved.append(stored.stored_name)
            session.add(
                SubmissionFile(
                    submission_id=submission.id,
                    original_name=stored.display_name,
                    stored_name=stored.stored_name,
                    content_type=stored.content_type,
                    size_bytes=stored.size_bytes,
                    sha256=stored.sha256,
                )
            )
        session.flush()
    except Exception:
        for name in saved:  # nothing half-written: no orphan files without rows
            store.delete(name)
        raise
    move_engagement(session, actor, engagement, EngagementStatus.SUBMITTED)
    gig = session.get(Gig, engagement.gig_id)
    if gig.status == GigStatus.FILLED:  # the first delivery shows the work is under way
        gigs.move_gig(session, None, gig, GigStatus.IN_PROGRESS)
    for manager_id in policy.manager_ids(session, gig.organization_id):
        notifications.notify(
            session,
            manager_id,
            "submission.new",
            msg("New submission (v{version}) from {name} on {title}", version=submission.version, name=actor.display_name, title=gig.title),
            f"/engagements/{engagement.id}",
            email=True,
        )
    session.flush()
    return submission


def _awaiting_review(session: Session, actor: User, engagement_id: int, expected_version: int | None) -> tuple[Engagement, Gig, Submission]:
    engagement = get_engagement(session, actor, engagement_id, for_change=True)
    gig = session.get(Gig, engagement.gig_id)
    policy.require(policy.manages_gig(session, actor, gig), _("Only the gig's managers can review submissions."))
    if engagement.status != EngagementStatus.SUBMITTED:
        raise DomainError(
            {
                EngagementStatus.APPROVED: msg("This work is already approved."),
                EngagementStatus.PAID: msg("This work is already approved and paid."),
                EngagementStatus.CHANGES_REQUESTED: msg("You already asked for changes; wait for the next version."),
            }.get(engagement.status, msg("There is no submission waiting for review."))
        )
    submission = session.exec(
        select(Submission).where(Submission.engagement_id == engagement.id).order_by(Submission.version.desc())
    ).first()
    if expected_version is not None and submission.version != expected_version:
        raise DomainError(msg("A newer version (v{version}) has arrived; review that one.", version=submission.version))
    return engagement, gig, submission


def approve(
    session: Session, actor: User, engagement_id: int, expected_version: int | None = None, *, credential_now: bool = True
) -> Engagement:
    """Approve the latest version, then pay the student through the gateway.

    The credential is signed in the same transaction, or with `credential_now=False` by a
    separate `issue_credential` call after the commit (the workspace does that once the
    student's page has its push); the credentials job issues any an interrupted process left."""
    with timings.phase("approve.check"):
        engagement, gig, submission = _awaiting_review(session, actor, engagement_id, expected_version)
    submission.decision = "approved"
    submission.decided_at = utcnow()
    session.add(submission)
    move_engagement(session, actor, engagement, EngagementStatus.APPROVED)
    with timings.phase("approve.pay_out"):
        paid = payments.pay_out(session, engagement)
    with timings.phase("approve.notify"):
        if paid:
            notifications.notify(
                session,
                engagement.student_id,
                "engagement.paid",
                msg("Approved and paid: {title}", title=gig.title),
                f"/engagements/{engagement.id}",
                email=True,
            )
        else:  # the payout waits (payout account, or the gateway); payments tells the student what to do
            notifications.notify(
                session,
                engagement.student_id,
                "engagement.approved",
                msg("Approved: {title}; the payout is on its way", title=gig.title),
                "/earnings",
                email=True,
            )
    if credential_now:
        with timings.phase("approve.credential"):
            credentials.issue_for_engagement(session, engagement)
    with timings.phase("approve.complete_gig"):
        gig_completion.complete_gig_if_done(session, gig)
    with timings.phase("approve.flush"):
        session.flush()
    return engagement


def issue_credential(session: Session, actor: User, engagement_id: int) -> None:
    """The credential of approved work, signed after the approval's commit (see `approve`);
    by one of the gig's managers or staff. A repeat, or work not approved, does nothing."""
    engagement = get_engagement(session, actor, engagement_id, for_change=True)
    gig = session.get(Gig, engagement.gig_id)
    policy.require(policy.manages_gig(session, actor, gig) or policy.is_staff(actor), _("Only the gig's managers can approve work."))
    if engagement.status in (EngagementStatus.APPROVED, EngagementStatus.PAID):
        credentials.issue_for_engagement(session, engagement)
        session.flush()


def request_changes(session: Session, actor: User, engagement_id: int, comment: str, expected_version: int | None = None) -> Engagement:
    engagement, gig, submission = _awaiting_review(session, actor, engagement_id, expected_version)
    comment = clean_text(comment)
    if not comment:
        raise DomainError("Say what should change.", "comment")
    if len(comment) > 5000:
        raise DomainError("Use at most 5,000 characters.", "comment")
    if engagement.revision_rounds_used >= engagement.max_revision_rounds:
        raise DomainError(
            msg("All {count} revision rounds are used; approve this version or agree a new scope.", count=engagement.max_revision_rounds)
        )
    submission.decision = "changes_requested"
    submission.decision_comment = comment
    submission.decided_at = utcnow()
    session.add(submission)
    engagement.revision_rounds_used += 1
    move_engagement(session, actor, engagement, EngagementStatus.CHANGES_REQUESTED)
    notifications.notify(
        session,
        engagement.student_id,
        "submission.changes_requested",
        msg("Changes requested on {title}", title=gig.title),
        f"/engagements/{engagement.id}",
        email=True,
    )
    session.flush()
    return engagement


def file_for_download(session: Session, actor: User | None, file_id: int) -> tuple[SubmissionFile, Path]:
    """A deliverable file and its path, if the actor may see the engagement it belongs to."""
    row = session.get(SubmissionFile, file_id)
    if row is None or actor is None:
        raise NotFound("That file")
    submission = session.get(Submission, row.submission_id)
    engagement = session.get(Engagement, submission.engagement_id)
    if not policy.may_view_engagement(session, actor, engagement):
        raise NotFound("That file")  # the same answer as for a file that does not exist
    return row, file_store().path_of(row.stored_name)


# --- the message thread -----------------------------------------------------------------

MAX_MESSAGE = 2000


def post_message(session: Session, actor: User, engagement_id: int, body: str) -> EngagementMessage:
    """A message in the workspace thread, by the student, one of the gig's managers or staff."""

    engagement = get_engagement(session, actor, engagement_id)
    if engagement.status == EngagementStatus.CANCELLED:
        raise DomainError("This engagement is cancelled; the thread is closed.", "body")
    body = clean_text(body)
    if not body:
        raise DomainError("Write a message first.", "body")
    if len(body) > MAX_MESSAGE:
        raise DomainError(msg("Use at most {count} characters.", count=Number(MAX_MESSAGE)), "body")
    message = EngagementMessage(engagement_id=engagement.id, author_id=actor.id, body=body)
    session.add(message)
    gig = session.get(Gig, engagement.gig_id)
    others = set(policy.manager_ids(session, gig.organization_id)) | {engagement.student_id}
    others.discard(actor.id)
    for user_id in sorted(others):
        notifications.notify(
            session,
            user_id,
            "engagement.message",
            msg("New message from {name} on {title}", name=actor.display_name, title=gig.title),
            f"/engagements/{engagement.id}",
        )
    session.flush()
    return message


# --- auto-approval (a job) ---------------------------------------------------------------


def auto_approve_silent(session: Session, now) -> int:
    """Approve (and pay) every submission the managers left unanswered for N days.

    Idempotent: only engagements still submitted move, each once, forward only.
    """
    from datetime import timedelta

    days = center.current(session).auto_approve_days
    if days <= 0:  # 0: never
        return 0
    cutoff = now - timedelta(days=days)
    waiting = session.exec(
        select(Engagement).where(
            Engagement.status == EngagementStatus.SUBMITTED, Engagement.submitted_at.is_not(None), Engagement.submitted_at <= cutoff
        )
    ).all()
    approved = 0
    for found in waiting:
        # A manager may be reviewing it right now: lock it, and leave it if that came first.
        engagement = locked_row(session, Engagement, found.id)
        if engagement.status != EngagementStatus.SUBMITTED:
            continue
        approved += 1
        gig = session.get(Gig, engagement.gig_id)
        submission = session.exec(
            select(Submission).where(Submission.engagement_id == engagement.id).order_by(Submission.version.desc())
        ).first()
        if submission is not None:
            submission.decision = "approved"
            submission.decision_comment = f"Approved automatically: no review within {days} days."
            submission.decided_at = utcnow()
            session.add(submission)
        move_engagement(session, None, engagement, EngagementStatus.APPROVED)
        audit.record(session, None, "engagement.auto_approved", "engagement", engagement.id, days=days)
        link = f"/engagements/{engagement.id}"
        if payments.pay_out(session, engagement):
            notifications.notify(
                session,
                engagement.student_id,
                "engagement.paid",
                msg("Approved automatically and paid: {title}", title=gig.title),
                link,
                email=True,
            )
        else:
            notifications.notify(
                session,
                engagement.student_id,
                "engagement.approved",
                msg("Approved automatically: {title}; the payout is on its way", title=gig.title),
                "/earnings",
                email=True,
            )
        for manager_id in policy.manager_ids(session, gig.organization_id):
            notifications.notify(
                session,
                manager_id,
                "engagement.auto_approved",
                msg("Approved automatically after {days} days: {title}", days=days, title=gig.title),
                link,
                email=True,
            )
        gig_completion.complete_gig_if_done(session, gig)
    session.flush()
    return approved


# --- deadline extensions ---------------------------------------------------------------------

MAX_EXTENSION_DAYS = 90


def _side(session: Session, actor: User, engagement: Engagement) -> str:
    """ "student" or "employer": who the actor is in this engagement (staff only watch)."""
    if actor.id == engagement.student_id:
        return "student"
    gig = session.get(Gig, engagement.gig_id)
    if policy.manages_gig(session, actor, gig):
        return "employer"
    raise DomainError("Only the student or the gig's managers can change the due date.")


def request_extension(session: Session, actor: User, engagement_id: int, new_due_date, reason: str = "") -> ExtensionRequest:
    """Either side asks to move the due date; the other side answers."""
    from datetime import date, timedelta

    engagement = get_engagement(session, actor, engagement_id, for_change=True)
    side = _side(session, actor, engagement)
    if engagement.status not in UNFINISHED:
        raise DomainError("The due date can't change once the work is approved or cancelled.")
    errors: dict[str, str] = {}
    if not isinstance(new_due_date, date):
        errors["new_due_date"] = msg("Enter the new due date.")
    elif new_due_date <= engagement.due_date:
        errors["new_due_date"] = msg("Choose a date after the current due date ({date}).", date=Day(engagement.due_date))
    elif new_due_date > engagement.due_date + timedelta(days=MAX_EXTENSION_DAYS):
        errors["new_due_date"] = msg("Extend by at most {count} days at a time.", count=MAX_EXTENSION_DAYS)
    reason = clean_text(reason)
    if not reason:
        errors["reason"] = msg("Say why the date should move.")
    elif len(reason) > 500:
        errors["reason"] = msg("Use at most 500 characters.")
    if errors:
        raise ValidationFailed(errors)
    pending = session.exec(
        select(ExtensionRequest).where(ExtensionRequest.engagement_id == engagement.id, ExtensionRequest.status == "pending")
    ).first()
    if pending is not None:
        raise DomainError("An extension request is already waiting for an answer.")
    request = ExtensionRequest(
        engagement_id=engagement.id,
        requested_by_id=actor.id,
        requested_by_student=side == "student",
        old_due_date=engagement.due_date,
        new_due_date=new_due_date,
        reason=reason,
    )
    session.add(request)
    session.flush()
    audit.record(session, actor, "extension.requested", "engagement", engagement.id, new_due_date=new_due_date.isoformat())
    gig = session.get(Gig, engagement.gig_id)
    others = policy.manager_ids(session, gig.organization_id) if side == "student" else [engagement.student_id]
    for user_id in others:
        notifications.notify(
            session,
            user_id,
            "extension.requested",
            msg("New due date proposed for {title}: {date}", title=gig.title, date=new_due_date),
            f"/engagements/{engagement.id}",
            email=True,
        )
    session.flush()
    return request


def answer_extension(session: Session, actor: User, engagement_id: int, request_id: int, accept: bool) -> ExtensionRequest:
    """The other side accepts (the due date moves) or declines a pending request."""

    engagement = get_engagement(session, actor, engagement_id, for_change=True)
    side = _side(session, actor, engagement)
    request = session.get(ExtensionRequest, request_id)
    if request is None or request.engagement_id != engagement.id:
        raise NotFound("That extension request")
    if request.status != "pending":
        raise DomainError(
            msg("This request is already accepted.") if request.status == "accepted" else msg("This request is already declined.")
        )
    asked_by = "student" if request.requested_by_student else "employer"
    policy.require(side != asked_by, _("The other side answers an extension request, not the side that asked."))
    if engagement.status not in UNFINISHED:
        raise DomainError("The due date can't change once the work is approved or cancelled.")
    request.status = "accepted" if accept else "declined"
    request.decided_by_id = actor.id
    request.decided_at = utcnow()
    session.add(request)
    if accept:
        engagement.due_date = request.new_due_date
        session.add(engagement)
    audit.record(session, actor, f"extension.{request.status}", "engagement", engagement.id, request_id=request.id)
    gig = session.get(Gig, engagement.gig_id)
    verdict = "accepted" if accept else "declined"
    notifications.notify(
        session,
        request.requested_by_id,
        f"extension.{verdict}",
        msg("Due date change accepted for {title}", title=gig.title)
        if accept
        else msg("Due date change declined for {title}", title=gig.title),
        f"/engagements/{engagement.id}",
        email=True,
    )
    session.flush()
    return request

"""Applying to gigs and choosing among applicants (with blind review)."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from microgigs.i18n import Number, _, msg
from microgigs.models import (
    Application,
    ApplicationAnswer,
    Engagement,
    Gig,
    ScreeningQuestion,
    User,
)
from microgigs.services import application_lifecycle, audit, changes, engagement_lifecycle, gigs, notifications, payments, policy
from microgigs.services.application_lifecycle import move_application
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.statuses import ApplicationStatus, GigStatus
from microgigs.services.validation import ValidationFailed, check_length, clean_line, clean_text, is_http_url

MAX_NOTE = 2000
MAX_LINKS_TEXT = 1000  # Application.sample_links, one link a line
OPEN_STATUSES = application_lifecycle.OPEN

# An application already decided, in one whole sentence per status (a status is not a word a
# translation can slot in).
ALREADY_DECIDED = {
    ApplicationStatus.SUBMITTED: _("This application is already submitted."),
    ApplicationStatus.SHORTLISTED: _("This application is already shortlisted."),
    ApplicationStatus.ACCEPTED: _("This application is already accepted."),
    ApplicationStatus.DECLINED: _("This application is already declined."),
    ApplicationStatus.WITHDRAWN: _("This application is already withdrawn."),
}
NOT_WITHDRAWABLE = {
    ApplicationStatus.ACCEPTED: _("This application is already accepted and cannot be withdrawn."),
    ApplicationStatus.DECLINED: _("This application is already declined and cannot be withdrawn."),
    ApplicationStatus.WITHDRAWN: _("This application is already withdrawn and cannot be withdrawn."),
}
NOT_SHORTLISTABLE = {
    ApplicationStatus.SHORTLISTED: _("Only new applications can be shortlisted; this one is shortlisted."),
    ApplicationStatus.ACCEPTED: _("Only new applications can be shortlisted; this one is accepted."),
    ApplicationStatus.DECLINED: _("Only new applications can be shortlisted; this one is declined."),
    ApplicationStatus.WITHDRAWN: _("Only new applications can be shortlisted; this one is withdrawn."),
}


@dataclass
class ApplicationInput:
    note: str
    sample_links: list[str] = field(default_factory=list)
    answers: dict[int, str] = field(default_factory=dict)  # question id -> answer


def get_application(session: Session, application_id: int) -> Application:
    application = session.get(Application, application_id)
    if application is None:
        raise NotFound("That application")
    return application


def apply(session: Session, actor: User, gig_id: int, data: ApplicationInput, today: date | None = None) -> Application:
    policy.require(policy.is_student(actor), _("Only students can apply to gigs."))
    gig = session.get(Gig, gig_id)
    if gig is None or gig.status not in (GigStatus.OPEN, GigStatus.FILLED, GigStatus.IN_PROGRESS, GigStatus.COMPLETED):
        raise NotFound("That gig")
    if gig.status != GigStatus.OPEN:
        raise DomainError("This gig is no longer taking applications.")
    if gig.application_deadline < (today or date.today()):
        raise DomainError("The application deadline for this gig has passed.")
    if session.exec(select(Application.id).where(Application.gig_id == gig.id, Application.student_id == actor.id)).first() is not None:
        raise DomainError("You have already applied to this gig.")

    errors: dict[str, str] = {}
    note = clean_text(data.note)
    check_length(errors, "note", note, label=_("a note about why you fit this gig"), max_len=MAX_NOTE)
    links = [clean_line(link) for link in data.sample_links if clean_line(link)]
    if len(links) > 5:
        errors["sample_links"] = msg("Share at most {count} links.", count=5)
    elif bad := [link for link in links if not is_http_url(link) or len(link) > 300]:
        errors["sample_links"] = msg("Not a web address: {link}", link=bad[0][:60])
    elif len("\n".join(links)) > MAX_LINKS_TEXT:
        errors["sample_links"] = msg("Use at most {count} characters for your links in all.", count=Number(MAX_LINKS_TEXT))
    questions = session.exec(select(ScreeningQuestion).where(ScreeningQuestion.gig_id == gig.id)).all()
    for question in questions:
        answer = clean_text(data.answers.get(question.id, ""))
        check_length(errors, f"answer_{question.id}", answer, label=_("an answer"), max_len=2000)
    if errors:
        raise ValidationFailed(errors)

    number = session.exec(select(func.count()).select_from(Application).where(Application.gig_id == gig.id)).one() + 1
    application = Application(
        gig_id=gig.id,
        student_id=actor.id,
        note=note,
        sample_links="\n".join(links),
        anonymous_number=number,
    )
    session.add(application)
    try:
        session.flush()  # the unique (gig, student) constraint catches a double click
    except IntegrityError:
        session.rollback()
        raise DomainError("You have already applied to this gig.") from None
    for question in questions:
        session.add(
            ApplicationAnswer(application_id=application.id, question_id=question.id, answer=clean_text(data.answers.get(question.id, "")))
        )
    application_lifecycle.started(session, actor, application, gig_id=gig.id)
    for manager_id in policy.manager_ids(session, gig.organization_id):
        notifications.notify(
            session, manager_id, "application.new", msg("New applicant for {title}", title=gig.title), f"/manage/gigs/{gig.id}", email=True
        )
    session.flush()
    return application


def withdraw(session: Session, actor: User, application_id: int) -> Application:
    application = get_application(session, application_id)
    # Deny by default: a signed-out visitor (no actor) is refused like anyone else's account.
    policy.require(policy.is_active_user(actor) and application.student_id == actor.id, _("You can only withdraw your own applications."))
    if application.status not in OPEN_STATUSES:
        raise DomainError(NOT_WITHDRAWABLE.get(application.status, NOT_WITHDRAWABLE[ApplicationStatus.DECLINED]))
    return move_application(session, actor, application, ApplicationStatus.WITHDRAWN)


def _gig_for_manager(session: Session, actor: User, application: Application) -> Gig:
    gig = session.get(Gig, application.gig_id)
    policy.require(gig is not None and policy.manages_gig(session, actor, gig), _("Only the gig's managers can choose applicants."))
    return gig


def shortlist(session: Session, actor: User, application_id: int) -> Application:
    application = get_application(session, application_id)
    gig = _gig_for_manager(session, actor, application)
    if application.status != ApplicationStatus.SUBMITTED:
        raise DomainError(NOT_SHORTLISTABLE.get(application.status, NOT_SHORTLISTABLE[ApplicationStatus.DECLINED]))
    move_application(session, actor, application, ApplicationStatus.SHORTLISTED)
    if gig.blind_review:
        audit.record(session, actor, "pedigree.revealed", "user", application.student_id, application_id=application.id)
    notifications.notify(
        session, application.student_id, "application.shortlisted", msg("You are shortlisted for {title}", title=gig.title), "/dashboard"
    )
    return application


# One-line decline feedback a manager can pick instead of writing their own (each under 200 characters).
FEEDBACK_TEMPLATES = (
    _("We chose an applicant whose samples matched this scope more closely."),
    _("We needed more experience with the tools this gig uses."),
    _("Your availability did not fit our timeline this time."),
    _("Strong application: please apply to our next gig."),
)


def decline(session: Session, actor: User, application_id: int, feedback: str = "") -> Application:
    application = get_application(session, application_id)
    gig = _gig_for_manager(session, actor, application)
    if application.status not in OPEN_STATUSES:
        raise DomainError(ALREADY_DECIDED.get(application.status, ALREADY_DECIDED[ApplicationStatus.DECLINED]))
    feedback = clean_line(feedback)
    if len(feedback) > 200:
        raise DomainError("Keep feedback to one line (200 characters).", "feedback")
    move_application(session, actor, application, ApplicationStatus.DECLINED, feedback)
    notifications.notify(
        session,
        application.student_id,
        "application.declined",
        msg("Decision on {title}: not selected this time", title=gig.title),
        "/dashboard",
        email=True,
    )
    return application


def accept(session: Session, actor: User, application_id: int) -> Engagement:
    """Accept an applicant: take a slot atomically, lock the scope, start funding."""
    application = get_application(session, application_id)
    gig = _gig_for_manager(session, actor, application)
    if application.status not in OPEN_STATUSES:
        raise DomainError(ALREADY_DECIDED.get(application.status, ALREADY_DECIDED[ApplicationStatus.DECLINED]))
    if gig.status != GigStatus.OPEN:
        raise DomainError("This gig is not open, so nobody more can be accepted.")
    # One conditional UPDATE: two managers clicking at once cannot both take the last slot.
    taken = session.exec(
        update(Gig)
        .where(Gig.id == gig.id, Gig.status == GigStatus.OPEN, Gig.filled_slots < Gig.slots)
        .values(filled_slots=Gig.filled_slots + 1)
    )
    if taken.rowcount != 1:
        raise DomainError("All slots of this gig are already taken.")
    # A Core UPDATE flushes no Gig row, so nothing tells the kept gig page its slots moved.
    changes.touch(session, changes.BOARD_TOPIC)
    session.refresh(gig)
    move_application(session, actor, application, ApplicationStatus.ACCEPTED)
    if gig.blind_review:
        audit.record(session, actor, "pedigree.revealed", "user", application.student_id, application_id=application.id)
    engagement = Engagement(
        gig_id=gig.id,
        application_id=application.id,
        student_id=application.student_id,
        scope_snapshot=gig.scope + (f"\n\nDeliverables:\n{gig.deliverables}" if gig.deliverables else ""),
        due_date=gig.due_date,
        pay_cents=gig.pay_cents,
        fee_cents=payments.platform_fee_cents(session, gig.pay_cents),
        currency=gig.currency,
        max_revision_rounds=gig.max_revision_rounds,
    )
    session.add(engagement)
    session.flush()
    engagement_lifecycle.started(session, actor, engagement, application_id=application.id)
    payments.start_funding(session, engagement)  # a gateway that takes the money at once makes it active
    notifications.notify(
        session,
        application.student_id,
        "application.accepted",
        msg("You are accepted for {title}", title=gig.title),
        f"/engagements/{engagement.id}",
        email=True,
    )
    if gig.filled_slots >= gig.slots:
        gigs.move_gig(session, actor, gig, GigStatus.FILLED)
        close_remaining_applications(session, gig, msg("All places on this gig are taken."))
    session.flush()
    return engagement


def close_remaining_applications(session: Session, gig: Gig, reason: str) -> int:
    """Give every applicant still waiting a decision (the gig filled, closed or expired)."""
    waiting = session.exec(select(Application).where(Application.gig_id == gig.id, Application.status.in_(OPEN_STATUSES))).all()
    for application in waiting:
        move_application(session, None, application, ApplicationStatus.DECLINED, reason)
        notifications.notify(
            session,
            application.student_id,
            "application.declined",
            msg("Decision on {title}: {reason}", title=gig.title, reason=reason),
            "/dashboard",
            email=True,
        )
    return len(waiting)

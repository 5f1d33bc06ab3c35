"""A person's own data: export everything as JSON, or delete the account.

Deleting anonymizes: the user row stays (engagements, ledger rows, reviews and
audit events point at it and must stay true) but name, email, password, photo,
profile and pedigree are wiped and every session is revoked.
"""

from sqlmodel import Session, select

from microgigs.i18n import _, msg
from microgigs.models import (
    Application,
    AuditEvent,
    AuthSession,
    CalendarFeed,
    Credential,
    Engagement,
    Notification,
    Review,
    Skill,
    StudentProfile,
    StudentSkill,
    Submission,
    User,
    utcnow,
)
from microgigs.services import (
    account_security,
    accounts,
    alerts,
    application_lifecycle,
    audit,
    engagement_lifecycle,
    mail_preferences,
    policy,
)
from microgigs.services.application_lifecycle import move_application
from microgigs.services.statuses import ApplicationStatus, EngagementStatus
from microgigs.services.validation import ValidationFailed

UNFINISHED_WORK = (*engagement_lifecycle.UNFINISHED, EngagementStatus.DISPUTED)
OPEN_APPLICATIONS = application_lifecycle.OPEN


def _row(obj, *, drop: tuple[str, ...] = ()) -> dict:
    return {k: v for k, v in obj.model_dump().items() if k not in drop}


def export_user_data(session: Session, actor: User | None) -> dict:
    """Everything MicroGigs keeps about the actor, as plain data (never a password hash or token)."""
    policy.require(policy.may_export_own_data(actor), _("Sign in to download your data."))
    uid = actor.id
    profile = session.get(StudentProfile, uid)
    skills = session.exec(select(Skill.name).join(StudentSkill, StudentSkill.skill_id == Skill.id).where(StudentSkill.user_id == uid)).all()
    engagements = session.exec(select(Engagement).where(Engagement.student_id == uid)).all()
    engagement_ids = [e.id for e in engagements]
    data = {
        "account": _row(actor, drop=("password_hash",)),
        "profile": _row(profile) if profile else None,
        "skills": sorted(skills),
        "applications": [_row(a) for a in session.exec(select(Application).where(Application.student_id == uid))],
        "engagements": [_row(e) for e in engagements],
        "submissions": [_row(s) for s in session.exec(select(Submission).where(Submission.engagement_id.in_(engagement_ids or [-1])))],
        "reviews_written": [_row(r, drop=("private_note",)) for r in session.exec(select(Review).where(Review.author_id == uid))],
        "credentials": [_row(c) for c in session.exec(select(Credential).where(Credential.student_id == uid))],
        "notifications": [_row(n) for n in session.exec(select(Notification).where(Notification.user_id == uid))],
        "sign_in_sessions": [_row(s, drop=("token_hash",)) for s in session.exec(select(AuthSession).where(AuthSession.user_id == uid))],
        "calendar_link": _row(feed, drop=("token_hash",)) if (feed := session.get(CalendarFeed, uid)) else None,
        "saved_searches": [_row(s) for s in alerts.searches_of(session, uid)],
        "mail_choices": _row(mail_preferences.preference(session, uid)),
        "activity": [
            _row(e)
            for e in session.exec(
                select(AuditEvent).where(
                    (AuditEvent.actor_id == uid) | ((AuditEvent.subject_type == "user") & (AuditEvent.subject_id == uid))
                )
            )
        ],
    }
    audit.record(session, actor, "user.data_exported", "user", uid)
    session.flush()
    return data


def delete_account(session: Session, actor: User | None, password: str) -> None:
    """Anonymize the actor's account after checking their password; nothing is half-done."""
    policy.require(policy.is_signed_in(actor), _("Sign in to delete your account."))
    policy.require(policy.may_delete_own_account(actor), _("Ask the career center to close an employer or staff account."))
    if not actor.password_hash or not accounts.verify_password(actor.password_hash, password or ""):
        raise ValidationFailed({"delete_password": msg("That is not your password.")})
    unfinished = session.exec(
        select(Engagement.id).where(Engagement.student_id == actor.id, Engagement.status.in_(UNFINISHED_WORK))
    ).first()
    if unfinished is not None:
        raise ValidationFailed({"delete_password": msg("You have work in progress. Finish it or ask the employer to cancel it first.")})

    for application in session.exec(
        select(Application).where(Application.student_id == actor.id, Application.status.in_(OPEN_APPLICATIONS))
    ):
        move_application(session, actor, application, ApplicationStatus.WITHDRAWN)
    for link in session.exec(select(StudentSkill).where(StudentSkill.user_id == actor.id)):
        session.delete(link)
    profile = session.get(StudentProfile, actor.id)
    if profile is not None:
        session.delete(profile)
    if actor.photo_name:
        from microgigs.services import profiles

        profiles.photo_store().delete(actor.photo_name)
    if not actor.email_verified:
        # An employer signed up from an address nobody confirmed: nothing to keep on record.
        account_security.withdraw_employer_sign_ups(session, actor, "Closed: the person who signed it up deleted their account.")
    account_security.revoke_sessions(session, actor)
    calendar_feed = session.get(CalendarFeed, actor.id)
    if calendar_feed is not None:  # its dates are nobody's now
        session.delete(calendar_feed)
    alerts.forget_searches(session, actor.id)  # no alert is sent to a deleted account
    mail_preferences.forget_person(session, actor.id)
    for purpose in ("verify_email", "reset_password"):
        account_security.void_tokens(session, purpose, user=actor)
    actor.email = f"deleted-{actor.id}@deleted.invalid"
    actor.display_name = "Deleted account"
    actor.password_hash = ""
    actor.title = ""
    actor.photo_name = ""
    actor.email_verified = False
    actor.is_active = False
    actor.deleted_at = utcnow()
    session.add(actor)
    audit.record(session, actor, "user.deleted", "user", actor.id)
    session.flush()

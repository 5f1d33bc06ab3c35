"""The weekly digest: a student who turned it on (off for new accounts) gets, once a week, a
mail naming the open gigs recommended for their skills (services/gigs/recommendations.py, what
the board's "Recommended for you" shows). Nothing is sent when nothing is recommended."""

from datetime import datetime, timedelta
from html import escape

from sqlalchemy import or_, update
from sqlmodel import Session, select

from microgigs.i18n import gettext, language_or_default, ngettext, translate
from microgigs.integrations import mail
from microgigs.models import MailPreference, User
from microgigs.services import gigs, mail_preferences, policy
from microgigs.settings import get_settings

WEEK = timedelta(days=7)
DIGEST_SIZE = 10


def _due(now: datetime):
    return or_(MailPreference.digest_checked_at.is_(None), MailPreference.digest_checked_at <= now - WEEK)


def send_weekly_digests(session: Session, now: datetime) -> int:
    """The weekly job: each opted-in student looked at once a week (a conditional update is the
    claim, so several workers send one digest); returns how many digests were queued."""
    due = session.exec(select(MailPreference.user_id).where(MailPreference.weekly_digest, _due(now)).order_by(MailPreference.user_id)).all()
    sent = 0
    for user_id in due:
        claimed = session.exec(
            update(MailPreference)
            .where(MailPreference.user_id == user_id, MailPreference.weekly_digest, _due(now))
            .values(digest_checked_at=now)
        )
        if claimed.rowcount != 1:
            continue
        student = session.get(User, user_id)
        if not policy.is_student(student):
            continue
        picks = gigs.recommended_for(session, student, limit=DIGEST_SIZE, today=now.date())
        if not picks:
            continue
        _send(session, student, picks)
        sent += 1
    return sent


def _send(session: Session, student: User, picks: list) -> None:
    # In the student's language (User.language); a reason may be a service's message (a Text).
    language = language_or_default(student.language)
    base = get_settings().public_url.rstrip("/")
    lines = "\n".join(f"- {p.card.title} ({translate(language, p.reason)}): {base}/gigs/{p.card.id}" for p in picks)
    items = "".join(
        f'<li><a href="{escape(base)}/gigs/{p.card.id}">{escape(p.card.title)}</a> · {escape(translate(language, p.reason))}</li>'
        for p in picks
    )
    hello = gettext(language, "Hello {name},", name=student.display_name)
    intro = gettext(language, "Open gigs recommended for your skills this week:")
    mail.send(
        session,
        to=student.email,
        subject=ngettext(
            language, "This week: {count} open gig for your skills", "This week: {count} open gigs for your skills", len(picks)
        ),
        text=f"{hello}\n\n{intro}\n\n{lines}\n",
        html=f"<p>{escape(hello)}</p><p>{escape(intro)}</p><ul>{items}</ul>",
        recipient_id=student.id,
        list_kind=mail_preferences.DIGEST,
        language=language,
    )

"""Telling people: an in-app notification, and mail for what they must act on."""

from datetime import date, datetime
from html import escape

from sqlmodel import Session, func, select

from microgigs.i18n import Text, format_date, format_datetime, gettext, language_or_default, ngettext, translate
from microgigs.integrations import mail
from microgigs.models import Notification, User, utcnow
from microgigs.services import center, mail_preferences
from microgigs.services.validation import clean_line
from microgigs.settings import get_settings


def in_language(title: Text | str, language: str, tz_name: str | None = None) -> str:
    """A title in the reader's language: a Text translated, with its days and moments written
    as the language writes them ("26 dic 2026"; a moment in the zone `tz_name`, named)."""
    if not isinstance(title, Text):
        return title
    values = {}
    for name, value in title.values.items():
        if isinstance(value, datetime):
            values[name] = format_datetime(value, language, tz_name)
        elif isinstance(value, date):
            values[name] = format_date(value, language)
        elif isinstance(value, Text):
            values[name] = in_language(value, language, tz_name)
        else:
            values[name] = value
    return translate(language, Text(title.msgid, **values))


def notify(session: Session, user_id: int, kind: str, title: Text | str, link: str = "", *, email: bool = False) -> Notification:
    """Tell `user_id` in their own language: `title` is a service's message (msg(...), a Text),
    kept in the recipient's language (User.language) in the list and in the mail; a plain str is
    kept as it is."""
    user = session.get(User, user_id)
    language = language_or_default(user.language if user is not None else None)
    # One line: titles carry people's text (a gig's title, a rejection's reason) into a list
    # and a mail's Subject header, where a line break is refused.
    title = clean_line(in_language(title, language, user.timezone if user is not None else None), limit=200)
    note = Notification(user_id=user_id, kind=kind, title=title, link=link)
    session.add(note)
    # The mail copy is bulk mail: its recipient may have turned it off (one-click unsubscribe).
    if email and user is not None and mail_preferences.wants(session, user_id, mail_preferences.NOTIFICATIONS):
        url = get_settings().public_url.rstrip("/") + (link or "/dashboard")
        name = center.current(session).name
        hello = gettext(language, "Hello {name},", name=user.display_name)
        open_text = gettext(language, "Open {center}:", center=name)
        open_link = gettext(language, "Open {center}", center=name)
        mail.send(
            session,
            to=user.email,
            subject=title,
            text=f"{hello}\n\n{title}\n\n{open_text} {url}\n",
            html=(f'<p>{escape(hello)}</p><p>{escape(title)}</p><p><a href="{escape(url)}">{escape(open_link)}</a></p>'),
            recipient_id=user.id,
            list_kind=mail_preferences.NOTIFICATIONS,
            language=language,
        )
    return note


def unread_count(session: Session, user: User) -> int:
    return session.exec(
        select(func.count()).select_from(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).one()


def mark_all_read(session: Session, user: User) -> None:
    for note in session.exec(select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))):
        note.read_at = utcnow()
        session.add(note)


def recent(session: Session, user: User, limit: int = 50) -> list[Notification]:
    """The user's newest notifications, unread or not (only ever their own)."""
    return list(
        session.exec(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_read(session: Session, user: User, notification_id: int) -> None:
    """Mark one of the user's own notifications read; someone else's is "not found"."""
    from microgigs.services.errors import NotFound

    note = session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        raise NotFound("That notification")
    if note.read_at is None:
        note.read_at = utcnow()
        session.add(note)
        session.flush()


# --- what a screen reader hears when notifications arrive live -------------------------------


def latest_id(session: Session, user: User) -> int:
    """The id of the user's newest notification (0: none yet): where "new since" starts."""
    return unread_and_latest(session, user)[1]


def unread_and_latest(session: Session, user: User) -> tuple[int, int]:
    """(how many are unread, the newest one's id or 0) in one query: every page's header asks."""
    unread, latest = session.exec(
        select(func.count(Notification.id).filter(Notification.read_at.is_(None)), func.max(Notification.id)).where(
            Notification.user_id == user.id
        )
    ).one()
    return unread or 0, latest or 0


def announcement(session: Session, user: User, after_id: int) -> str:
    """One short sentence about the user's notifications newer than `after_id`, for the page's
    polite live region ("" when there are none), in the user's language: the notification's own
    line when one arrived (its title is already the fact in plain words, kept in their language),
    else how many arrived and what (the newest only, past three)."""
    fresh = session.exec(
        select(Notification.title).where(Notification.user_id == user.id, Notification.id > after_id).order_by(Notification.id)
    ).all()
    if not fresh:
        return ""
    if len(fresh) == 1:
        return fresh[0]
    language = language_or_default(getattr(user, "language", None))
    if len(fresh) <= 3:  # one action often says two things at once (accepted; funded)
        return ngettext(
            language,
            "{count} new notification: {titles}",
            "{count} new notifications: {titles}",
            len(fresh),
            titles="; ".join(fresh),
        )
    return ngettext(
        language,
        "{count} new notification. The newest: {title}",
        "{count} new notifications. The newest: {title}",
        len(fresh),
        title=fresh[-1],
    )

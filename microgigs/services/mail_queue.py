"""Delivering the mail queue: claim due mail, make its one-time link, record what happened.

The outbox table is the queue (integrations/mail.send writes it in the action's own
transaction). A worker claims due rows (an atomic update, so several processes never send
the same row at once), and for each one:
1. `prepare` makes the mail as it leaves: a mail with a one-time link gets a fresh token now
   (its hash replaces the stored one), so the token exists in clear only in that message. A
   link that was replaced, used or expired meanwhile is not sent (cancelled, with the reason).
   It leaves under the center's name, its HTML framed with the center's logo and name, its text
   ending with them (`branded`: the settings in effect when it leaves; the row keeps the bodies
   as they were queued, for the outbox page and any later try).
2. the caller commits, then sends it (integrations/mail.transmit), outside any transaction;
3. `record_sent` or `record_failure`: a failure is tried again later (growing delays), and
   after MAX_ATTEMPTS, or at once when retrying cannot help, the mail is failed with its reason
   for staff (/admin/outbox), who may send it again.

A claim is a lease: a worker that dies mid-send leaves the row "sending" until the lease
lapses, then any worker takes it again. Nothing is lost; at worst a mail leaves twice (the
earlier copy's link then no longer works).
"""

import re
import secrets
from datetime import datetime, timedelta
from email.utils import parseaddr
from html import escape

from sqlalchemy import update
from sqlmodel import Session, select

from microgigs.i18n import DEFAULT as DEFAULT_LANGUAGE
from microgigs.i18n import gettext, msg, translate
from microgigs.integrations.mail import TOKEN_MASK, DeliveryFailed, OutgoingMail
from microgigs.models import OneTimeToken, OutboxMail, User, utcnow
from microgigs.services import account_security, accounts, audit, center, mail_preferences, policy
from microgigs.services.errors import DomainError, NotFound
from microgigs.settings import get_settings

# Delay before the 2nd, 3rd, ... try: about two days from the first try to the last.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=8),
    timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
LEASE = timedelta(minutes=10)  # far longer than an SMTP conversation may take (its timeout)
LINK_GONE = msg("Not sent: its one-time link was replaced by a newer one, used or expired first.")
TURNED_OFF = msg("Not sent: its recipient turned this kind of email off after it was queued.")


def claim_due(session: Session, now: datetime | None = None, limit: int = 20) -> list[int]:
    """Claim up to `limit` mails that are due for this worker; commits nothing. Mail carrying a
    one-time link goes first (someone is waiting for it), then the oldest."""
    now = now or utcnow()
    candidates = session.exec(
        select(OutboxMail.id)
        .where(OutboxMail.status.in_(("queued", "sending")), OutboxMail.next_attempt_at <= now)
        .order_by(OutboxMail.token_id.is_(None), OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(limit)
    ).all()
    return [mail_id for mail_id in candidates if claim(session, mail_id, now)]


def claim(session: Session, mail_id: int, now: datetime | None = None) -> bool:
    """Claim one due mail for this worker (a lease of LEASE); False when another worker has it
    or it is not due. Only one worker's update matches: the row is no longer due once claimed."""
    now = now or utcnow()
    result = session.exec(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.status.in_(("queued", "sending")), OutboxMail.next_attempt_at <= now)
        .values(status="sending", next_attempt_at=now + LEASE, attempts=OutboxMail.attempts + 1)
    )
    return result.rowcount == 1


def _token_usable(row: OneTimeToken | None, now: datetime) -> bool:
    """Whether the link the mail carries still works (not used, replaced or expired)."""
    if row is None:
        return False
    try:
        account_security.check_unspent(row, now)
    except DomainError:
        return False
    return True


def prepare(session: Session, mail_id: int, now: datetime | None = None) -> OutgoingMail | None:
    """The claimed mail as it leaves, its one-time token (if any) made now; None when it must not
    leave (its link is gone: the mail is cancelled). The caller commits before sending."""
    now = now or utcnow()
    # Read afresh: the claim was a bulk update.
    mail = session.get(OutboxMail, mail_id, populate_existing=True)
    if mail is None or mail.status != "sending":
        return None
    text, html = mail.text_body, mail.html_body
    if mail.recipient_id is not None and mail.list_kind and not mail_preferences.wants(session, mail.recipient_id, mail.list_kind):
        # Bulk mail its recipient turned off after it was queued (an unsubscribe link, /account).
        mail.status, mail.last_error = "cancelled", TURNED_OFF
        session.add(mail)
        session.flush()
        return None
    if mail.token_id is not None:
        token = session.get(OneTimeToken, mail.token_id, populate_existing=True)
        if not _token_usable(token, now):
            mail.status, mail.last_error = "cancelled", LINK_GONE
            session.add(mail)
            session.flush()
            return None
        raw = secrets.token_urlsafe(32)
        token.token_hash = accounts.hash_token(raw)
        session.add(token)
        session.flush()
        text, html = text.replace(TOKEN_MASK, raw), html.replace(TOKEN_MASK, raw)
    unsubscribe = ""
    if mail.recipient_id is not None and mail.list_kind:
        # Bulk mail: a one-click unsubscribe from this kind of mail, in the headers and the body.
        unsubscribe = mail_preferences.unsubscribe_url(session, mail.recipient_id, mail.list_kind)
        recipient = session.get(User, mail.recipient_id)
        language = recipient.language if recipient is not None else DEFAULT_LANGUAGE
        text, html = with_unsubscribe(text, html, mail.list_kind, unsubscribe, language)
    # Branded as it leaves, with the center's settings of now; the stored row keeps the bodies as
    # queued (what /admin/outbox shows, and what a later try brands afresh).
    shown = center.current(session)
    text, html = branded(shown, text, html, _written_in(mail.html_body))
    return OutgoingMail(
        mail_id=mail.id,
        to_address=mail.to_address,
        subject=mail.subject,
        text_body=text,
        html_body=html,
        from_name=sender_name(shown),
        unsubscribe_url=unsubscribe,
    )


def with_unsubscribe(text: str, html: str, kind: str, url: str, language: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """The bodies with a last line, in the recipient's language, saying how to stop this kind of mail."""
    what = translate(language, mail_preferences.KIND_NAMES.get(kind, msg("these emails")))
    line = gettext(language, "To stop {what}, open {url}", what=what, url=url)
    # The sentence is ours (the catalogue); the values set in it are escaped.
    words = gettext(language, "unsubscribe")
    unsubscribe = f'<a href="{escape(url)}">{escape(words)}</a>'
    sentence = gettext(language, "To stop {what}, {unsubscribe}.", what=escape(what), unsubscribe=unsubscribe)
    link = f'<p style="font-size:13px;color:#444444">{sentence}</p>'
    return f"{text.rstrip()}\n\n{line}\n", f"{html}{link}"


# --- the center's name and logo on every mail ------------------------------------------------

_COLOR = re.compile(r"#[0-9a-f]{6}")
_WRITTEN_IN = re.compile(r'<div lang="([a-z]{2})">')


def _written_in(html: str) -> str:
    """The language a queued mail's HTML says it is written in (integrations/mail.send)."""
    found = _WRITTEN_IN.match(html or "")
    return found[1] if found else "en"


def sender_name(shown: center.Center) -> str:
    """The From header's display name: the center's name; but while the center has not named
    itself (at /admin/settings or MICROGIGS_CENTER_NAME), a name MICROGIGS_MAIL_FROM carries
    stays (an install set up before the center had a name of its own keeps its sender)."""
    settings = get_settings()
    own = parseaddr(settings.mail_from)[0]
    named = "name" in shown.saved or "center_name" in settings.model_fields_set
    return shown.name if named or not own else own


def branded(shown: center.Center, text: str, html: str, language: str = "en") -> tuple[str, str]:
    """The bodies as they leave: the HTML in a small frame with the center's logo (an absolute
    link to it: mail is read away from the site) and name above, its name and contact address
    below; the text ends with the same. Everything the center wrote is escaped. The page says
    its `language` (a screen reader picks its voice by it)."""
    name = escape(shown.name)
    contact = shown.contact_email
    logo = ""
    if shown.logo_url:
        src = get_settings().public_url.rstrip("/") + shown.logo_url
        logo = f'<img src="{escape(src)}" alt="{name}" height="48" style="display:block;height:48px;width:auto;max-width:240px;border:0">'
    color = shown.brand_color if _COLOR.fullmatch(shown.brand_color) else ""
    # White on the brand colour passes WCAG AA (the settings page refuses colours where it does not).
    top = f"background:{color};color:#ffffff;" if color else "border-bottom:1px solid #dddddd;"
    heading = f'<h1 style="margin:8px 0 0;font-size:20px;line-height:1.3;color:inherit">{name}</h1>'
    contact_html = f' · <a href="mailto:{escape(contact)}" style="color:#444444">{escape(contact)}</a>' if contact else ""
    framed = (
        f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8"></head>'
        '<body style="margin:0;padding:0;font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;background:#ffffff">'
        '<div style="max-width:600px;margin:0 auto">'
        f'<div style="{top}padding:12px 16px">{logo}{heading}</div>'
        f'<div style="padding:16px;font-size:16px;line-height:1.5">{html}</div>'
        f'<p style="margin:0;padding:12px 16px;border-top:1px solid #dddddd;font-size:13px;color:#444444">{name}{contact_html}</p>'
        "</div></body></html>"
    )
    footer = shown.name + (f"\n{contact}" if contact else "")
    return f"{text.rstrip()}\n\n-- \n{footer}\n", framed


def record_sent(session: Session, mail_id: int, now: datetime | None = None) -> None:
    mail = session.get(OutboxMail, mail_id)
    if mail is None:
        return
    mail.status, mail.sent_at, mail.last_error = "sent", now or utcnow(), ""
    session.add(mail)


def record_failure(session: Session, mail_id: int, failure: DeliveryFailed, now: datetime | None = None) -> None:
    """Try again later, or give up (for good or after MAX_ATTEMPTS) keeping the reason for staff."""
    now = now or utcnow()
    mail = session.get(OutboxMail, mail_id)
    if mail is None:
        return
    mail.last_error = failure.reason[:500]
    if failure.permanent or mail.attempts >= MAX_ATTEMPTS:
        mail.status = "failed"
    else:
        mail.status = "queued"
        mail.next_attempt_at = now + RETRY_DELAYS[min(mail.attempts, len(RETRY_DELAYS)) - 1]
    session.add(mail)


def send_again(session: Session, actor: User | None, mail_id: int) -> OutboxMail:
    """Staff put a failed mail back in the queue (after fixing the SMTP settings, say)."""
    policy.require(policy.is_staff(actor), "Only career-center staff and admins can send mail again.")
    mail = session.get(OutboxMail, mail_id)
    if mail is None:
        raise NotFound("That mail")
    if mail.status != "failed":
        raise DomainError("Only a mail that failed can be sent again.")
    mail.status, mail.attempts, mail.next_attempt_at = "queued", 0, utcnow()
    session.add(mail)
    audit.record(session, actor, "mail.sent_again", "outboxmail", mail.id)
    session.flush()
    return mail

"""Mail: the outbox table is a durable queue, and SMTP is how a queued mail leaves.

`send()` only writes a row (status "queued") in the caller's transaction, so a refused action
never sends mail and a slow or broken SMTP server never slows or fails the action. A worker
(microgigs/mail_worker.py, the rules in services/mail_queue.py) delivers queued rows with
retries and backoff; `transmit()` here is the one SMTP conversation: over TLS (STARTTLS or
implicit) unless both are turned off, certificate and host name checked (against
MICROGIGS_SMTP_CA_FILE when set), credentials never in clear.

A mail that carries a one-time link is stored with the token masked (TOKEN_MASK in its text)
and names its OneTimeToken row; the token itself exists in clear only in the message that
goes out (services/mail_queue.py makes it just before sending).

Without MICROGIGS_SMTP_HOST the mail "goes out" to the log: in demo mode the whole message is
written there (the demo's only mailbox); on a real install nothing can go out, so delivery
fails with that reason and the mail waits for staff to see it.
"""

import logging
import re
import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from html import escape

from sqlalchemy import event
from sqlmodel import Session

from microgigs.models import OneTimeToken, OutboxMail
from microgigs.settings import get_settings

log = logging.getLogger("microgigs.mail")
_QUEUED = "microgigs_mail_queued"
# What a stored or shown mail has where its one-time token goes.
TOKEN_MASK = "••••••••"
# Newlines and other control characters (C0, DEL, C1, line/paragraph separators) in a header
# would let text written by someone else add headers: they never reach one.
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
MAX_SUBJECT = 200

# Set by the running worker: called (from any thread) after a commit that queued mail.
_wake_worker: Callable[[], None] | None = None


def header_text(value: str, limit: int = MAX_SUBJECT) -> str:
    """One line of header text: control characters become a space, the length is capped."""
    return _HEADER_UNSAFE.sub(" ", value or "").strip()[:limit]


def send(
    session: Session,
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    token: OneTimeToken | None = None,
    recipient_id: int | None = None,
    list_kind: str | None = None,
    language: str = "en",
) -> OutboxMail:
    """Queue one mail (plain text + HTML) in the caller's transaction.

    `token`: the one-time token whose link the bodies carry as TOKEN_MASK.
    `recipient_id` and `list_kind`: bulk mail (services/mail_preferences.py), which leaves with a
    one-click unsubscribe from that kind of mail for that person.
    `language`: the one the bodies are written in; the HTML says so (`lang`), so a screen
    reader reads it with that language's voice."""
    if token is not None and TOKEN_MASK not in text:
        raise ValueError("a mail with a one-time token must carry TOKEN_MASK where the token goes")
    mail = OutboxMail(
        to_address=header_text(to, 254),
        subject=header_text(subject),
        text_body=text,
        html_body=f'<div lang="{escape(language)}">{html}</div>',
        token_id=token.id if token is not None else None,
        recipient_id=recipient_id if list_kind else None,
        list_kind=list_kind if recipient_id is not None else None,
    )
    session.add(mail)
    log.info("mail queued to %s: %s", mail.to_address, mail.subject)
    if not session.info.get(_QUEUED):
        session.info[_QUEUED] = True
        event.listen(session, "after_commit", _after_commit, once=True)
        event.listen(session, "after_rollback", _forget, once=True)
    return mail


def _forget(session) -> None:
    session.info.pop(_QUEUED, None)


def _after_commit(session) -> None:
    session.info.pop(_QUEUED, None)
    if _wake_worker is not None:
        _wake_worker()


def set_worker_wakeup(wake: Callable[[], None] | None) -> None:
    """The worker's doorbell (None when it stops)."""
    global _wake_worker
    _wake_worker = wake


# --- leaving the building ---------------------------------------------------------------


@dataclass(frozen=True)
class OutgoingMail:
    """A mail as it leaves: the token (if any) in clear. Never stored, never logged."""

    mail_id: int
    to_address: str
    subject: str
    text_body: str
    html_body: str
    # The From header's display name (the center's, services/mail_queue.py); "": MICROGIGS_MAIL_FROM as it is.
    from_name: str = ""
    # Bulk mail: its one-click unsubscribe link (RFC 8058), made as it leaves; "": none.
    unsubscribe_url: str = ""


class DeliveryFailed(Exception):
    """Why a mail did not leave; `permanent` when trying again cannot help (a refused address)."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def build_message(mail: OutgoingMail) -> EmailMessage:
    settings = get_settings()
    message = EmailMessage()
    message["From"] = _sender(settings.mail_from, mail.from_name)
    message["To"] = header_text(mail.to_address, 254)
    message["Subject"] = header_text(mail.subject)
    message["Message-ID"] = make_msgid(domain="microgigs")
    if mail.unsubscribe_url:
        # RFC 2369 and RFC 8058: mail programs offer "unsubscribe" and POST to the link themselves.
        message["List-Unsubscribe"] = f"<{header_text(mail.unsubscribe_url, 500)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    return message


def _sender(mail_from: str, name: str) -> str | Address:
    """MICROGIGS_MAIL_FROM's address under `name` (quoted, or encoded when not ASCII, by the
    header itself); MICROGIGS_MAIL_FROM as it is without a name, or when its address is not one."""
    address = parseaddr(mail_from)[1]
    name = header_text(name, 200)
    if name and address:
        try:
            return Address(display_name=name, addr_spec=address)
        except (ValueError, TypeError, HeaderParseError):
            pass
    return header_text(mail_from, 300)


def transmit(mail: OutgoingMail) -> None:
    """Send one mail now, or raise DeliveryFailed saying why (never a password or the body).

    Encrypted unless MICROGIGS_SMTP_STARTTLS and MICROGIGS_SMTP_TLS are both off; a server that
    does not offer STARTTLS is refused (no fall back to clear text), and credentials are never
    sent in clear. A failure of any of these is a setting to fix, so the mail waits and is
    tried again (services/mail_queue.py)."""
    settings = get_settings()
    if not settings.smtp_host:
        if settings.demo_mode:
            log.info("demo mail to %s: %s\n%s", mail.to_address, mail.subject, mail.text_body)
            return
        raise DeliveryFailed("No SMTP server is set (MICROGIGS_SMTP_HOST), so mail cannot leave.")
    with _smtp_conversation() as smtp:
        smtp.send_message(build_message(mail))


def check_sender() -> str:
    """What `microgigs doctor` asks the SMTP server: connect, encrypt and sign in as a mail would,
    then offer our sender (MAIL FROM) and take it back (RSET): nothing is sent. Returns the
    sender's address; raises DeliveryFailed saying what to fix."""
    settings = get_settings()
    if not settings.smtp_host:
        raise DeliveryFailed("No SMTP server is set (MICROGIGS_SMTP_HOST), so mail cannot leave.")
    sender = parseaddr(settings.mail_from)[1]
    if not sender:
        raise DeliveryFailed(f"MICROGIGS_MAIL_FROM ({settings.mail_from!r}) has no address: use a form like MicroGigs <gigs@example.edu>.")
    with _smtp_conversation() as smtp:
        code, answer = smtp.mail(sender)
        if code != 250:
            reply = header_text(answer.decode("utf-8", "replace"), 200)
            raise DeliveryFailed(
                f"The SMTP server ({settings.smtp_host}:{settings.smtp_port}) refuses {sender} as the sender ({code} {reply}): "
                "set MICROGIGS_MAIL_FROM to an address this server (and MICROGIGS_SMTP_USER) may send from."
            )
        smtp.rset()
    return sender


@contextmanager
def _smtp_conversation() -> Iterator[smtplib.SMTP]:
    """A connection to the SMTP server, encrypted and signed in as the settings say; any failure
    inside it (the caller's too) comes out as DeliveryFailed with what to fix."""
    settings = get_settings()
    encryption = _encryption()
    if encryption == "none" and (settings.smtp_user or settings.smtp_password):
        raise DeliveryFailed(
            "MICROGIGS_SMTP_USER/MICROGIGS_SMTP_PASSWORD are set but MICROGIGS_SMTP_STARTTLS and "
            "MICROGIGS_SMTP_TLS are both off, and a password is never sent in clear. Turn on STARTTLS "
            "(MICROGIGS_SMTP_STARTTLS=true) or implicit TLS (MICROGIGS_SMTP_TLS=true)."
        )
    context = _tls_context() if encryption != "none" else None
    try:
        if encryption == "tls":
            smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds, context=context)
        else:
            smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds)
        with smtp:
            if encryption == "starttls":
                _start_tls(smtp, context)
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            yield smtp
    except smtplib.SMTPRecipientsRefused as error:
        raise DeliveryFailed(_describe(error, "the server refused the address"), permanent=True) from None
    except smtplib.SMTPResponseException as error:
        # 5xx: the server will answer the same next time (except a refused login: settings change).
        permanent = error.smtp_code >= 500 and not isinstance(error, smtplib.SMTPAuthenticationError)
        raise DeliveryFailed(_describe(error, f"the server answered {error.smtp_code}"), permanent=permanent) from None
    except ssl.SSLCertVerificationError as error:
        raise DeliveryFailed(_certificate_refused(error)) from None
    except ssl.SSLError as error:
        raise DeliveryFailed(
            _describe(
                error,
                "TLS with the SMTP server failed; check that MICROGIGS_SMTP_TLS (implicit TLS, usually port 465) "
                "or MICROGIGS_SMTP_STARTTLS (usually port 587) is what the server speaks on this port",
            )
        ) from None
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(_describe(error, "could not reach the SMTP server")) from None


def _encryption() -> str:
    """How the connection is encrypted: "tls" (from the first byte), "starttls" or "none"."""
    settings = get_settings()
    if settings.smtp_tls:
        return "tls"
    return "starttls" if settings.smtp_starttls else "none"


def _tls_context() -> ssl.SSLContext:
    """Certificates checked, host name included: against MICROGIGS_SMTP_CA_FILE when it is set,
    else the system's CAs."""
    ca_file = get_settings().smtp_ca_file
    try:
        return ssl.create_default_context(cafile=ca_file or None)
    except (OSError, ValueError) as error:
        detail = header_text(str(error), 200)
        raise DeliveryFailed(
            f"MICROGIGS_SMTP_CA_FILE ({ca_file}) could not be read as PEM certificates ({detail}), so no mail was sent."
        ) from None


def _start_tls(smtp: smtplib.SMTP, context: ssl.SSLContext) -> None:
    smtp.ehlo()
    if not smtp.has_extn("starttls"):
        settings = get_settings()
        raise DeliveryFailed(
            f"The SMTP server {settings.smtp_host}:{settings.smtp_port} does not offer STARTTLS, and mail "
            "(and the SMTP password) is never sent in clear instead. Use the server's port that offers STARTTLS, "
            "or its implicit-TLS port with MICROGIGS_SMTP_TLS=true."
        )
    smtp.starttls(context=context)


# OpenSSL's verify codes: a certificate that names another host or address; one out of date.
_NAME_MISMATCH = {62, 64}
_OUT_OF_DATE = {9, 10}


def _certificate_refused(error: ssl.SSLCertVerificationError) -> str:
    """What failed in words, and the setting that fixes it."""
    settings = get_settings()
    server = f"{settings.smtp_host}:{settings.smtp_port}"
    reason = header_text(error.verify_message or str(error), 200)
    if error.verify_code in _NAME_MISMATCH:
        return (
            f"The SMTP server's certificate is not for {settings.smtp_host} ({server}: {reason}). "
            "Set MICROGIGS_SMTP_HOST to a name its certificate is for."
        )
    if error.verify_code in _OUT_OF_DATE:
        return f"The SMTP server's certificate is out of date ({server}: {reason}): the server's administrator must renew it."
    if settings.smtp_ca_file:
        fix = f"MICROGIGS_SMTP_CA_FILE ({settings.smtp_ca_file}) does not hold it or the CA that signed it: point it at the right PEM file."
    else:
        fix = "If the server has its own or a self-signed certificate, set MICROGIGS_SMTP_CA_FILE to a PEM file of it (or of its CA)."
    return f"The SMTP server's certificate is not trusted ({server}: {reason}). {fix}"[:500]


def _describe(error: Exception, what: str) -> str:
    settings = get_settings()
    detail = header_text(str(error), 300)
    return f"{what} ({settings.smtp_host}:{settings.smtp_port}, {type(error).__name__}: {detail})"[:500]

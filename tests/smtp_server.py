"""A real SMTP server on loopback (aiosmtpd) for the tests, and the fixture that points the app's
mail settings at it. It can be told to answer slowly or to refuse, like a real server does.

Mail leaves through the queue: `inbox.deliver()` runs the mail worker's round once
(microgigs/mail_worker.deliver_due_mail, on the app's database) and returns what arrived.
"""

import asyncio
import email
import logging
import os
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from microgigs import settings

# aiosmtpd warns on every login about its own deprecated attribute: noise, not news.
logging.getLogger("mail.log").setLevel(logging.ERROR)

SMTP_USER = "mailer"
SMTP_SECRET = "smtp-secret-never-logged"


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.envelopes = []
        self.answer = "250 OK"  # e.g. "451 4.3.0 try later" or "550 5.1.1 no such user"
        self.delay_seconds = 0.0
        self.port = 0

    async def handle_DATA(self, server, session, envelope):
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        if not self.answer.startswith("250"):
            return self.answer
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 OK"

    def deliver(self) -> list[email.message.Message]:
        """One round of the mail worker; every message that has arrived so far."""
        from microgigs.mail_worker import deliver_due_mail

        deliver_due_mail()
        return self.messages

    def to(self, address: str) -> list[email.message.Message]:
        return [m for m in self.messages if m["To"] == address]


def mail_parts(message) -> dict[str, str]:
    return {part.get_content_type(): part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart()}


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_SECRET.encode()
    return AuthResult(success=ok)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_smtp_server() -> tuple[Inbox, Controller]:
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=_authenticator, auth_require_tls=False, auth_exclude_mechanism=["CRAM-MD5"]
    )
    controller.start()
    inbox.port = port
    return inbox, controller


def smtp_settings(port: int) -> dict[str, str]:
    """The MICROGIGS_* settings that send the app's mail to this server."""
    return {
        "MICROGIGS_SMTP_HOST": "127.0.0.1",
        "MICROGIGS_SMTP_PORT": str(port),
        "MICROGIGS_SMTP_STARTTLS": "false",
        "MICROGIGS_SMTP_USER": SMTP_USER,
        "MICROGIGS_SMTP_PASSWORD": SMTP_SECRET,
        "MICROGIGS_SMTP_TIMEOUT_SECONDS": "5",
        "MICROGIGS_MAIL_FROM": "MicroGigs <gigs@uni.test>",
    }


@pytest.fixture
def smtp_server(monkeypatch):
    """Mail settings pointed at a fresh loopback SMTP server; the public URL (in the mail's links)
    is https://gigs.uni.test unless the test already set one."""
    inbox, controller = start_smtp_server()
    for name, value in smtp_settings(controller.port).items():
        monkeypatch.setenv(name, value)
    if not os.environ.get("MICROGIGS_PUBLIC_URL"):
        monkeypatch.setenv("MICROGIGS_PUBLIC_URL", "https://gigs.uni.test")
    settings.get_settings.cache_clear()
    yield inbox
    controller.stop()
    settings.get_settings.cache_clear()

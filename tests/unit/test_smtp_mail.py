"""Mail over real SMTP: an aiosmtpd server on loopback receives what we send."""

import email
import logging
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlmodel import select

from microgigs import settings
from microgigs.integrations import mail
from microgigs.models import OutboxMail
from microgigs.services import notifications

SECRET = "smtp-secret-never-logged"


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 OK"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"mailer" and auth_data.password == SECRET.encode()
    return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(monkeypatch):
    inbox, port = Inbox(), _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=_authenticator, auth_require_tls=False, auth_exclude_mechanism=["CRAM-MD5"]
    )
    controller.start()
    for name, value in {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_STARTTLS": "false",
        "SMTP_USER": "mailer",
        "SMTP_PASSWORD": SECRET,
        "MAIL_FROM": "MicroGigs <gigs@uni.test>",
        "PUBLIC_URL": "https://gigs.uni.test",
    }.items():
        monkeypatch.setenv(f"MICROGIGS_{name}", value)
    settings.get_settings.cache_clear()
    yield inbox
    controller.stop()
    settings.get_settings.cache_clear()


def test_mail_is_sent_over_smtp_after_commit_as_plain_text_and_html(session, make, smtp_server, caplog):
    student = make.student()
    caplog.set_level(logging.DEBUG)
    notifications.notify(session, student.id, "test", "Your work was approved <b>", "/engagements/7", email=True)
    assert smtp_server.messages == []  # nothing leaves before the transaction commits
    session.commit()

    [message] = smtp_server.messages
    assert message["To"] == student.email and message["From"] == "MicroGigs <gigs@uni.test>"
    assert message["Subject"] == "Your work was approved <b>"
    assert message.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart()}
    assert "https://gigs.uni.test/engagements/7" in parts["text/plain"]
    assert 'href="https://gigs.uni.test/engagements/7"' in parts["text/html"] and "&lt;b&gt;" in parts["text/html"]
    assert smtp_server.envelopes[0].rcpt_tos == [student.email]
    row = session.exec(select(OutboxMail)).one()
    session.refresh(row)
    assert row.sent_at is not None  # the outbox keeps a copy, marked sent
    assert SECRET not in caplog.text


def test_a_rolled_back_action_sends_no_mail(session, make, smtp_server):
    student = make.student()
    session.commit()
    notifications.notify(session, student.id, "test", "Never sent", email=True)
    session.rollback()
    session.commit()
    assert smtp_server.messages == []


def test_wrong_smtp_password_is_logged_without_the_secret_and_keeps_the_outbox_row(session, make, smtp_server, monkeypatch, caplog):
    monkeypatch.setenv("MICROGIGS_SMTP_PASSWORD", "wrong-" + SECRET)
    settings.get_settings.cache_clear()
    student = make.student()
    notifications.notify(session, student.id, "test", "Hello", email=True)
    session.commit()
    assert smtp_server.messages == []
    row = session.exec(select(OutboxMail)).one()
    session.refresh(row)
    assert row.sent_at is None
    assert "not sent" in caplog.text and SECRET not in caplog.text


def test_without_smtp_host_mail_only_goes_to_the_outbox_and_the_log(session, make, caplog, monkeypatch):
    monkeypatch.delenv("MICROGIGS_SMTP_HOST", raising=False)
    settings.get_settings.cache_clear()
    caplog.set_level(logging.INFO, logger="microgigs.mail")
    student = make.student()
    notifications.notify(session, student.id, "test", "Outbox only", email=True)
    session.commit()
    assert session.exec(select(OutboxMail)).one().subject == "Outbox only"
    assert "Outbox only" in caplog.text


def test_implicit_tls_setting_uses_smtp_ssl(monkeypatch):
    calls = []

    class FakeSSL:
        def __init__(self, host, port, timeout, context):
            calls.append((host, port))
            raise ConnectionRefusedError("no server")

    monkeypatch.setattr(mail.smtplib, "SMTP_SSL", FakeSSL)
    monkeypatch.setenv("MICROGIGS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MICROGIGS_SMTP_PORT", "465")
    monkeypatch.setenv("MICROGIGS_SMTP_TLS", "true")
    settings.get_settings.cache_clear()
    try:
        assert mail.deliver(OutboxMail(to_address="a@b.test", subject="s", text_body="t", html_body="h")) is False
        assert calls == [("127.0.0.1", 465)]
    finally:
        settings.get_settings.cache_clear()

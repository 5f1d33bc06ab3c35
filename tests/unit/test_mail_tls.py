"""Mail over TLS, against a real aiosmtpd on loopback with a self-signed certificate: STARTTLS
(the default) and implicit TLS deliver when the certificate is trusted through
MICROGIGS_SMTP_CA_FILE; a password never travels in clear; a server without STARTTLS is refused
rather than spoken to in clear; and a certificate that fails says what failed and which setting
fixes it, where staff and the log see it, while the mail waits for its retry: never lost, never
marked sent."""

import logging

import pytest
from sqlmodel import select

from microgigs import mail_worker
from microgigs.models import OutboxMail, utcnow
from microgigs.services import mail_queue, notifications, outbox
from tests.smtp_server import SMTP_SECRET, SMTP_USER, certificate, serve_smtp, use_settings  # noqa: F401  (fixture)


@pytest.fixture
def queued(app_db, make):
    """One committed mail to a new student, waiting in the queue."""

    def _queue(subject: str = "Your work was approved") -> OutboxMail:
        student = make.student()
        notifications.notify(app_db, student.id, "test", subject, "/engagements/7", email=True)
        app_db.commit()
        return app_db.exec(select(OutboxMail).order_by(OutboxMail.id.desc())).first()

    return _queue


def _row(session, mail_id: int) -> OutboxMail:
    return session.get(OutboxMail, mail_id, populate_existing=True)


def _arrived_as_sent(inbox, mail_row: OutboxMail) -> None:
    """The server received this mail, over TLS, from the configured sender to its recipient."""
    [message] = inbox.messages
    assert message["Subject"] == mail_row.subject and message["To"] == mail_row.to_address
    assert message["From"] == "MicroGigs <gigs@uni.test>"
    assert inbox.envelopes[0].mail_from == "gigs@uni.test" and inbox.envelopes[0].rcpt_tos == [mail_row.to_address]
    assert inbox.encrypted == [True]


def test_starttls_delivers_with_the_self_signed_certificate_trusted_and_logs_in_only_over_tls(app_db, queued, serve_smtp, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    inbox = serve_smtp("starttls")  # the server refuses mail and logins before STARTTLS
    mail_row = queued("Approved over STARTTLS")
    assert mail_worker.deliver_due_mail() == 1
    _arrived_as_sent(inbox, mail_row)
    assert inbox.logins == [(SMTP_USER, True)]
    assert _row(app_db, mail_row.id).status == "sent"
    assert SMTP_SECRET not in caplog.text


def test_implicit_tls_delivers_with_the_certificate_trusted_and_logs_in(app_db, queued, serve_smtp):  # noqa: F811
    inbox = serve_smtp("tls")
    mail_row = queued("Approved over implicit TLS")
    assert mail_worker.deliver_due_mail() == 1
    _arrived_as_sent(inbox, mail_row)
    assert inbox.logins == [(SMTP_USER, True)]
    assert _row(app_db, mail_row.id).status == "sent"


def test_clear_text_mail_without_credentials_is_sent_but_with_a_password_it_is_refused_and_waits(app_db, queued, serve_smtp):  # noqa: F811
    inbox = serve_smtp("none")  # a server that would take a login in clear
    plain = queued("Plain, no login")
    assert mail_worker.deliver_due_mail() == 1
    assert [m["Subject"] for m in inbox.messages] == ["Plain, no login"] and inbox.encrypted == [False]
    assert _row(app_db, plain.id).status == "sent"

    inbox = serve_smtp("none", MICROGIGS_SMTP_USER=SMTP_USER, MICROGIGS_SMTP_PASSWORD=SMTP_SECRET)
    mail_row = queued("Never with a password in clear")
    assert mail_worker.deliver_due_mail() == 0
    row = _row(app_db, mail_row.id)
    assert row.status == "queued" and row.attempts == 1 and row.sent_at is None
    assert "never sent in clear" in row.last_error and "MICROGIGS_SMTP_STARTTLS=true" in row.last_error
    assert inbox.messages == [] and inbox.logins == []
    assert SMTP_SECRET not in row.last_error


def test_a_server_without_starttls_is_refused_never_spoken_to_in_clear(app_db, queued, serve_smtp):  # noqa: F811
    inbox = serve_smtp("none", MICROGIGS_SMTP_STARTTLS="true", MICROGIGS_SMTP_USER=SMTP_USER, MICROGIGS_SMTP_PASSWORD=SMTP_SECRET)
    mail_row = queued()
    assert mail_worker.deliver_due_mail() == 0
    row = _row(app_db, mail_row.id)
    assert row.status == "queued" and row.attempts == 1 and row.next_attempt_at > utcnow()
    assert "does not offer STARTTLS" in row.last_error and f"127.0.0.1:{inbox.port}" in row.last_error
    assert inbox.messages == [] and inbox.logins == []  # neither the mail nor the password went in clear


@pytest.mark.parametrize("encryption", ["starttls", "tls"])
def test_an_untrusted_certificate_says_which_setting_fixes_it_and_the_retry_delivers_once_it_is_set(
    app_db,
    make,
    queued,
    serve_smtp,  # noqa: F811
    monkeypatch,
    caplog,
    encryption,
):
    # The install did not say to trust the server's own certificate: the system's CAs do not.
    inbox = serve_smtp(encryption, MICROGIGS_SMTP_CA_FILE="")
    staff = make.staff()
    mail_row = queued(f"Approved ({encryption})")  # commits the staff member too
    now = utcnow()
    assert mail_worker.deliver_due_mail(now) == 0
    row = _row(app_db, mail_row.id)
    assert row.status == "queued" and row.sent_at is None and row.attempts == 1
    assert row.next_attempt_at == now + mail_queue.RETRY_DELAYS[0]
    assert "certificate is not trusted" in row.last_error and "self-signed certificate" in row.last_error
    assert "set MICROGIGS_SMTP_CA_FILE" in row.last_error
    assert inbox.messages == [] and inbox.logins == []  # nothing, not even the login, before a trusted TLS

    # Where it shows: the log, and the outbox staff read.
    assert any("MICROGIGS_SMTP_CA_FILE" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    [shown] = [r for r in outbox.recent_mail(app_db, staff) if r.id == mail_row.id]
    assert shown.status == "queued" and "MICROGIGS_SMTP_CA_FILE" in shown.status_text and "next try" in shown.status_text

    assert mail_worker.deliver_due_mail(now) == 0 and inbox.messages == []  # not due before its retry

    # Staff set the setting; the queue's own retry delivers the mail.
    use_settings(monkeypatch, {"MICROGIGS_SMTP_CA_FILE": certificate().cert_file})
    assert mail_worker.deliver_due_mail(row.next_attempt_at) == 1
    _arrived_as_sent(inbox, mail_row)
    row = _row(app_db, mail_row.id)
    assert row.status == "sent" and row.attempts == 2 and row.last_error == ""


def test_a_certificate_for_another_host_says_so_and_the_mail_waits(app_db, queued, serve_smtp):  # noqa: F811
    elsewhere = certificate("mail.elsewhere.test")
    inbox = serve_smtp("starttls", cert=elsewhere, MICROGIGS_SMTP_CA_FILE=elsewhere.cert_file)
    mail_row = queued()
    assert mail_worker.deliver_due_mail() == 0
    row = _row(app_db, mail_row.id)
    assert row.status == "queued" and row.sent_at is None
    assert "The SMTP server's certificate is not for 127.0.0.1" in row.last_error and "MICROGIGS_SMTP_HOST" in row.last_error
    assert inbox.messages == [] and inbox.logins == []


def test_an_expired_certificate_says_so_and_the_mail_waits(app_db, queued, serve_smtp):  # noqa: F811
    expired = certificate("127.0.0.1", expired=True)
    inbox = serve_smtp("starttls", cert=expired, MICROGIGS_SMTP_CA_FILE=expired.cert_file)
    mail_row = queued()
    assert mail_worker.deliver_due_mail() == 0
    row = _row(app_db, mail_row.id)
    assert row.status == "queued" and "certificate is out of date" in row.last_error and "renew" in row.last_error
    assert inbox.messages == [] and inbox.logins == []


def test_tls_spoken_to_a_port_that_does_not_speak_it_names_the_settings_to_check(app_db, queued, serve_smtp):  # noqa: F811
    inbox = serve_smtp("starttls", MICROGIGS_SMTP_TLS="true")  # implicit TLS to a STARTTLS port
    mail_row = queued()
    assert mail_worker.deliver_due_mail() == 0
    row = _row(app_db, mail_row.id)
    assert row.status == "queued" and "TLS with the SMTP server failed" in row.last_error and "MICROGIGS_SMTP_TLS" in row.last_error
    assert inbox.messages == [] and inbox.logins == []


def test_a_trusted_file_that_is_not_the_servers_certificate_names_that_file(app_db, queued, serve_smtp):  # noqa: F811
    other = certificate("mail.elsewhere.test")
    serve_smtp("starttls", MICROGIGS_SMTP_CA_FILE=other.cert_file)
    mail_row = queued()
    assert mail_worker.deliver_due_mail() == 0
    row = _row(app_db, mail_row.id)
    assert row.status == "queued" and f"MICROGIGS_SMTP_CA_FILE ({other.cert_file}) does not hold it" in row.last_error


def test_an_unreadable_trust_file_is_a_setting_to_fix_and_the_mail_waits(app_db, queued, serve_smtp, tmp_path):  # noqa: F811
    missing = tmp_path / "no-such-ca.pem"
    inbox = serve_smtp("starttls", MICROGIGS_SMTP_CA_FILE=str(missing))
    mail_row = queued()
    assert mail_worker.deliver_due_mail() == 0
    row = _row(app_db, mail_row.id)
    assert row.status == "queued" and f"MICROGIGS_SMTP_CA_FILE ({missing}) could not be read" in row.last_error
    assert inbox.messages == []

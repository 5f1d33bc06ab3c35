"""Mail leaves through a durable queue: over real SMTP (aiosmtpd on loopback), after the action
that wrote it commits, never slowing or failing that action; retried with growing delays; failed
for good with its reason when it keeps failing; never twice at once; no header injection."""

import asyncio
import logging
import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from microgigs import mail_worker, settings
from microgigs.integrations import mail
from microgigs.models import AuditEvent, OutboxMail, utcnow
from microgigs.services import mail_queue, notifications, outbox
from microgigs.services.errors import DomainError, NotAllowed
from tests.smtp_server import SMTP_SECRET, mail_parts, smtp_server  # noqa: F401  (fixture)


@pytest.fixture
def queued(app_db, make):
    """One committed mail to a student, waiting in the queue."""

    def _queue(title: str = "Your work was approved <b>", link: str = "/engagements/7") -> OutboxMail:
        student = make.student()
        notifications.notify(app_db, student.id, "test", title, link, email=True)
        app_db.commit()
        return app_db.exec(select(OutboxMail).order_by(OutboxMail.id.desc())).first()

    return _queue


def _row(session, mail_id: int) -> OutboxMail:
    return session.get(OutboxMail, mail_id, populate_existing=True)


def test_mail_leaves_over_smtp_from_the_queue_after_commit_as_plain_text_and_html(app_db, make, smtp_server, caplog):  # noqa: F811
    student = make.student()
    caplog.set_level(logging.DEBUG)
    notifications.notify(app_db, student.id, "test", "Your work was approved <b>", "/engagements/7", email=True)
    assert smtp_server.deliver() == []  # not committed yet: the worker sees nothing
    app_db.commit()
    assert smtp_server.messages == []  # committing talks to no SMTP server; the worker does

    [message] = smtp_server.deliver()
    assert message["To"] == student.email and message["From"] == "MicroGigs <gigs@uni.test>"
    assert message["Subject"] == "Your work was approved <b>"
    assert message.get_content_type() == "multipart/alternative"
    parts = mail_parts(message)
    assert "https://gigs.uni.test/engagements/7" in parts["text/plain"]
    assert 'href="https://gigs.uni.test/engagements/7"' in parts["text/html"] and "&lt;b&gt;" in parts["text/html"]
    assert smtp_server.envelopes[0].rcpt_tos == [student.email]
    assert smtp_server.encrypted == [True]  # the default: STARTTLS, the server's certificate trusted by setting
    row = app_db.exec(select(OutboxMail)).one()
    app_db.refresh(row)
    assert row.status == "sent" and row.sent_at is not None and row.attempts == 1
    assert smtp_server.deliver() == [message]  # sent once, not again
    assert SMTP_SECRET not in caplog.text


def test_a_rolled_back_action_queues_no_mail(app_db, make, smtp_server):  # noqa: F811
    student = make.student()
    app_db.commit()
    notifications.notify(app_db, student.id, "test", "Never sent", email=True)
    app_db.rollback()
    assert app_db.exec(select(OutboxMail)).all() == []
    assert smtp_server.deliver() == []


def test_a_server_that_is_down_fails_nothing_and_the_mail_is_tried_again_later(app_db, make, queued, monkeypatch):
    from tests.smtp_server import free_port

    monkeypatch.setenv("MICROGIGS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MICROGIGS_SMTP_PORT", str(free_port()))  # nothing listens there
    monkeypatch.setenv("MICROGIGS_SMTP_STARTTLS", "false")
    settings.get_settings.cache_clear()
    mail_row = queued()  # the action committed although no mail can leave
    assert mail_worker.deliver_due_mail() == 0
    row = _row(app_db, mail_row.id)
    assert row.status == "queued" and row.attempts == 1 and "could not reach the SMTP server" in row.last_error
    assert row.next_attempt_at > utcnow() + mail_queue.RETRY_DELAYS[0] - timedelta(seconds=5)
    assert mail_worker.deliver_due_mail() == 0 and _row(app_db, mail_row.id).attempts == 1  # not due yet


def test_a_refusing_server_is_tried_with_growing_delays_then_the_mail_fails_with_its_reason(app_db, make, queued, smtp_server):  # noqa: F811
    smtp_server.answer = "451 4.3.0 Mailbox busy, try later"
    mail_row = queued()
    now, waits = utcnow(), []
    for attempt in range(1, mail_queue.MAX_ATTEMPTS + 1):
        mail_worker.deliver_due_mail(now)
        row = _row(app_db, mail_row.id)
        assert row.attempts == attempt and "451" in row.last_error
        if attempt < mail_queue.MAX_ATTEMPTS:
            assert row.status == "queued"
            waits.append(row.next_attempt_at - now)
            now = row.next_attempt_at
    assert waits == list(mail_queue.RETRY_DELAYS) and waits == sorted(waits)
    assert row.status == "failed" and smtp_server.messages == []

    # Staff see why, and send it again once the server is fixed.
    staff = make.staff()
    [shown] = [r for r in outbox.recent_mail(app_db, staff) if r.id == mail_row.id]
    assert shown.status == "failed" and "451" in shown.status_text and shown.may_send_again
    with pytest.raises(NotAllowed):
        mail_queue.send_again(app_db, make.student(), mail_row.id)
    mail_queue.send_again(app_db, staff, mail_row.id)
    app_db.commit()
    with pytest.raises(DomainError, match="Only a mail that failed"):
        mail_queue.send_again(app_db, staff, mail_row.id)
    smtp_server.answer = "250 OK"
    assert len(smtp_server.deliver()) == 1 and _row(app_db, mail_row.id).status == "sent"
    assert app_db.exec(select(AuditEvent).where(AuditEvent.action == "mail.sent_again")).one().actor_id == staff.id


def test_an_address_the_server_refuses_fails_at_once(app_db, queued, smtp_server):  # noqa: F811
    smtp_server.answer = "550 5.1.1 No such user here"
    mail_row = queued()
    mail_worker.deliver_due_mail()
    row = _row(app_db, mail_row.id)
    assert row.status == "failed" and row.attempts == 1 and "550" in row.last_error


def test_a_wrong_smtp_password_is_retried_and_never_logged(app_db, queued, smtp_server, monkeypatch, caplog):  # noqa: F811
    monkeypatch.setenv("MICROGIGS_SMTP_PASSWORD", "wrong-" + SMTP_SECRET)
    settings.get_settings.cache_clear()
    mail_row = queued()
    mail_worker.deliver_due_mail()
    row = _row(app_db, mail_row.id)
    # A refused login is a setting to fix, not a bad address: it is tried again.
    assert row.status == "queued" and "535" in row.last_error
    assert "not sent" in caplog.text and SMTP_SECRET not in caplog.text and SMTP_SECRET not in row.last_error


def test_without_an_smtp_server_demo_mail_goes_to_the_log_and_real_mail_waits(app_db, queued, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="microgigs.mail")
    mail_row = queued("Outbox only", "/engagements/41")
    mail_worker.deliver_due_mail()
    row = _row(app_db, mail_row.id)
    # A real install cannot send: the mail waits, with the reason for staff; its text is not logged.
    assert row.status == "queued" and "No SMTP server is set" in row.last_error
    assert "/engagements/41" not in caplog.text
    monkeypatch.setenv("MICROGIGS_DEMO_MODE", "true")
    settings.get_settings.cache_clear()
    demo_row = queued("Demo mail", "/engagements/42")
    mail_worker.deliver_due_mail()
    # The demo's only mailbox is the log: the whole message is written there.
    assert _row(app_db, demo_row.id).status == "sent"
    assert "demo mail to" in caplog.text and "/engagements/42" in caplog.text


def test_newlines_and_control_characters_never_reach_a_header(app_db, make, smtp_server):  # noqa: F811
    student = make.student()
    # Services clean what people type; the mail layer holds the line whatever a caller passes.
    mail.send(
        app_db,
        to=student.email + "\r\nBcc: victim@elsewhere.test",
        subject="Approved\r\nBcc: victim@elsewhere.test\x00\x1b[31m",
        text="t",
        html="h",
    )
    app_db.commit()
    [message] = smtp_server.deliver()
    # Each stays one header line: no Bcc header, and the server is asked to deliver to the student only.
    assert message["Bcc"] is None and message["Subject"] == "Approved Bcc: victim@elsewhere.test [31m"
    assert message["To"] == f"{student.email} Bcc: victim@elsewhere.test"
    assert smtp_server.envelopes[0].rcpt_tos == [student.email]
    with pytest.raises(ValueError):
        mail.build_message(mail.OutgoingMail(1, "a@b.test", "ok", "t", "h")).__setitem__("X-Test", "a\nb")
    assert mail.header_text("one\u2028two\x85three") == "one two three"


def test_a_claim_is_a_lease_one_worker_at_a_time_and_another_takes_over_after_a_crash(app_db, queued, smtp_server):  # noqa: F811
    mail_row = queued()
    now = utcnow()
    assert mail_queue.claim_due(app_db, now) == [mail_row.id]
    app_db.commit()
    # A second worker finds nothing to claim while the first holds it...
    assert mail_worker.deliver_due_mail(now) == 0 and smtp_server.messages == []
    # ...and the first dies without recording anything: after the lease, the mail still leaves.
    assert mail_worker.deliver_due_mail(now + mail_queue.LEASE + timedelta(seconds=1)) == 1
    assert len(smtp_server.messages) == 1 and _row(app_db, mail_row.id).status == "sent"


def test_the_running_worker_sends_as_soon_as_an_action_commits(app_db, make, smtp_server):  # noqa: F811
    loop = asyncio.new_event_loop()
    task = loop.create_task(mail_worker.worker(poll_seconds=3600))

    def run() -> None:
        try:
            loop.run_until_complete(task)
        except asyncio.CancelledError:
            pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        student = make.student()
        notifications.notify(app_db, student.id, "test", "Rung the doorbell", email=True)
        app_db.commit()
        # With an hour between polls, only the commit's doorbell can make it arrive.
        smtp_server.wait_for(lambda messages: messages, timeout=20)
        assert [m["Subject"] for m in smtp_server.messages] == ["Rung the doorbell"]
    finally:
        loop.call_soon_threadsafe(task.cancel)
        thread.join(timeout=10)
    assert mail._wake_worker is None  # a stopped worker leaves no doorbell behind

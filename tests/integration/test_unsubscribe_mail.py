"""One-click unsubscribe, end to end: a notification mail received over real SMTP (aiosmtpd on
loopback) carries List-Unsubscribe and List-Unsubscribe-Post (RFC 8058); a POST to that link with
no cookie, no Origin and no CSRF token (what a mail program sends) turns that kind of mail off for
that person; a GET only shows the button; a password reset carries no unsubscribe at all."""

from sqlmodel import Session, select

from microgigs.models import OutboxMail
from microgigs.services import account_security, mail_preferences, notifications
from tests.integration.conftest import make_user
from tests.smtp_server import mail_parts, serve_smtp  # noqa: F401  (fixture)

STUDENT = "ada@uni.test"


def notify(engine, user_id: int, title: str) -> None:
    with Session(engine) as session:
        notifications.notify(session, user_id, "test", title, "/engagements/7", email=True)
        session.commit()


def test_the_list_unsubscribe_link_turns_off_notification_mail_with_one_post(configured, client, serve_smtp):  # noqa: F811
    inbox = serve_smtp(MICROGIGS_PUBLIC_URL="http://testserver")
    student_id = make_user(configured, STUDENT)
    notify(configured, student_id, "Your work was approved")
    [message] = inbox.deliver()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = message["List-Unsubscribe"].replace("\r\n", "").strip()  # a long header is folded; unfolded as mail programs do
    assert header.startswith("<http://testserver/unsubscribe/") and header.endswith(">")
    url = header[1:-1]
    assert url in mail_parts(message)["text/plain"].replace("\r\n", "\n")
    path = url.removeprefix("http://testserver")

    # A GET (a mail scanner, a person) changes nothing: it offers the button.
    page = client.get(path)
    assert page.status_code == 200 and "Stop email copies of your notifications?" in page.text
    assert f'<form method="post" action="{path}">' in page.text
    with Session(configured) as session:
        assert mail_preferences.wants(session, student_id, "notifications")

    # The mail program's POST: no cookie, no Origin, the RFC 8058 body.
    client.cookies.clear()
    done = client.post(path, content=b"List-Unsubscribe=One-Click", headers={"content-type": "application/x-www-form-urlencoded"})
    assert done.status_code == 200 and "you will no longer get email copies of your notifications" in done.text
    with Session(configured) as session:
        assert not mail_preferences.wants(session, student_id, "notifications")
    assert client.post(path).status_code == 200  # again: still off, no error

    notify(configured, student_id, "Paid: your gig")
    assert len(inbox.deliver()) == 1  # nothing more was sent
    with Session(configured) as session:
        assert session.exec(select(OutboxMail).where(OutboxMail.subject == "Paid: your gig")).first() is None


def test_a_link_that_is_not_one_is_a_readable_404(configured, client):
    for path in ("/unsubscribe/nope", "/unsubscribe/" + "x" * 300):
        assert client.get(path).status_code == 404
        answer = client.post(path)
        assert answer.status_code == 404 and "does not work" in answer.text


def test_mail_that_must_arrive_has_no_unsubscribe(configured, serve_smtp):  # noqa: F811
    inbox = serve_smtp(MICROGIGS_PUBLIC_URL="http://testserver")
    make_user(configured, STUDENT)
    with Session(configured) as session:
        account_security.request_password_reset(session, STUDENT)
        session.commit()
    [message] = inbox.deliver()
    assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None

"""Mail carries the center's name and logo: received over real SMTP (aiosmtpd on loopback), after
the mail worker delivered it from the queue. Without saved settings the environment's name
("MicroGigs") and no logo; once an admin saved a name, logo, colour and contact address, every mail
that leaves carries them, the outbox row keeping the bodies as they were queued."""

from email.header import decode_header, make_header
from email.utils import parseaddr

from sqlmodel import Session, select

from microgigs.models import OutboxMail, User
from microgigs.services import account_security, center, notifications
from tests.integration.conftest import make_user
from tests.smtp_server import mail_parts, serve_smtp, use_settings  # noqa: F401  (fixture)

STUDENT = "ada@uni.test"


def save_center(engine, **values) -> None:
    """What the settings page stores (its own service has its own tests)."""
    with Session(engine) as session:
        row = center.row_for_update(session)
        for name, value in values.items():
            setattr(row, name, value)
        session.commit()


def queue_notification(engine, title: str = "Your work was approved") -> OutboxMail:
    """A committed notification mail to the student (made on the first call)."""
    with Session(engine, expire_on_commit=False) as session:
        student = session.exec(select(User).where(User.email == STUDENT)).first()
        student_id = student.id if student else make_user(engine, STUDENT)
        notifications.notify(session, student_id, "test", title, "/engagements/7", email=True)
        session.commit()
        return session.exec(select(OutboxMail).order_by(OutboxMail.id.desc())).first()


def sender(message) -> tuple[str, str]:
    name, address = parseaddr(message["From"])
    return str(make_header(decode_header(name))), address


def bodies(message) -> tuple[str, str]:
    """(HTML, text) as received, with the wire's CRLF line ends made plain newlines."""
    parts = {kind: body.replace("\r\n", "\n") for kind, body in mail_parts(message).items()}
    return parts["text/html"], parts["text/plain"]


def stored(engine, mail_id: int) -> OutboxMail:
    with Session(engine) as session:
        return session.get(OutboxMail, mail_id)


def test_without_saved_settings_mail_carries_the_environments_name_and_no_logo(configured, serve_smtp):  # noqa: F811
    inbox = serve_smtp()
    queued = queue_notification(configured)
    [message] = inbox.deliver()
    assert sender(message) == ("MicroGigs", "gigs@uni.test")
    html, text = bodies(message)
    assert "<img" not in html and ">MicroGigs</h1>" in html and "Open MicroGigs</a>" in html
    assert "mailto:" not in html  # no contact address set
    assert text.endswith("\n-- \nMicroGigs\n") and "Open MicroGigs: http://testserver/engagements/7" in text
    row = stored(configured, queued.id)
    assert row.status == "sent" and row.html_body == queued.html_body and "<h1" not in row.html_body  # kept as queued


def test_saved_settings_put_the_centers_name_logo_colour_and_contact_on_every_mail(configured, serve_smtp):  # noqa: F811
    inbox = serve_smtp()
    make_user(configured, STUDENT)
    save_center(
        configured,
        name="State U Careers & Co",
        logo_file="0123abcd.png",
        logo_content_type="image/png",
        brand_color="#1d4ed8",
        contact_email="careers@uni.test",
    )
    with Session(configured) as session:
        account_security.request_password_reset(session, STUDENT)
        session.commit()
    [message] = inbox.deliver()
    assert sender(message) == ("State U Careers & Co", "gigs@uni.test")
    assert message["Subject"] == "Choose a new State U Careers & Co password"
    html, text = bodies(message)
    assert '<img src="http://testserver/api/center/logo/0123abcd.png" alt="State U Careers &amp; Co"' in html
    assert ">State U Careers &amp; Co</h1>" in html and "background:#1d4ed8;color:#ffffff" in html
    assert '<a href="mailto:careers@uni.test"' in html
    assert text.endswith("\n-- \nState U Careers & Co\ncareers@uni.test\n")
    # The one-time link still works in both parts (made as the mail left, inside the frame).
    assert "/reset-password?token=" in text and "••" not in text and "••" not in html
    token = text.split("/reset-password?token=", 1)[1].split()[0]
    assert token in html


def test_a_save_applies_to_the_next_mail_without_a_restart_and_clearing_it_restores_the_default(configured, serve_smtp):  # noqa: F811
    inbox = serve_smtp()
    queue_notification(configured, "First")
    save_center(configured, name="Uni Careers")
    queue_notification(configured, "Second")
    first, second = inbox.deliver()
    assert sender(first) == sender(second) == ("Uni Careers", "gigs@uni.test")  # the settings when it leaves
    save_center(configured, name=None)
    queue_notification(configured, "Third")
    assert sender(inbox.deliver()[-1]) == ("MicroGigs", "gigs@uni.test")


def test_a_sender_name_in_mail_from_stays_until_the_center_names_itself(configured, serve_smtp, monkeypatch):  # noqa: F811
    inbox = serve_smtp(MICROGIGS_MAIL_FROM="Career Office <careers@uni.test>")
    queue_notification(configured)
    assert sender(inbox.deliver()[-1]) == ("Career Office", "careers@uni.test")
    use_settings(monkeypatch, {"MICROGIGS_CENTER_NAME": "Uni Careers (env)"})
    queue_notification(configured)
    assert sender(inbox.deliver()[-1]) == ("Uni Careers (env)", "careers@uni.test")
    save_center(configured, name="Uni Careers (saved)")
    queue_notification(configured)
    assert sender(inbox.deliver()[-1]) == ("Uni Careers (saved)", "careers@uni.test")


def test_what_the_center_wrote_is_escaped_everywhere(configured, serve_smtp):  # noqa: F811
    inbox = serve_smtp()
    save_center(configured, name='Ünï <script>x</script>\r\nBcc: evil@x.test "', contact_email='a"b@uni.test', brand_color="red;}x")
    queue_notification(configured)
    [message] = inbox.deliver()
    assert message["Bcc"] is None and inbox.envelopes[0].rcpt_tos == [STUDENT]
    assert sender(message)[0] == 'Ünï <script>x</script> Bcc: evil@x.test "'
    html, _ = bodies(message)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "mailto:a&quot;b@uni.test" in html and "red;}" not in html

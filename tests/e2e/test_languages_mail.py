"""Mail and notifications in the recipient's language (issue 19 point 3), in the browser: a
student who reads MicroGigs in Spanish finds their notification in Spanish, its date written the
Spanish way, and gets its mail in Spanish too."""

import re
import secrets
from datetime import date
from email.header import decode_header, make_header

from playwright.sync_api import expect

from microgigs.demo import builders
from microgigs.i18n import msg
from microgigs.services import accounts, notifications, profiles
from tests.e2e.app_data import DEMO_PASSWORD, app_session
from tests.e2e.test_accounts import sign_in
from tests.smtp_server import mail_parts


def test_a_spanish_student_reads_a_notification_and_its_mail_in_spanish(new_context, app_server, assert_accessible):
    word = secrets.token_hex(3)
    email = f"lucia.{word}@uni.example.edu"
    with app_session(app_server.data_dir) as session:
        student = builders.signed_up(session, accounts.SignUp(email=email, password=DEMO_PASSWORD, display_name=f"Lucía {word}"))
        profiles.set_language(session, student, "es")
        title = msg("{title} is due on {date}", title=f"Encuesta {word}", date=date(2026, 12, 26))
        notifications.notify(session, student.id, "reminder.due_date", title, "/dashboard", email=True)
        session.commit()

    page = new_context().new_page()  # an English browser: the student's own language wins once signed in
    sign_in(page, email, DEMO_PASSWORD)
    page.goto("/notifications")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text(re.compile(rf"Encuesta {word} se entrega el 26\sdic\s2026"))).to_be_visible(timeout=30_000)
    assert_accessible(page)

    # Its mail copy, as the mailbox got it: Spanish subject and greeting.
    arrived = app_server.inbox.wait_for(lambda messages: [m for m in messages if m["To"] == email], 90)
    assert arrived, f"no mail to {email}"
    message = arrived[-1]
    assert re.fullmatch(rf"Encuesta {word} se entrega el 26\sdic\s2026", str(make_header(decode_header(message["Subject"]))))
    text = mail_parts(message)["text/plain"]
    assert text.startswith(f"Hola, Lucía {word}:") and "Para dejar de recibir las copias por correo de tus notificaciones" in text

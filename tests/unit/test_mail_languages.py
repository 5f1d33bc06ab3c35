"""Mail goes out in the recipient's language (issue 19 point 3): a notification is kept, and
mailed, in its recipient's language (User.language) while an English reader's stays English; the
account mails, alerts, the weekly digest and the unsubscribe line follow the recipient too; a mail
to an address with no account yet is written in its sender's language."""

from datetime import UTC, date, datetime

from sqlmodel import select

from microgigs.i18n import msg
from microgigs.models import Notification, OutboxMail, StudentSkill, User, utcnow
from microgigs.services import account_security, alerts, applications, digest, mail_preferences, notifications, organizations, profiles
from tests.mail_helpers import deliver, last_mail_to
from tests.smtp_server import mail_parts, smtp_server  # noqa: F401  (fixture)


def _plain(text: str) -> str:
    """Babel's non-breaking and narrow spaces as plain spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _spanish(session, user: User) -> User:
    profiles.set_language(session, user, "es")
    return user


def _titles(session, user: User) -> list[str]:
    return list(session.exec(select(Notification.title).where(Notification.user_id == user.id).order_by(Notification.id)))


def test_a_notification_is_kept_and_mailed_in_each_recipients_language(app_db, make, smtp_server):  # noqa: F811
    lucia, john = _spanish(app_db, make.student(name="Lucía")), make.student(name="John")
    for student in (lucia, john):
        notifications.notify(
            app_db, student.id, "application.accepted", msg("You are accepted for {title}", title="Survey <b>"), "/x", email=True
        )
    app_db.commit()

    assert _titles(app_db, lucia) == ["Te aceptaron en Survey <b>"]
    assert _titles(app_db, john) == ["You are accepted for Survey <b>"]
    messages = smtp_server.deliver()
    [spanish] = [m for m in messages if m["To"] == lucia.email]
    [english] = [m for m in messages if m["To"] == john.email]
    assert spanish["Subject"] == "Te aceptaron en Survey <b>"
    parts = mail_parts(spanish)
    assert parts["text/plain"].startswith("Hola, Lucía:") and "Abre MicroGigs: https://gigs.uni.test/x" in parts["text/plain"]
    assert "<p>Hola, Lucía:</p>" in parts["text/html"] and "Te aceptaron en Survey &lt;b&gt;" in parts["text/html"]
    assert ">Abrir MicroGigs</a>" in parts["text/html"]
    # The unsubscribe line the queue adds as the mail leaves speaks Spanish too.
    assert "Para dejar de recibir las copias por correo de tus notificaciones, abre https://gigs.uni.test/" in parts["text/plain"]
    assert "cancela la suscripción</a>." in parts["text/html"]
    assert english["Subject"] == "You are accepted for Survey <b>"
    english_parts = mail_parts(english)
    assert (
        english_parts["text/plain"].startswith("Hello John,")
        and "To stop email copies of your notifications" in english_parts["text/plain"]
    )


def test_days_and_moments_in_a_title_are_written_in_the_readers_language_and_zone(session, make):
    lucia, john = _spanish(session, make.student()), make.student()
    lucia.timezone, john.timezone = "Europe/Madrid", "America/New_York"
    due, moment = date(2026, 12, 26), datetime(2026, 12, 26, 16, 0, tzinfo=UTC)
    for user in (lucia, john):
        notifications.notify(session, user.id, "reminder.due_date", msg("{title} is due on {date}", title="Poster", date=due), "/a")
        notifications.notify(
            session,
            user.id,
            "reminder.auto_approval",
            msg("Review {title} by {moment} or it is approved and paid automatically", title="Poster", moment=moment),
            "/b",
        )
    assert [_plain(t) for t in _titles(session, lucia)] == [
        "Poster se entrega el 26 dic 2026",
        "Revisa Poster antes del 26 dic 2026, 17:00 CET o se aprobará y pagará automáticamente",
    ]
    assert [_plain(t) for t in _titles(session, john)] == [
        "Poster is due on Dec 26, 2026",
        "Review Poster by Dec 26, 2026, 11:00 AM EST or it is approved and paid automatically",
    ]


def test_a_real_service_notifies_a_spanish_student_in_spanish(session, make):
    employer, lucia = make.employer(), _spanish(session, make.student())
    gig = make.gig(employer)
    application = make.apply(lucia, gig)
    applications.shortlist(session, employer.manager, application.id)
    assert _titles(session, lucia)[-1] == f"Te preseleccionaron para {gig.title}"
    # The manager reads English: the student's language is theirs alone.
    assert _titles(session, employer.manager)[-1] == f"New applicant for {gig.title}"


def test_the_live_region_counts_new_notifications_in_the_readers_language(session, make):
    lucia = _spanish(session, make.student())
    for title in ("Uno", "Dos"):
        notifications.notify(session, lucia.id, "test", title)
    session.flush()
    assert notifications.announcement(session, lucia, 0) == "2 notificaciones nuevas: Uno; Dos"
    john = make.student()
    for title in ("One", "Two", "Three", "Four"):
        notifications.notify(session, john.id, "test", title)
    session.flush()
    assert notifications.announcement(session, john, 0) == "4 new notifications. The newest: Four"


def test_the_address_confirmation_mail_is_in_the_recipients_language(session, make):
    lucia = make.unconfirmed_student(name="Lucía")
    lucia.language = "es"
    session.add(lucia)
    account_security.send_verification(session, lucia)
    outgoing = deliver(session, last_mail_to(session, lucia.email))
    assert outgoing.subject == "Confirma tu dirección de correo para MicroGigs"
    assert outgoing.text_body.startswith(
        "Hola, Lucía:\n\nConfirma que esta es tu dirección de correo. El enlace funciona durante 48 horas."
    )
    assert "Confirmar mi correo electrónico: " in outgoing.text_body and ">Confirmar mi correo electrónico</a>" in outgoing.html_body

    john = make.unconfirmed_student(name="John")
    account_security.send_verification(session, john)
    english = deliver(session, last_mail_to(session, john.email))
    assert english.subject == "Confirm your email address for MicroGigs" and english.text_body.startswith("Hello John,")


def test_a_password_reset_mail_is_in_the_recipients_language(session, make):
    lucia = _spanish(session, make.student(name="Lucía"))
    account_security.request_password_reset(session, lucia.email)
    mail = last_mail_to(session, lucia.email)
    assert mail.subject == "Elige una contraseña nueva para MicroGigs"
    assert "El enlace funciona una sola vez, durante 60 minutos." in mail.text_body


def test_an_invitation_to_a_new_address_is_in_the_inviters_language_and_to_an_account_in_its_own(session, make):
    owner = make.employer()
    _spanish(session, owner.manager)
    organizations.invite_manager(session, owner.manager, owner.org.id, "nobody.yet@example.com")
    mail = last_mail_to(session, "nobody.yet@example.com")
    assert mail.subject.endswith(f"te invita a gestionar proyectos de {owner.org.name}")
    assert "El enlace funciona una sola vez, durante 7 días." in mail.text_body
    assert f"Unirme a {owner.org.name}" in mail.text_body

    other = make.employer()
    organizations.invite_manager(session, owner.manager, owner.org.id, other.manager.email)
    english = last_mail_to(session, other.manager.email)
    assert english.subject.endswith(f"invites you to manage gigs for {owner.org.name}")
    assert "Sign in as" in english.text_body
    assert _titles(session, other.manager)[-1] == f"{owner.org.name} invites you to manage its gigs"


def test_an_alert_mail_and_its_notification_are_in_the_students_language(session, make):
    lucia = _spanish(session, make.student(name="Lucía"))
    alerts.save_search(session, lucia, {"q": "survey"}, "Encuestas", "instant")
    gig = make.gig(make.employer(trusted=True))
    assert _titles(session, lucia) == [f"Nuevo proyecto para “Encuestas”: {gig.title}"]
    [sent] = session.exec(select(OutboxMail).where(OutboxMail.to_address == lucia.email, OutboxMail.list_kind == "alerts")).all()
    assert sent.subject == f"Nuevo proyecto para “Encuestas”: {gig.title}"
    assert sent.text_body.startswith("Hola, Lucía:\n\nHay proyectos abiertos nuevos que coinciden con tu búsqueda guardada “Encuestas”:")
    assert "Ver todos: " in sent.text_body and ">Ver todos en el tablero</a>" in sent.html_body


def test_the_weekly_digest_is_in_the_students_language(session, make):
    lucia = _spanish(session, make.student(name="Lucía"))
    session.add(StudentSkill(user_id=lucia.id, skill_id=make.skills[0].id))
    make.gig(make.employer())
    mail_preferences.set_weekly_digest(session, lucia, True)
    assert digest.send_weekly_digests(session, utcnow()) == 1
    [sent] = session.exec(select(OutboxMail).where(OutboxMail.to_address == lucia.email, OutboxMail.list_kind == "digest")).all()
    assert sent.subject == "Esta semana: 1 proyecto abierto para tus habilidades"
    assert sent.text_body.startswith("Hola, Lucía:\n\nProyectos abiertos recomendados para tus habilidades esta semana:")
    assert "<p>Hola, Lucía:</p>" in sent.html_body

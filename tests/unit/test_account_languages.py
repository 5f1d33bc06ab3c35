"""The account area in Spanish: the dates its services write for a page, and its messages
(throttles, invitations, sign-up rules) translated for the reader."""

from sqlmodel import select

from microgigs import i18n
from microgigs.http.forms import too_many
from microgigs.models import Notification, OneTimeToken
from microgigs.services import dashboards, notifications, organizations, throttle


def test_waiting_invitations_show_their_date_in_the_viewers_language(session, make):
    owner = make.employer("Northwind")
    sent = organizations.invite_manager(session, owner.manager, owner.org.id, "fresh@northwind.example")
    assert i18n.translate("es", sent) == "Enviamos una invitación a fresh@northwind.example."
    row = session.exec(select(OneTimeToken).where(OneTimeToken.purpose == "invitation")).one()
    [english] = organizations.team(session, owner.manager, owner.org.id).invitations
    [spanish] = organizations.team(session, owner.manager, owner.org.id, "es").invitations
    assert english.expires_at == i18n.format_date(row.expires_at, "en")  # "Dec 10, 2026"
    assert spanish.expires_at == i18n.format_date(row.expires_at, "es")  # "10 dic 2026"
    assert spanish.expires_at != english.expires_at


def test_the_notification_center_writes_each_moment_for_the_reader(session, make):
    student = make.student("Ada")
    student.timezone = "Europe/Madrid"
    notifications.notify(session, student.id, "test", "Your work was approved", "/dashboard")
    session.flush()
    created = session.exec(select(Notification.created_at).where(Notification.user_id == student.id)).one()
    [row] = dashboards.notification_center(session, student, "es")
    assert row.created_at == i18n.format_datetime(created, "es", "Europe/Madrid")
    assert row.created_at.endswith("CET") or row.created_at.endswith("CEST")


def test_a_throttled_form_is_answered_in_spanish():
    refused = throttle.Throttled(throttle.TOO_MANY_REQUESTS, 120)
    assert refused.message == "Too many requests like this one. Wait 2 minutes and try again."  # English for logs
    assert i18n.translate("es", refused.message) == "Demasiadas solicitudes como esta. Espera 2 minutos y vuelve a intentarlo."
    page = too_many(refused, "/signup", i18n.gettext("es", "Back to sign up"), "es")
    assert page.status_code == 429
    body = page.body.decode()
    assert '<html lang="es">' in body and "<h1>Demasiados intentos</h1>" in body
    assert "Espera 2 minutos" in body and "Volver a crear cuenta" in body


def test_password_and_domain_rules_read_in_spanish():
    from microgigs.services import accounts

    assert i18n.translate("es", accounts.password_problem("short")) == "Usa al menos 10 caracteres."
    domains = i18n.msg("{others} or {last}", others="uni.edu", last="alumni.uni.edu")
    message = i18n.msg("Student accounts need an email address at {domains}.", domains=domains)
    assert message == "Student accounts need an email address at uni.edu or alumni.uni.edu."
    assert i18n.translate("es", message) == "Las cuentas de estudiante necesitan un correo electrónico de uni.edu o alumni.uni.edu."

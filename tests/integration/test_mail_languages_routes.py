"""The first mail a person gets is in the language they signed up in: the sign-up route keeps the
visitor's language (the footer switch's cookie, else the browser's Accept-Language) on the new
account, and the confirmation mail that leaves over SMTP is written in it."""

from email.header import decode_header, make_header

from sqlmodel import Session, select

from microgigs.models import User
from tests.integration.conftest import ORIGIN
from tests.smtp_server import mail_parts, smtp_server  # noqa: F401  (the real SMTP server fixture)


def _sign_up(client, email: str, **headers: str) -> None:
    client.post(
        "/auth/signup",
        data={"role": "student", "display_name": "Lucía", "email": email, "password": "a-long-enough-pass"},
        headers={**ORIGIN, **headers},
    )


def test_signing_up_in_spanish_keeps_spanish_and_the_confirmation_mail_is_spanish(client, configured, smtp_server):  # noqa: F811
    _sign_up(client, "lucia@uni.edu", **{"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
    smtp_server.deliver()
    [message] = smtp_server.to("lucia@uni.edu")
    assert str(make_header(decode_header(message["Subject"]))) == "Confirma tu dirección de correo para MicroGigs"
    text = mail_parts(message)["text/plain"]
    assert text.startswith("Hola, Lucía:") and "El enlace funciona durante 48 horas." in text
    # The HTML says its language, so a screen reader reads it with a Spanish voice.
    assert '<html lang="es">' in mail_parts(message)["text/html"]
    with Session(configured) as session:
        assert session.exec(select(User).where(User.email == "lucia@uni.edu")).one().language == "es"


def test_the_switchs_choice_wins_over_the_browsers_language(client, configured, smtp_server):  # noqa: F811
    _sign_up(client, "ana@uni.edu", **{"accept-language": "es", "cookie": "mg_lang=en"})
    smtp_server.deliver()
    [message] = smtp_server.to("ana@uni.edu")
    assert message["Subject"] == "Confirm your email address for MicroGigs"
    assert '<html lang="en">' in mail_parts(message)["text/html"]
    with Session(configured) as session:
        assert session.exec(select(User).where(User.email == "ana@uni.edu")).one().language == "en"

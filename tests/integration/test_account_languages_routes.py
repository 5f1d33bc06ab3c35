"""The account routes answer in the person's language: the messages they send back to a form in
the query string, and the unsubscribe pages they draw themselves."""

from urllib.parse import parse_qs, urlsplit

from sqlmodel import Session, select

from microgigs.models import User
from microgigs.services import mail_preferences, profiles
from tests.integration.conftest import ORIGIN, make_user, sign_in

SPANISH = {**ORIGIN, "accept-language": "es-MX,es;q=0.9"}


def query_of(response) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def test_a_visitor_reading_spanish_gets_the_sign_in_and_sign_up_messages_in_spanish(client, configured):
    make_user(configured, "ada@uni.edu")
    wrong = client.post("/auth/login", data={"email": "ada@uni.edu", "password": "not-the-password"}, headers=SPANISH)
    assert query_of(wrong)["error"] == "Ese correo y esa contraseña no coinciden con ninguna cuenta."
    short = client.post(
        "/auth/signup", data={"role": "student", "display_name": "", "email": "bo@uni.edu", "password": "short"}, headers=SPANISH
    )
    errors = query_of(short)
    assert errors["error_password"] == "Usa al menos 10 caracteres."
    assert errors["error_display_name"] == "Escribe tu nombre."
    # The footer's switch (its cookie) outranks the browser's languages.
    client.cookies.set("mg_lang", "en")
    english = client.post("/auth/login", data={"email": "ada@uni.edu", "password": "not-the-password"}, headers=SPANISH)
    assert query_of(english)["error"] == "That email and password do not match an account."


def test_an_account_starts_in_the_language_it_was_made_in(client, configured):
    data = {"role": "student", "display_name": "Lucía", "email": "lucia@uni.edu", "password": "una frase bastante larga"}
    assert client.post("/auth/signup", data=data, headers=SPANISH).headers["location"] == "/check-email"
    assert client.post("/auth/signup", data={**data, "email": "ben@uni.edu"}, headers=ORIGIN).headers["location"] == "/check-email"
    with Session(configured) as session:
        languages = {user.email: user.language for user in session.exec(select(User))}
    assert languages == {"lucia@uni.edu": "es", "ben@uni.edu": "en"}


def test_a_person_who_chose_spanish_gets_the_account_routes_answers_in_it(client, configured):
    user_id = make_user(configured, "ada@uni.edu")
    with Session(configured) as session:
        profiles.set_language(session, session.get(User, user_id), "es")
        session.commit()
    sign_in(client, "ada@uni.edu")
    # Refused (the unit rolled back): the person's own choice, whatever the browser asks for.
    refused = client.post(
        "/auth/change-password", data={"current_password": "wrong-one-here", "new_password": "another-long-pass"}, headers=ORIGIN
    )
    assert query_of(refused)["error_current_password"] == "Esa no es tu contraseña actual."


def test_the_unsubscribe_pages_speak_the_visitors_language_and_name_the_center(client, configured):
    user_id = make_user(configured, "ada@uni.edu")
    with Session(configured) as session:
        url = mail_preferences.unsubscribe_url(session, user_id, "notifications")
        session.commit()
    path = url.removeprefix("http://testserver")
    page = client.get(path, headers={"accept-language": "es"})
    assert page.status_code == 200 and '<html lang="es">' in page.text
    assert "¿Dejar de recibir las copias por correo de tus notificaciones?" in page.text
    assert "<title>Cancelar suscripción · MicroGigs</title>" in page.text
    done = client.post(path, content=b"List-Unsubscribe=One-Click", headers={"content-type": "application/x-www-form-urlencoded"})
    assert "you will no longer get email copies of your notifications" in done.text
    assert '<a href="/account">' in done.text
    broken = client.get("/unsubscribe/not-a-token", headers={"accept-language": "es"})
    assert broken.status_code == 404 and "elige tus correos en la página de tu cuenta" in broken.text

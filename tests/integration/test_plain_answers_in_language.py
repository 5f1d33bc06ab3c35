"""The routes' plain-text answers are written in the reader's language too: a form sent from
another site, an upload over the size limit, a refused download or calendar link. A visitor is
answered in the language of the footer's switch or their browser; a signed-in person in their
own choice, even when the refusal rolled the request back."""

from sqlmodel import Session, select

from microgigs import settings
from microgigs.models import User
from tests.integration.conftest import ORIGIN, make_user, sign_in

SPANISH = {"accept-language": "es-MX,es;q=0.9"}


def test_a_form_from_another_site_is_refused_in_the_visitors_language(client):
    foreign = {"origin": "https://elsewhere.example", "content-type": "application/x-www-form-urlencoded"}
    english = client.post("/auth/login", content=b"email=a%40b.c", headers=foreign)
    spanish = client.post("/auth/login", content=b"email=a%40b.c", headers={**foreign, **SPANISH})
    assert (english.status_code, spanish.status_code) == (403, 403)
    assert english.text == "This form must be sent from MicroGigs itself."
    assert spanish.text == "Este formulario debe enviarse desde el propio MicroGigs."


def test_an_upload_over_the_limit_is_refused_in_the_senders_language(client, monkeypatch):
    monkeypatch.setenv("MICROGIGS_MAX_REQUEST_BYTES", str(1024 * 1024))
    settings.get_settings.cache_clear()
    body, form = b"x" * (1024 * 1024 + 1), {**ORIGIN, "content-type": "application/x-www-form-urlencoded"}
    english = client.post("/auth/login", content=body, headers=form)
    spanish = client.post("/auth/login", content=body, headers={**form, **SPANISH})
    assert (english.status_code, spanish.status_code) == (413, 413)
    assert english.text == "That upload is too large: at most 1 MB may be sent at once."
    assert spanish.text == "Ese archivo es demasiado grande: se pueden enviar como máximo 1 MB a la vez."


def test_a_refused_calendar_link_answers_in_the_visitors_language(client):
    english = client.get("/calendar/no-such-link.ics")
    spanish = client.get("/calendar/no-such-link.ics", headers=SPANISH)
    assert (english.status_code, spanish.status_code) == (404, 404)
    assert (english.text, spanish.text) == ("That calendar was not found.", "Ese calendario no se encontró.")


def test_a_refused_download_answers_in_the_signed_in_persons_own_language(client, configured):
    make_user(configured, "lucia@uni.edu")
    with Session(configured) as session:
        lucia = session.exec(select(User).where(User.email == "lucia@uni.edu")).one()
        lucia.language = "es"
        session.add(lucia)
        session.commit()
    sign_in(client, "lucia@uni.edu")
    # Her browser asks for English; her profile says Spanish: the profile wins.
    refused = client.get("/files/99999", headers={"accept-language": "en"})
    assert (refused.status_code, refused.text) == (404, "Ese archivo no se encontró.")

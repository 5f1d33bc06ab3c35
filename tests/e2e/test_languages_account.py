"""The account pages in Spanish (issue 19 point 3, the "account" slice): a visitor whose browser
reads Spanish signs up (the form, its messages from the route, the check-email and confirmation
pages); the account starts in the language it was made in, so their profile, their account page
(a calendar link's date written the Spanish way) and their notifications are in Spanish too. Axe
passes in Spanish."""

import re
import secrets

from playwright.sync_api import Page, expect

from tests.e2e.conftest import check_accessible, goto_ready, mail_link
from tests.e2e.test_accounts import VERIFY_LINK


def html_lang(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_a_spanish_reader_signs_up_and_finds_their_account_pages_in_spanish(new_context, app_server):
    page = new_context(locale="es-ES").new_page()  # Accept-Language: es-ES
    email = f"es-{secrets.token_hex(3)}@example.edu"
    goto_ready(page, "/signup")
    expect(page.get_by_role("heading", name="Crea una cuenta", level=1)).to_be_visible()
    expect(page.get_by_role("radio", name="estudiante y busco proyectos")).to_be_visible()
    html_lang(page, "es")
    # A refused form comes back with the route's messages in Spanish.
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill("short")
    page.get_by_role("button", name="Crear cuenta").click()
    expect(page.get_by_text("Usa al menos 10 caracteres.")).to_be_visible()
    expect(page.get_by_text("Escribe tu nombre.")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="Hay problemas con 2 campos abajo.")).to_be_visible()
    check_accessible(page)

    page.get_by_label("Tu nombre").fill("Lucía Pérez")
    page.get_by_label("Contraseña").fill("una frase bastante larga")
    page.get_by_role("button", name="Crear cuenta").click()
    expect(page).to_have_url(re.compile(r"/check-email"))
    expect(page.get_by_role("heading", name="Revisa tu correo", level=1)).to_be_visible()
    check_accessible(page)

    page.goto(mail_link(app_server, email, VERIFY_LINK))
    page.get_by_role("button", name="Confirmar mi correo electrónico").click()
    expect(page.get_by_role("status").filter(has_text="Gracias: tu correo electrónico quedó confirmado.")).to_be_visible()

    # Signed in now: the account keeps the language it was made in.
    goto_ready(page, "/profile")
    expect(page.get_by_role("heading", name="Tu perfil", level=1)).to_be_visible()
    expect(page.get_by_role("combobox", name="Idioma")).to_have_text(re.compile("Español"))
    expect(page.get_by_label("Horas disponibles por semana")).to_be_visible()
    check_accessible(page)

    goto_ready(page, "/account")
    expect(page.get_by_role("heading", name="Tu cuenta", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Cambia tu contraseña")).to_be_visible()
    page.get_by_role("button", name="Crear enlace de calendario").click()
    expect(page.get_by_role("status").filter(has_text="Tu enlace de calendario está listo.")).to_be_visible()
    page.reload()
    # The day it was made, the Spanish way: "3 dic 2026".
    expect(page.get_by_text(re.compile(r"Tienes un enlace de calendario, creado el \d{1,2} [a-z]{3,4}\.? \d{4}\."))).to_be_visible()
    expect(page.get_by_role("button", name="Cerrar sesión en todas partes")).to_be_visible()
    check_accessible(page)

    goto_ready(page, "/notifications")
    expect(page.get_by_role("heading", name="Notificaciones", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Marcar todas como leídas")).to_be_visible()
    check_accessible(page)

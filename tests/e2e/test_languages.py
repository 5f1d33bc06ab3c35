"""Two languages in the browser (issue 19 point 3, first slice): the header, the menu, the
footer and the sign-in page in the viewer's language, chosen by the browser's Accept-Language, the footer's switch or
the person's profile; `<html lang>` follows, for screen readers."""

import re
import secrets

from playwright.sync_api import Page, expect

from microgigs.demo import builders
from microgigs.services import accounts
from tests.e2e.app_data import DEMO_PASSWORD, app_session
from tests.e2e.conftest import check_accessible, goto_ready
from tests.e2e.test_accounts import sign_in


def html_lang(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_a_visitor_reads_their_browsers_language_and_switches(new_context):
    page = new_context(locale="es-ES").new_page()  # Accept-Language: es-ES
    goto_ready(page, "/")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Inicia sesión")).to_be_visible()
    expect(header.get_by_role("link", name="Regístrate")).to_be_visible()
    html_lang(page, "es")
    # The board's own texts (its cards' facts come in a later slice).
    expect(page.get_by_role("heading", name="Encuentra un proyecto", level=1)).to_be_visible()
    expect(page.get_by_role("search", name="Búsqueda de proyectos").get_by_role("button", name="Buscar")).to_be_visible()
    switch = page.get_by_role("group", name="Idioma")
    expect(switch.get_by_role("link", name="Español")).to_have_attribute("aria-current", "true")
    check_accessible(page)

    # The sign-in page too.
    header.get_by_role("link", name="Inicia sesión").click()
    expect(page.get_by_role("heading", name="Inicia sesión", level=1)).to_be_visible()
    expect(page.get_by_label("Correo electrónico")).to_be_visible()
    expect(page.get_by_label("Contraseña")).to_be_visible()
    expect(page.get_by_role("link", name="¿Olvidaste tu contraseña?")).to_be_visible()
    check_accessible(page)

    switch = page.get_by_role("group", name="Idioma")
    switch.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login"))
    html_lang(page, "en")
    expect(page.get_by_role("group", name="Language").get_by_role("link", name="English")).to_have_attribute("aria-current", "true")
    # The switch is remembered (a cookie): Accept-Language no longer decides.
    page.reload()
    expect(page.get_by_label("Email address")).to_be_visible()
    html_lang(page, "en")


def test_a_student_chooses_spanish_on_their_profile(new_context, app_server):
    # A student of this test's own: the demo ones are shared by other tests, which read English.
    email = f"sofia.{secrets.token_hex(3)}@students.example.edu"
    with app_session(app_server.data_dir) as session:
        builders.signed_up(session, accounts.SignUp(email=email, password=DEMO_PASSWORD, display_name="Sofía Ruiz"))
        session.commit()
    page = new_context().new_page()  # an English browser
    sign_in(page, email, DEMO_PASSWORD)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    goto_ready(page, "/profile")
    page.get_by_role("combobox", name="Language").click()
    page.get_by_role("option", name="Español").click()
    page.get_by_role("button", name="Save language").click()
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    html_lang(page, "es")
    check_accessible(page)
    # Another page, loaded afresh: the profile's choice wins over the English browser.
    goto_ready(page, "/dashboard")
    expect(page.get_by_role("banner").get_by_role("link", name=re.compile("^Panel$"))).to_be_visible()
    html_lang(page, "es")

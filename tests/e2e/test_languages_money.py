"""Two languages, the money and credentials pages: a student who reads MicroGigs in Spanish
sees their dashboard, earnings and credentials in Spanish, with amounts and dates written the
Spanish way ("450,00 US$", "2 ene 2027")."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect
from sqlmodel import select

from microgigs import i18n
from microgigs.models import User
from microgigs.services import profiles
from tests.e2e.app_data import DEMO_PASSWORD, app_session, funded_engagement
from tests.e2e.conftest import goto_ready
from tests.e2e.test_accounts import sign_in
from tests.e2e.test_core_loop import loaded

EMAIL = "lucia.montes@students.demo.microgigs.test"


def test_a_spanish_reader_sees_their_money_pages_in_spanish(new_context, app_server, assert_accessible):
    funded_engagement(app_server.data_dir, EMAIL, "Lucía Montes", "Encuesta de socios en gráficos")
    with app_session(app_server.data_dir) as session:
        student = session.exec(select(User).where(User.email == EMAIL)).one()
        profiles.set_language(session, student, "es")
        session.commit()

    page = new_context().new_page()  # an English browser: the profile's choice wins once signed in
    sign_in(page, EMAIL, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Panel", level=1)).to_be_visible()
    loaded(page)
    expect(page.get_by_role("heading", name="Mis encargos")).to_be_visible()
    expect(page.get_by_role("heading", name="Mis postulaciones")).to_be_visible()
    work = page.get_by_role("link", name="Abrir espacio de trabajo: Encuesta de socios en gráficos")
    expect(work).to_be_visible()
    # The pay and the due date, written the Spanish way (a survey gig pays 450 dollars, due in 30 days).
    expect(page.get_by_text(re.compile(r"^450,00\s*US\$$"))).to_be_visible()
    due = i18n.format_date(date.today() + timedelta(days=30), "es")
    expect(page.get_by_text(re.compile(rf"^Vence:\s*{re.escape(due)}$"))).to_be_visible()
    assert_accessible(page)

    goto_ready(page, "/earnings")
    expect(page.get_by_role("heading", name="Ganancias", level=1)).to_be_visible()
    loaded(page)
    expect(page.get_by_role("heading", name="Cuenta de pagos")).to_be_visible()
    expect(page.get_by_text("Pagos de demostración: no se necesita una cuenta de pagos.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^En camino:"))).to_be_visible()
    assert_accessible(page)

    goto_ready(page, "/credentials")
    expect(page.get_by_role("heading", name="Mis credenciales", level=1)).to_be_visible()
    expect(page.get_by_text("Aún no tienes credenciales: llegan cuando un responsable aprueba tu trabajo.")).to_be_visible()
    assert_accessible(page)

"""The board, a gig's page and the saved gigs in Spanish (issue 19 point 3): the pages' texts,
the card's pay as Spanish writes money, and the application deadline (the end of its day in the
gig's zone) shown in the reader's zone with the zone named, and the gig's own day when that zone
differs."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from microgigs import i18n
from microgigs.demo import builders
from microgigs.services import accounts, gigs
from microgigs.services.gigs.deadlines import shown_deadline
from tests.e2e.app_data import DEMO_PASSWORD, app_session, demo_manager, survey_gig
from tests.e2e.conftest import check_accessible, goto_ready
from tests.e2e.test_accounts import sign_in

GIG_ZONE = "America/New_York"
READER_ZONE = "Europe/Madrid"
STUDENT = "lectora@languages.test"


def loose(text: str) -> re.Pattern:
    """`text` with any run of spaces (Babel's non-breaking ones too) matching any other."""
    return re.compile(r"\s+".join(re.escape(part) for part in re.split(r"[\s\u00a0\u202f]+", text)))


def test_the_board_and_a_gig_in_spanish_with_the_deadline_in_the_readers_zone(new_context, app_server):
    deadline = date.today() + timedelta(days=10)
    with app_session(app_server.data_dir) as session:
        gig = gigs.create_gig(session, demo_manager(session), survey_gig("Encuesta de polinizadores", application_deadline=deadline))
        gig.timezone = GIG_ZONE  # as if posted by a manager in New York
        session.add(gig)
        reader = builders.signed_up(session, accounts.SignUp(email=STUDENT, password=DEMO_PASSWORD, display_name="Lectora Ruiz"))
        reader.language, reader.timezone = "es", READER_ZONE
        session.add(reader)
        gigs.save_gig(session, reader, gig.id)
        session.commit()
        gig_id = gig.id

    # A visitor whose browser asks for Spanish: the gig's own zone.
    page = new_context(locale="es-ES").new_page()
    goto_ready(page, "/?q=polinizadores")
    expect(page.get_by_role("heading", name="Encuentra un proyecto", level=1)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="1 proyecto abierto")).to_be_visible()
    card = page.locator("article.gig-card").filter(has_text="Encuesta de polinizadores")
    expect(card).to_contain_text(loose(i18n.format_money(45_000, "usd", "es")))  # "450,00 US$"
    expect(card).to_contain_text(loose("postúlate antes del " + shown_deadline(deadline, GIG_ZONE, "es").text))
    expect(card).to_contain_text("Análisis de datos")
    expect(card).not_to_contain_text("(fin del")
    check_accessible(page)
    card.get_by_role("link", name="Encuesta de polinizadores").click()
    expect(page.get_by_role("heading", name="Encuesta de polinizadores", level=1)).to_be_visible()
    expect(page.locator("dl div").filter(has_text="Fecha límite para postularte")).to_contain_text(
        loose(shown_deadline(deadline, GIG_ZONE, "es").text)
    )

    # A signed-in student who reads Spanish, in Madrid: the deadline in her zone, New York's day said.
    page = new_context().new_page()
    sign_in(page, STUDENT, DEMO_PASSWORD)
    goto_ready(page, f"/gigs/{gig_id}")
    expect(page.get_by_role("heading", name="Encuesta de polinizadores", level=1)).to_be_visible()
    shown = shown_deadline(deadline, GIG_ZONE, "es", READER_ZONE)
    fact = page.locator("dl div").filter(has_text="Fecha límite para postularte")
    expect(fact).to_contain_text(loose(shown.text))  # e.g. "14 dic 2026, 5:59 CET"
    expect(fact).to_contain_text(loose(shown.note))  # "(fin del 13 dic en America/New_York)"
    expect(page.get_by_role("heading", name="Alcance del trabajo", level=2)).to_be_visible()
    expect(page.get_by_role("heading", name="Postularse", level=2)).to_be_visible()
    expect(page.get_by_label("Por qué encajas en este proyecto")).to_be_visible()
    check_accessible(page)

    # Her saved gigs: the same card, written for her (Spanish money, the deadline in her zone).
    goto_ready(page, "/saved")
    expect(page.get_by_role("heading", name="Proyectos guardados", level=1)).to_be_visible()
    saved = page.locator("article.gig-card").filter(has_text="Encuesta de polinizadores")
    expect(saved).to_contain_text(loose(i18n.format_money(45_000, "usd", "es")))
    expect(saved).to_contain_text(loose("postúlate antes del " + shown.text))
    check_accessible(page)

"""Two languages in the engagement workspace (issue 19 point 3): a student who reads Spanish sees
the workspace's sections, forms and notices in Spanish, the pay and the dates written the
Spanish way, a moment in their own time zone with the zone named; the dispute page too; axe-core
passes on the Spanish pages."""

import re
import secrets

from playwright.sync_api import expect
from sqlmodel import select

from microgigs.models import User
from microgigs.services import profiles
from tests.e2e.app_data import DEMO_PASSWORD, app_session, funded_engagement
from tests.e2e.conftest import check_accessible, goto_ready
from tests.e2e.test_accounts import sign_in

# "26 dic 2026": a Spanish day (Babel's medium format).
SPANISH_DAY = r"\d{1,2} [a-z]{3} \d{4}"


def test_a_student_reads_the_workspace_in_spanish(new_context, app_server):
    token = secrets.token_hex(3)
    title = f"Gráficos de encuesta {token}"
    email = f"lucia.{token}@students.example.edu"
    engagement_id = funded_engagement(app_server.data_dir, email, f"Lucía Prueba {token}", title)
    with app_session(app_server.data_dir) as session:
        student = session.exec(select(User).where(User.email == email)).one()
        profiles.set_language(session, student, "es")
        student.timezone = "Europe/Madrid"
        session.add(student)
        session.commit()

    page = new_context().new_page()  # an English browser: the profile's choice wins
    sign_in(page, email, DEMO_PASSWORD)
    goto_ready(page, f"/engagements/{engagement_id}")
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    for heading in ("Hitos", "Envíos", "Enviar la entrega", "Mensajes", "Fecha de entrega", "Alcance acordado"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_text("Todavía no has enviado nada.")).to_be_visible()
    # The pay as Spanish writes money, the due date as Spanish writes days.
    expect(page.get_by_text(re.compile(r"^450,00\s?US\$$")).first).to_be_visible()
    expect(page.get_by_text(re.compile(rf"^La entrega vence actualmente el {SPANISH_DAY}\.$"))).to_be_visible()
    check_accessible(page)

    # A version handed in: the notice in Spanish, the moment in Madrid's time, the zone named.
    page.get_by_label("Qué estás entregando").fill("Primera versión: el CSV limpio y cinco gráficos en la carpeta compartida.")
    page.get_by_role("button", name="Enviar", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Versión 1 enviada. Ya se le avisó al responsable.")).to_be_visible()
    expect(page.get_by_role("heading", name="Versión 1", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(rf"^Enviada el {SPANISH_DAY}, \d{{1,2}}:\d{{2}} (CET|CEST)$"))).to_be_visible()
    check_accessible(page)

    # The dispute page, in Spanish too.
    goto_ready(page, f"/engagements/{engagement_id}/dispute")
    expect(page.get_by_role("heading", level=1, name="Abrir una disputa")).to_be_visible()
    expect(page.get_by_label("Qué salió mal")).to_be_visible()
    expect(page.get_by_role("button", name="Abrir disputa")).to_be_visible()
    check_accessible(page)

"""Posting in Spanish in a real browser: a manager who chose Spanish reads the posting form (its
labels, the pay floor written the Spanish way, the refusal's messages) and the applicants' page
(counts, buttons, the notice after shortlisting) in Spanish; axe passes on both."""

import re
import secrets

from playwright.sync_api import expect

from microgigs.demo import builders
from microgigs.services import accounts, applications, profiles
from microgigs.services.applications import ApplicationInput
from microgigs.services.gigs import create_gig
from tests.e2e.app_data import DEMO_PASSWORD, app_session, survey_gig
from tests.e2e.conftest import check_accessible, goto_ready
from tests.e2e.test_accounts import sign_in


def _spanish_manager_with_an_applicant(data_dir, token: str) -> tuple[str, int, str]:
    """A new manager of a vetted employer who reads Spanish, their open gig, one applicant."""
    with app_session(data_dir) as session:
        email = f"lucia.{token}@cooperativa.example.org"
        manager, _org = builders.vetted_employer(
            session,
            accounts.SignUp(
                email=email,
                password=DEMO_PASSWORD,
                display_name=f"Lucía {token}",
                role="manager",
                organization_name=f"Cooperativa Andina {token}",
            ),
        )
        profiles.set_language(session, manager, "es")
        title = f"Gráficos de la encuesta {token}"
        gig = create_gig(session, manager, survey_gig(title))
        student = builders.signed_up(
            session, accounts.SignUp(email=f"tomas.{token}@example.edu", password=DEMO_PASSWORD, display_name=f"Tomás {token}")
        )
        applications.apply(session, student, gig.id, ApplicationInput(note="Ya limpié exportaciones de encuestas."))
        session.commit()
        return email, gig.id, title


def test_a_spanish_manager_posts_and_chooses_applicants_in_spanish(new_context, app_server):
    token = secrets.token_hex(3)
    email, gig_id, title = _spanish_manager_with_an_applicant(app_server.data_dir, token)
    page = new_context().new_page()  # an English browser: the profile's choice wins once signed in
    sign_in(page, email, DEMO_PASSWORD)

    goto_ready(page, "/gigs/new")
    form = page.get_by_role("form").filter(has=page.get_by_role("button", name="Publicar proyecto"))
    expect(form.get_by_label("Título")).to_be_visible()
    expect(form.get_by_label("Pago por estudiante (dólares estadounidenses)")).to_be_visible()
    # The pay floor, written as Spanish writes money.
    expect(form.get_by_text(re.compile(r"Al menos \d+,\d\d\sUS\$ por hora"))).to_be_visible()
    expect(form.get_by_role("button", name="Vista previa")).to_be_visible()
    form.get_by_role("button", name="Publicar proyecto").click()
    expect(page.get_by_role("alert").filter(has_text=re.compile(r"El proyecto no se publicó: revisa los \d+ campos"))).to_be_visible()
    expect(form.get_by_text("Escribe un título.")).to_be_visible()
    check_accessible(page)

    goto_ready(page, f"/manage/gigs/{gig_id}")
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.get_by_text("1 postulante", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Ver la página del proyecto")).to_be_visible()
    shortlist = page.get_by_role("button", name="Preseleccionar a Postulante 1")  # blind review: the anonymous label
    expect(shortlist).to_be_visible()
    check_accessible(page)
    shortlist.click()
    expect(page.get_by_role("status").filter(has_text="Preseleccionado: ahora se muestran su nombre y sus datos.")).to_be_visible()
    expect(page.get_by_role("button", name=f"Aceptar a Tomás {token}")).to_be_visible()

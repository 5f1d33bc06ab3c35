"""Two languages on the staff and admin pages (issue 19 point 3): an admin who reads MicroGigs in
Spanish sees the staff hub, the insights dashboard (its money written the Spanish way), the
center's settings, the mail outbox and the general help page in Spanish, and they still pass axe."""

import re
import secrets

from playwright.sync_api import expect

from microgigs.services import accounts, profiles
from tests.e2e.app_data import app_session
from tests.e2e.conftest import check_accessible, goto_ready
from tests.e2e.test_accounts import sign_in

PASSWORD = "spanish admin passphrase 2026"


def make_spanish_admin(app_server) -> str:
    email = f"admin-es-{secrets.token_hex(3)}@example.edu"
    with app_session(app_server.data_dir) as session:
        admin = accounts.create_privileged_user(session, email=email, display_name="Admin Español", password=PASSWORD, role="admin")
        profiles.set_language(session, admin, "es")
        session.commit()
    return email


def test_an_admin_reads_the_staff_pages_in_spanish(app_server, new_context):
    page = new_context().new_page()  # an English browser: the profile's language wins once signed in
    sign_in(page, make_spanish_admin(app_server), PASSWORD)
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()

    goto_ready(page, "/staff")
    expect(page.get_by_role("heading", name="Personal", level=1)).to_be_visible()
    hub = page.locator(".hub-list")
    expect(hub.get_by_role("link", name="Indicadores")).to_be_visible()
    expect(hub.get_by_role("link", name="Configuración")).to_be_visible()  # admins only
    expect(page.locator("html")).to_have_attribute("lang", "es")
    check_accessible(page)

    goto_ready(page, "/staff/insights")
    expect(page.get_by_role("heading", name="Panel del centro de carreras", level=1)).to_be_visible()
    expect(page.get_by_text("Pagado a estudiantes", exact=True)).to_be_visible()
    # Money as Spanish writes it: decimal comma, the currency after the amount ("1.234,50 US$").
    expect(page.get_by_text(re.compile(r"^[\d.]+,\d{2}\s\S+$")).first).to_be_visible()
    expect(page.get_by_role("button", name="Aplicar filtros")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Semana").first).to_be_visible()
    check_accessible(page)

    goto_ready(page, "/admin/settings")
    expect(page.get_by_role("heading", name="Configuración del centro", level=1)).to_be_visible()
    expect(page.get_by_label("Nombre del centro")).to_be_visible()
    expect(page.get_by_role("button", name="Guardar la configuración")).to_be_visible()
    check_accessible(page)

    goto_ready(page, "/admin/outbox")
    expect(page.get_by_role("heading", name="Bandeja de salida de correo", level=1)).to_be_visible()
    check_accessible(page)

    goto_ready(page, "/staff/audit")
    expect(page.get_by_role("heading", name="Registro de auditoría", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Buscar en el registro")).to_be_visible()
    check_accessible(page)

"""The staff area in Spanish (issue 19 point 3): what its services write for a page comes in the
reader's language: the dashboard's money, the outbox's states and dates, the general help page,
the audit log's filter and the settings' refusals (a msg(), translated where shown)."""

from datetime import date, timedelta

import pytest

from microgigs import i18n
from microgigs.services import accounts, audit_log, center_pages, center_settings, engagements, insights, notifications, outbox
from microgigs.services.center_settings import CenterSettingsForm
from microgigs.services.insights import InsightFilters
from microgigs.services.validation import ValidationFailed

# Ends tomorrow: the suite can pass midnight between importing this module and making its rows.
WINDOW = InsightFilters.last_days(30, today=date.today() + timedelta(days=1))


def test_the_dashboards_money_is_written_the_spanish_way(session, make):
    employer = make.employer()
    hired = make.hired(employer)
    make.submit(hired)
    engagements.approve(session, employer.manager, hired.engagement.id)
    staff = make.staff()
    assert insights.overview(session, staff, WINDOW)[0].paid_to_students == "$300.00"
    assert insights.overview(session, staff, WINDOW, "es")[0].paid_to_students == "300,00\xa0US$"


def test_the_tables_headings_are_translated_and_the_csv_keeps_its_column_names(session, make):
    table = insights.table(session, make.staff(), "skills_asked_vs_held", WINDOW)
    assert table.columns == ["skill", "gigs_asking", "students_with"]
    headings = [i18n.translate("es", insights.column_heading(c)) for c in table.columns]
    assert headings == ["Habilidad", "Proyectos que la piden", "Estudiantes que la tienen"]
    assert insights.column_heading("gigs_asking") == "Gigs asking for it"


def test_the_outbox_speaks_the_readers_language(session, make):
    student = make.student()
    notifications.notify(session, student.id, "a", "A mail", "/x", email=True)
    session.commit()
    staff = make.staff()
    [english] = outbox.recent_mail(session, staff)
    [spanish] = outbox.recent_mail(session, staff, language="es")
    assert (english.status_text, spanish.status_text) == ("Waiting to be sent", "En espera de envío")
    # A Spanish date: "3 dic 2026, 21:05 UTC" (the English one says "Dec 3, 2026, 9:05 PM UTC").
    month = spanish.created.split()[1]
    assert month in {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"}
    assert english.created.endswith("UTC") and spanish.created.endswith("UTC")


def test_the_general_help_page_is_in_the_readers_language_and_the_centers_own_text_is_not(session):
    spanish = center_pages.center_page(session, "help", "es")
    assert spanish.title == "Ayuda" and "Para estudiantes" in spanish.html and "MicroGigs" in spanish.html
    assert "For students" in center_pages.center_page(session, "help").html
    row = center_pages.center.row_for_update(session)
    row.help_text = "Our own help, as the admin wrote it."
    session.commit()
    assert "Our own help, as the admin wrote it." in center_pages.center_page(session, "help", "es").html


def test_the_audit_logs_kinds_and_refusals_are_translated(session, make):
    assert i18n.translate("es", audit_log.kind_label(audit_log.KIND_ALL)) == "Todos los eventos"
    assert i18n.translate("es", audit_log.kind_label("viewed.profile")) == "Consultas de un perfil de estudiante"
    with pytest.raises(ValidationFailed) as refused:
        audit_log.search(session, make.staff(), subject_id="twelve")
    assert i18n.translate_all("es", refused.value.errors) == {"subject_id": "Escribe el número del sujeto, por ejemplo 12."}


def test_a_refused_setting_is_told_in_the_readers_language(session):
    admin = accounts.create_privileged_user(
        session, email="admin@example.edu", display_name="Admin", password="a long passphrase 2026", role="admin"
    )
    session.flush()
    with pytest.raises(ValidationFailed) as refused:
        center_settings.save(session, admin, CenterSettingsForm(revision_rounds="99"))
    message = refused.value.errors["revision_rounds"]
    assert message == f"Enter a whole number of rounds from 0 to {center_settings.MAX_REVISION_ROUNDS}."
    assert i18n.translate("es", message) == f"Escribe un número entero de rondas entre 0 y {center_settings.MAX_REVISION_ROUNDS}."

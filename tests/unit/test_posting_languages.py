"""Posting in Spanish: the gig form's rules, the pay floor and the applicants' page say their
messages in the viewer's language, amounts written the Spanish way; English is unchanged."""

from datetime import date

import pytest

from microgigs import i18n
from microgigs.services import gigs, profiles
from microgigs.services.validation import ValidationFailed, check_length
from microgigs.state.manage_gig import ManageGigState
from microgigs.state.post_gig import PostGigState, gig_input_from_form, parse_pay, parse_whole_number, pay_label_for
from tests.unit.state_harness import run_handler, session_token, state_for


def _plain(text: str) -> str:
    """Babel's non-breaking spaces as plain spaces, to compare with what we type."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_check_length_names_what_to_enter_in_the_readers_language():
    errors: dict = {}
    check_length(errors, "title", "", label=i18n._("a title"), max_len=10)
    check_length(errors, "summary", "x" * 1200, label="a summary", max_len=1000)
    assert errors == {"title": "Enter a title.", "summary": "Use at most 1,000 characters (you have 1,200)."}
    assert i18n.translate("es", errors["title"]) == "Escribe un título."
    # Numbers inside a message are written the reader's way too.
    assert i18n.translate("es", errors["summary"]) == "Usa como máximo 1.000 caracteres (tienes 1.200)."
    # An unmarked label is said as it is (callers elsewhere keep working).
    check_length(errors, "x", "", label="your thing", max_len=5)
    assert errors["x"] == "Enter your thing."


def test_the_pay_floor_is_written_for_the_reader(session):
    assert gigs.pay_floor_text(session) == "$20.00"
    assert _plain(gigs.pay_floor_text(session, "usd", "es")) == "20,00 US$"


def test_a_gig_forms_messages_in_spanish_with_spanish_amounts(session, make):
    data = make.gig_input(title="", pay_cents=1_000, estimated_hours=10, skills=["Basket weaving"])
    errors, _skills = gigs.validate_gig_input(session, data, date.today(), "es")
    spanish = i18n.translate_all("es", errors)
    assert spanish["title"] == "Escribe un título."
    assert _plain(spanish["pay_cents"]) == "Paga al menos 20,00 US$ por hora: 200,00 US$ por 10 horas."
    assert spanish["skills"] == "No están en la lista de habilidades: Basket weaving."
    # English readers see what they always saw.
    english, _skills = gigs.validate_gig_input(session, data, date.today())
    assert english["pay_cents"] == "Pay at least $20.00 an hour: $200.00 for 10 hours."


def test_the_forms_own_parse_messages_in_spanish():
    assert pay_label_for("usd", "es") == "Pago por estudiante (dólares estadounidenses)"
    assert pay_label_for("usd") == "Pay per student (US dollars)"
    with pytest.raises(ValueError, match="^Escribe el pago por estudiante en euros, por ejemplo 450.$"):
        parse_pay("", "eur", "es")
    # The amount's detailed messages in Spanish too, the currency named in Spanish.
    with pytest.raises(ValueError, match="^Escribe el pago en yenes japoneses enteros, sin decimales, como 450.$"):
        parse_pay("450.5", "jpy", "es")
    with pytest.raises(ValueError, match="^Escribe el pago en euros sin signo menos, como 450.$"):
        parse_pay("-5", "eur", "es")
    with pytest.raises(ValueError) as too_much:
        parse_pay("2000000000", "usd", "es")
    assert _plain(str(too_much.value)) == "Escribe el pago en dólares estadounidenses, como máximo 1.000.000.000,00 US$."
    with pytest.raises(ValueError, match="^Enter the pay in whole Japanese yen, without a decimal point, like 450.$"):
        parse_pay("450.5", "jpy")
    with pytest.raises(ValueError, match="^Escribe las horas estimadas como un número entero, como 12.$"):
        parse_whole_number("1.5", "estimated_hours", "es")
    _data, problems = gig_input_from_form({"slots": "two", "due_date": "2026-02-30"}, "usd", "es")
    assert problems["slots"] == "Escribe cuántos estudiantes necesitas como un número entero, como 12."
    assert problems["due_date"] == "Escribe una fecha válida, como 2026-03-31."


def test_a_spanish_manager_posts_a_gig_and_reads_every_message_in_spanish(app_db, make):
    employer = make.employer()
    profiles.set_language(app_db, employer.manager, "es")
    app_db.commit()
    state = state_for(PostGigState, "/gigs/new", session_token(app_db, employer.manager))
    run_handler("load_post_gig", state)
    assert state.language == "es"
    assert state.pay_label == "Pago por estudiante (dólares estadounidenses)"
    assert _plain(state.pay_hint) == "Se paga cuando apruebas el trabajo. Al menos 20,00 US$ por hora."

    form = {**state.values, "title": "", "summary": "Un resumen", "scope": "Alcance", "category": "Research"}
    form |= {"estimated_hours": "10", "pay": "100", "due_date": "2099-01-31", "application_deadline": "2099-01-10"}
    run_handler("post", state, form)
    assert state.errors["title"] == "Escribe un título."
    assert _plain(state.errors["pay"]) == "Paga al menos 20,00 US$ por hora: 200,00 US$ por 10 horas."
    assert state.error_count_text == "El proyecto no se publicó: revisa los 2 campos marcados abajo."


def test_the_applicants_page_speaks_spanish(app_db, make):
    employer = make.employer()
    gig = make.gig(employer, slots=2)
    make.apply(make.student(), gig)
    profiles.set_language(app_db, employer.manager, "es")
    app_db.commit()
    state = state_for(ManageGigState, f"/manage/gigs/{gig.id}", session_token(app_db, employer.manager))
    run_handler("load_gig", state)
    assert state.found
    assert state.filled_text == "0 de 2 cupos ocupados" and state.applicants_text == "1 postulante"
    assert state.applicants[0].label == "Postulante 1"  # blind review: the anonymous label, in Spanish
    application_id = state.applicants[0].application_id
    run_handler("shortlist", state, application_id)
    assert state.notice == "Preseleccionado: ahora se muestran su nombre y sus datos."
    run_handler("shortlist", state, application_id)
    assert state.card_errors[str(application_id)] == "Solo se pueden preseleccionar postulaciones nuevas; esta ya está preseleccionada."


def test_a_refusal_keeps_its_english_for_logs_and_english_readers(session, make):
    employer = make.employer()
    with pytest.raises(ValidationFailed) as refused:
        gigs.create_gig(session, employer.manager, make.gig_input(category="Knitting"))
    assert refused.value.errors["category"] == "Choose a category from the list."
    assert i18n.translate("es", refused.value.errors["category"]) == "Elige una categoría de la lista."

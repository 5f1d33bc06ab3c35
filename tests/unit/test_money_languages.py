"""The money and credentials services write amounts, dates and labels for the reader's language;
English stays as it was, and what a credential signs never changes with the reader."""

from datetime import date

from microgigs import i18n
from microgigs.i18n import msg
from microgigs.models import EngagementPayment
from microgigs.services import amounts, credentials, track_record
from microgigs.services.credentials import Verification
from microgigs.services.payments import payouts
from microgigs.services.statuses import PaymentState
from microgigs.services.track_record import TrackRecord


def test_amounts_are_written_the_readers_way():
    assert amounts.format_cents(123450, "usd") == "$1,234.50"
    assert amounts.format_cents(123450, "usd", "en") == "$1,234.50"
    assert amounts.format_cents(123450, "usd", "es") == i18n.format_money(123450, "usd", "es")
    assert amounts.format_cents(123450, "usd", "es").replace("\xa0", " ").endswith(",50 US$")
    # Sums by currency: each in the reader's way, never added together.
    both = amounts.format_by_currency({"usd": 30000, "jpy": 4500}, "usd", "es")
    assert " + " in both and "300,00" in both and "JPY" in both
    assert amounts.format_by_currency({}, "usd", "es").replace("\xa0", " ") == "0,00 US$"


def test_a_payments_state_and_stored_message_are_translated_for_the_reader():
    funded = EngagementPayment(engagement_id=1, state=PaymentState.FUNDED)
    assert payouts.payment_label(funded) == "Funded — pay held until approval"
    assert payouts.payment_label(funded, "es") == "Financiado: el pago queda retenido hasta la aprobación"
    stuck = payouts.PAYOUT_STUCK_MESSAGE.format(tries=5, reason="Stripe answered 500")
    assert payouts.stored_message("en", stuck) == stuck
    spanish = payouts.stored_message("es", stuck)
    assert spanish.startswith("El servicio de pagos falló 5 veces") and "(Stripe answered 500)" in spanish
    assert payouts.stored_message("es", "The payout is being retried automatically.") == "El pago se está reintentando automáticamente."
    # The gateway's own words are shown as they are.
    assert payouts.stored_message("es", "card_declined") == "card_declined"


def test_a_verification_is_shown_in_the_readers_language_without_changing_the_credential():
    result = Verification(
        status="valid",
        message=msg("Valid: signed by this career center and not revoked."),
        title="Survey charts",
        issued_on="2026-12-26",
        hours="10 hours",
    )
    english = credentials.for_viewer(result, "en")
    assert (english.message, english.issued_on, english.hours) == (
        "Valid: signed by this career center and not revoked.",
        "2026-12-26",
        "10 hours",
    )
    spanish = credentials.for_viewer(result, "es")
    assert spanish.message == "Válida: firmada por este centro de carreras y no revocada."
    assert spanish.issued_on == i18n.format_date(date(2026, 12, 26), "es")
    assert spanish.hours == "10 horas"
    assert spanish.title == "Survey charts"
    assert result.hours == "10 hours"  # the original is untouched
    revoked = Verification(status="revoked", message=msg("Revoked on {date}: {reason}", date="2026-12-26", reason="Duplicate"))
    assert credentials.for_viewer(revoked, "es").message == f"Revocada el {i18n.format_date(date(2026, 12, 26), 'es')}: Duplicate"


def test_an_invalid_credentials_reason_is_translated_too():
    checked = credentials.for_viewer(credentials._invalid(msg("there is no credential with this link")), "es")
    assert checked.message == "No es válida: no hay ninguna credencial con este enlace."


def test_a_track_record_in_spanish():
    record = TrackRecord(
        median_review_days=2.5,
        paid_on_time_percent=90,
        finished_engagements=10,
        rating=4.5,
        rating_count=4,
        unanswered_percent=None,
    )
    lines = track_record.summary_lines(record, "es")
    assert lines[0] == "Revisa las entregas en 2,5 días (mediana)"
    assert lines[2] == "Calificación de 4,5 de 5 según los estudiantes (4 reseñas)"
    assert lines[3] == "Aún no hay nada que responder"
    assert track_record.summary_lines(record)[0] == "Reviews submissions in 2.5 days (median)"


def test_an_employer_reading_spanish_sees_payments_and_a_receipt_in_spanish(app_db, make):
    from microgigs.services import engagements
    from microgigs.state.money import PaymentsState, ReceiptState
    from tests.unit.state_harness import run_handler, session_token, state_for

    hired = make.hired(pay_cents=30_000)
    make.submit(hired)
    engagements.approve(app_db, hired.employer.manager, hired.engagement.id)
    manager = hired.employer.manager
    manager.language = "es"
    app_db.add(manager)
    app_db.commit()
    spanish = lambda text: text.replace("\xa0", " ")  # noqa: E731

    state = state_for(PaymentsState, "/payments", session_token(app_db, manager))
    run_handler("load_payments", state)
    (row,) = state.rows
    assert spanish(row.total) == "330,00 US$"
    assert row.state_label == "Pagado al estudiante"
    assert state.gateway_notice == "pagos de demostración: no se mueve dinero"

    page = state_for(ReceiptState, f"/payments/receipt/{hired.engagement.id}", session_token(app_db, manager))
    run_handler("load_receipt", page)
    lines = [(line.label, spanish(line.amount)) for line in page.receipt.lines]
    assert lines == [(f"Pago por {hired.gig.title}", "300,00 US$"), ("Comisión de la plataforma", "30,00 US$")]
    assert page.receipt.date == i18n.format_date(hired.engagement.funded_at, "es")

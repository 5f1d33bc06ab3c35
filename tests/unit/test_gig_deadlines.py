"""A gig's deadline for its reader: the END of the deadline day (23:59) in the gig's own zone,
shown in the reader's zone and language with the zone named, and the gig's day said when the
reader's clock differs; a card's pay and dates written for its reader (cards.localize)."""

from datetime import UTC, date, datetime

from microgigs import i18n
from microgigs.services import gigs
from microgigs.services.gigs.cards import localize
from microgigs.services.gigs.deadlines import deadline_moment, shown_day, shown_deadline

DAY = date(2026, 12, 26)


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_a_deadline_day_ends_at_23_59_in_the_gigs_zone():
    assert deadline_moment(DAY, "America/New_York").astimezone(UTC) == datetime(2026, 12, 27, 4, 59, tzinfo=UTC)
    assert deadline_moment(DAY, "Europe/Madrid").astimezone(UTC) == datetime(2026, 12, 26, 22, 59, tzinfo=UTC)
    assert deadline_moment(DAY, "No/Such_Zone").astimezone(UTC) == datetime(2026, 12, 26, 23, 59, tzinfo=UTC)


def test_a_visitor_or_a_reader_in_the_gigs_zone_sees_it_there_with_no_note():
    shown = shown_deadline(DAY, "America/New_York", "en")
    assert (_plain(shown.text), shown.note) == ("Dec 26, 2026, 11:59 PM EST", "")
    shown = shown_deadline(DAY, "America/New_York", "es", "America/New_York")
    assert (_plain(shown.text), shown.note) == ("26 dic 2026, 23:59 hora de Nueva York", "")
    # Another name for the same clock at that moment: no note either.
    assert shown_deadline(DAY, "America/New_York", "en", "America/Toronto").note == ""


def test_a_reader_elsewhere_sees_it_in_their_zone_and_the_gigs_day_named():
    shown = shown_deadline(DAY, "America/New_York", "en", "Europe/Madrid")
    assert _plain(shown.text) == "Dec 27, 2026, 5:59 AM Madrid time"
    assert _plain(shown.note) == "(end of Dec 26 in America/New_York)"
    shown = shown_deadline(DAY, "America/New_York", "es", "Europe/Madrid")
    assert _plain(shown.text) == "27 dic 2026, 5:59 CET"
    assert _plain(shown.note) == "(fin del 26 dic en America/New_York)"
    shown = shown_deadline(DAY, "UTC", "es", "America/Mexico_City")
    assert _plain(shown.text) == "26 dic 2026, 17:59 hora de Ciudad de México"
    assert _plain(shown.note) == "(fin del 26 dic en UTC)"


def test_a_due_day_has_no_time():
    assert shown_day(DAY, "en") == "Dec 26, 2026"
    assert shown_day(DAY, "es") == "26 dic 2026"


def test_a_card_is_written_for_its_reader(session, make):
    employer = make.employer("Zoned Ltd")
    gig = make.gig(employer, title="Zoned survey", pay_cents=123450)
    gig.timezone, gig.application_deadline = "America/New_York", DAY
    session.add(gig)
    session.flush()
    card = gigs.cards_by_ids(session, [gig.id])[0]
    # As a kept page holds it: English, the gig's own zone.
    assert (_plain(card.pay), _plain(card.deadline_text), card.deadline_note) == ("$1,234.50", "Dec 26, 2026, 11:59 PM EST", "")
    localize(card, "es", "Europe/Madrid")
    assert _plain(card.pay) == "1.234,50 US$"
    assert _plain(card.deadline_text) == "27 dic 2026, 5:59 CET"
    assert _plain(card.deadline_note) == "(fin del 26 dic en America/New_York)"
    assert card.due_text == i18n.format_date(gig.due_date, "es")


def test_a_gig_takes_its_posting_managers_zone(session, make):
    utc = make.gig(make.employer("Greenwich Ltd"), title="Greenwich survey")
    assert utc.timezone == "UTC"  # the default (and every gig from before the column)
    employer = make.employer("Lima SAC")
    employer.manager.timezone = "America/Lima"
    assert make.gig(employer, title="Lima survey").timezone == "America/Lima"


def test_the_board_counts_in_the_readers_language():
    assert gigs.board_count_text(1) == "1 open gig"
    assert gigs.board_count_text(1234) == "1,234 open gigs"
    assert gigs.board_count_text(1, language="es") == "1 proyecto abierto"
    assert gigs.board_count_text(12345, language="es") == "12.345 proyectos abiertos"
    assert gigs.board_count_text(500, capped=True, language="es") == "500+ proyectos abiertos"
    assert gigs.board_count_text(490, estimated=True, language="es") == "unos 490 proyectos abiertos"

"""The board's and a gig page's states for a reader of Spanish in another zone than the gig's:
the card's pay and deadline written for her, the states' own texts in Spanish."""

from datetime import date, timedelta

from microgigs.state.board import BoardState
from microgigs.state.gig_detail import GigDetailState
from tests.unit.state_harness import run_handler, session_token, state_for


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_a_spanish_reader_in_madrid_reads_a_new_york_gig(app_db, make):
    employer = make.employer()
    deadline = date.today() + timedelta(days=10)
    gig = make.gig(employer, title="Encuesta", application_deadline=deadline, pay_cents=45_000, skills=["Python"])
    gig.timezone = "America/New_York"
    student = make.student()
    student.language, student.timezone = "es", "Europe/Madrid"
    app_db.add_all([gig, student])
    app_db.commit()

    state = state_for(GigDetailState, f"/gigs/{gig.id}", session_token(app_db, student))
    run_handler("load_gig", state)
    assert state.found and state.language == "es"
    assert _plain(state.card.pay) == "450,00 US$"
    assert _plain(state.card.deadline_text).endswith("5:59 CET")
    assert state.card.deadline_note.startswith("(fin del ") and state.card.deadline_note.endswith(" en America/New_York)")
    assert state.slots_text == "Cupos libres: 1 de 1"
    assert state.note_count_text == "0 de 4000 caracteres" or state.note_count_text.startswith("0 de ")

    board = state_for(BoardState, "/?q=encuesta", session_token(app_db, student))
    run_handler("load_board", board)
    assert board.count_text == "1 proyecto abierto"
    assert board.cards[0].deadline_text == state.card.deadline_text

    visitor = state_for(GigDetailState, f"/gigs/{gig.id}")
    run_handler("load_gig", visitor)
    assert _plain(visitor.card.deadline_text).endswith("11:59 PM EST") and visitor.card.deadline_note == ""

"""A page's buttons send ids and yes/no values, but any client can call a handler with anything:
None, words, lists. The board, dashboard, moderation, terms and staff-money handlers answer such
a call with a message (or by doing nothing), never an exception, and write nothing."""

import pytest
from sqlmodel import select

from microgigs.models import Organization, ProhibitedTerm, SavedGig
from microgigs.state.board import BoardState
from microgigs.state.dashboard import DashboardState
from microgigs.state.moderation import ModerationState, TermsState
from microgigs.state.money import MoneyState
from tests.unit.state_harness import run_handler, session_token, state_for

FORGED = [None, "", "abc", "1.5", "-3", [1], {"id": 1}, "99999999999999999999999"]


@pytest.mark.parametrize("value", FORGED)
def test_staff_handlers_refuse_forged_ids_with_a_message(app_db, make, value):
    staff = make.staff()
    app_db.add(ProhibitedTerm(term="scam"))
    app_db.commit()
    token = session_token(app_db, staff)
    queue = state_for(ModerationState, "/staff/moderation", token)
    run_handler("load_queue", queue)
    run_handler("approve", queue, value)
    assert queue.form_error and not queue.notice
    run_handler("reject", queue, {"gig_id": value, "reason": "Unpaid work."})
    assert queue.form_error and not queue.notice
    run_handler("set_trusted", queue, value, False)
    assert queue.form_error and not queue.notice

    terms = state_for(TermsState, "/staff/terms", token)
    run_handler("load_terms", terms)
    run_handler("remove_term", terms, value)
    assert terms.term_error and app_db.exec(select(ProhibitedTerm)).first() is not None

    money = state_for(MoneyState, "/staff/money", token)
    run_handler("load_money", money)
    run_handler("retry_payout", money, value)
    assert money.error and not money.notice


@pytest.mark.parametrize("trusted", [None, "abc", "false", 1, [True]])
def test_trusting_an_employer_takes_a_real_yes_or_no(app_db, make, trusted):
    staff, employer = make.staff(), make.employer(trusted=False)
    app_db.commit()
    queue = state_for(ModerationState, "/staff/moderation", session_token(app_db, staff))
    run_handler("load_queue", queue)
    run_handler("set_trusted", queue, employer.org.id, trusted)
    assert queue.form_error == "Reload the page and try again."
    app_db.expire_all()
    assert app_db.get(Organization, employer.org.id).trusted is False
    run_handler("set_trusted", queue, employer.org.id, True)
    app_db.expire_all()
    assert app_db.get(Organization, employer.org.id).trusted is True and not queue.form_error


@pytest.mark.parametrize("value", FORGED)
def test_student_handlers_take_forged_ids_without_an_exception(app_db, make, value):
    student = make.student()
    app_db.commit()
    token = session_token(app_db, student)
    dashboard = state_for(DashboardState, "/dashboard", token)
    run_handler("load_dashboard", dashboard)
    run_handler("withdraw", dashboard, value)
    assert dashboard.row_errors == {str(value): "That application was not found."}
    board = state_for(BoardState, "/", token)
    run_handler("load_board", board)
    run_handler("toggle_save", board, value)
    assert board.saved_ids == [] and app_db.exec(select(SavedGig)).first() is None


def test_saving_and_unsaving_from_the_board_marks_the_gig_at_once(app_db, make):
    employer, student = make.employer(), make.student()
    first, second = make.gig(employer, title="Clean a survey data set"), make.gig(employer, title="Design a poster series")
    app_db.commit()
    board = state_for(BoardState, "/", session_token(app_db, student))
    run_handler("load_board", board)
    run_handler("toggle_save", board, first.id)
    run_handler("toggle_save", board, second.id)
    assert sorted(board.saved_ids) == sorted([first.id, second.id]) and board.save_error == ""
    run_handler("toggle_save", board, first.id)
    assert board.saved_ids == [second.id]
    app_db.expire_all()
    assert [row.gig_id for row in app_db.exec(select(SavedGig))] == [second.id]

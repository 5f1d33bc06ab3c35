"""A forged event may send anything as a handler's argument (None, text, a list): the page says
the thing was not found, and no handler raises."""

import pytest

from microgigs.state.notifications import NotificationsState
from microgigs.state.outbox import OutboxState
from microgigs.state.saved import SavedState
from tests.unit.state_harness import run_handler, session_token, state_for

CRAFTED = [None, "abc", ["1"], {"id": 1}, True, 1.5, "²", "9" * 30]


@pytest.mark.parametrize("argument", CRAFTED)
def test_id_arguments_that_are_not_ids_are_refused_without_raising(app_db, make, argument):
    student, staff = make.student(), make.staff()
    student_token, staff_token = session_token(app_db, student), session_token(app_db, staff)

    notes = state_for(NotificationsState, "/notifications", student_token)
    run_handler("mark_read", notes, argument)
    assert notes.error == "That notification was not found."

    saved = state_for(SavedState, "/saved", student_token)
    run_handler("unsave", saved, argument)
    assert saved.error == ""

    outbox = state_for(OutboxState, "/admin/outbox", staff_token)
    run_handler("send_again", outbox, argument)
    assert outbox.action_error == "That mail cannot be sent again." and outbox.notice == ""

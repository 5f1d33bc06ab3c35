"""What the page's polite live region says (SessionState.announcement): a sentence about what
arrived from someone else, in a live push only, once; never on a load or the tab's own action."""

from microgigs import live
from microgigs.services import engagements, notifications
from microgigs.state.workspace import EngagementState
from tests.unit.state_harness import run_handler, session_token, state_for


def _pushed(state) -> None:
    """Run the page's reload as a live push does (live._push sets the same flag)."""
    flag = live._pushing.set(True)
    try:
        state._live_reload()
    finally:
        live._pushing.reset(flag)


def test_the_service_says_one_notification_in_its_own_words_and_several_by_count(app_db, make):
    student = make.student("Ada Student")
    assert notifications.latest_id(app_db, student) == 0
    first = notifications.notify(app_db, student.id, "x", "You are accepted for Logo")
    app_db.flush()
    assert notifications.announcement(app_db, student, 0) == "You are accepted for Logo"
    assert notifications.announcement(app_db, student, first.id) == ""
    notifications.notify(app_db, student.id, "x", "New message from Bo on Logo")
    app_db.flush()
    assert notifications.announcement(app_db, student, 0) == "2 new notifications: You are accepted for Logo; New message from Bo on Logo"
    for n in range(2):
        notifications.notify(app_db, student.id, "x", f"Message {n}")
    app_db.flush()
    assert notifications.announcement(app_db, student, 0) == "4 new notifications. The newest: Message 1"
    # Someone else's notifications are never counted.
    other = make.student("Other")
    notifications.notify(app_db, other.id, "x", "Not yours")
    app_db.flush()
    assert notifications.latest_id(app_db, student) == first.id + 3


def test_a_push_announces_a_new_submission_once_and_a_load_or_own_action_says_nothing(app_db, make):
    hired = make.hired(title="Logo design")
    manager = hired.employer.manager
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    page = state_for(EngagementState, url, session_token(app_db, manager), client_token="manager-tab")
    run_handler("load_engagement", page)
    assert page.announcement == ""

    _pushed(page)  # a push with nothing new for this person (say, an unrelated change)
    assert page.announcement == ""

    engagements.submit_deliverable(app_db, hired.student, hired.engagement.id, "A first full version of the logo, in SVG.")
    app_db.commit()
    _pushed(page)
    sentence = f"New submission (v1) from {hired.student.display_name} on Logo design"
    assert page.announcement == sentence

    # A second push about the same change, or another one with nothing new: the sentence stays,
    # no second announcement (the region's text does not change).
    page.parent_state.dirty_vars.clear()
    _pushed(page)
    assert page.announcement == sentence
    assert "announcement" not in page.parent_state.dirty_vars

    # The tab loads again (a reload, or the manager's own action): nothing to announce.
    run_handler("load_engagement", page)
    assert page.announcement == ""
    _pushed(page)
    assert page.announcement == ""
    live.reset()


def test_the_region_forgets_the_last_person_when_nobody_is_signed_in(app_db, make):
    hired = make.hired(title="Logo design")
    app_db.commit()
    page = state_for(EngagementState, f"/engagements/{hired.engagement.id}", session_token(app_db, hired.student))
    run_handler("load_engagement", page)
    assert page._announced_for == hired.student.id
    anonymous = state_for(EngagementState, f"/engagements/{hired.engagement.id}")
    run_handler("load_engagement", anonymous)
    assert anonymous.announcement == "" and anonymous._announced_through == -1

"""The workspace's new handlers (messages, due-date requests, cancel) and the notification
center, through their Reflex states without a browser; each refused to outsiders."""

from datetime import timedelta

from microgigs import live
from microgigs.models import Engagement
from microgigs.services import notifications
from microgigs.state.engagement import EngagementState
from microgigs.state.notifications import NotificationsState
from tests.unit.state_harness import run_handler as _run
from tests.unit.state_harness import session_token as _token
from tests.unit.state_harness import state_for as _state


def test_the_thread_the_due_date_and_the_live_subscription(app_db, make):
    hired = make.hired()
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    live.reset()
    student = _state(EngagementState, url, _token(app_db, hired.student), client_token="tab-student")
    manager = _state(EngagementState, url, _token(app_db, hired.employer.manager), client_token="tab-manager")
    _run("load_engagement", student)
    _run("load_engagement", manager)
    # Each tab follows the engagement and its own person (for the header counter).
    assert live.subscribers(f"engagement:{hired.engagement.id}") == {"tab-student", "tab-manager"}
    assert "tab-student" in live.subscribers(f"user:{hired.student.id}")

    _run("post_message", student, {"body": "   "})
    assert student.message_errors == {"body": "Write a message first."}
    _run("post_message", student, {"body": "Which encoding is the export in?"})
    assert student.message_errors == {} and [m.body for m in student.view.messages] == ["Which encoding is the export in?"]
    manager._live_reload()  # what a push does
    assert manager.view.messages[0].author == hired.student.display_name and not manager.view.messages[0].mine

    new_due = (hired.engagement.due_date + timedelta(days=4)).isoformat()
    _run("request_extension", student, {"new_due_date": "not a date", "reason": "Late data."})
    assert student.extension_errors == {"new_due_date": "Enter the new due date."}
    _run("request_extension", student, {"new_due_date": new_due, "reason": "Late data."})
    assert not student.can_request_extension and student.view.extensions[0].status == "pending"
    manager._live_reload()
    assert manager.view.extensions[0].viewer_may_answer
    _run("answer_extension", student, manager.view.extensions[0].id, True)  # not theirs to answer
    assert "other side" in student.extension_errors["form"]
    _run("answer_extension", manager, manager.view.extensions[0].id, True)
    assert manager.view.due_date == new_due and manager.notice == "Due date changed."
    live.reset()


def test_outsiders_cannot_message_extend_or_cancel(app_db, make):
    hired = make.hired()
    outsider, other_manager = make.student(), make.employer().manager
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    for person in (outsider, other_manager):
        state = _state(EngagementState, url, _token(app_db, person))
        _run("load_engagement", state)
        assert not state.found
        _run("post_message", state, {"body": "Let me in"})
        assert state.message_errors == {"form": "That engagement was not found."}
        _run("request_extension", state, {"new_due_date": "2099-01-01", "reason": "x"})
        assert state.extension_errors
        _run("cancel_engagement", state, {"reason": ""})
        assert state.cancel_errors == {"form": "That engagement was not found."}
    student = _state(EngagementState, url, _token(app_db, hired.student))
    _run("load_engagement", student)
    assert not student.view.viewer_may_cancel
    _run("cancel_engagement", student, {"reason": ""})
    assert "Only the gig's managers" in student.cancel_errors["form"]
    app_db.expire_all()
    assert app_db.get(Engagement, hired.engagement.id).status == "active"
    # Signed out: sent to sign in, nothing done.
    signed_out = _state(EngagementState, url)
    assert _run("post_message", signed_out, {"body": "hello"}) is not None
    assert _run("cancel_engagement", signed_out, {}) is not None


def test_the_manager_cancels_from_the_workspace(app_db, make):
    hired = make.hired()
    app_db.commit()
    manager = _state(EngagementState, f"/engagements/{hired.engagement.id}", _token(app_db, hired.employer.manager))
    _run("load_engagement", manager)
    assert manager.view.viewer_may_cancel
    _run("cancel_engagement", manager, {"reason": "x" * 501})
    assert manager.cancel_errors == {"reason": "Use at most 500 characters."}
    _run("cancel_engagement", manager, {"reason": "Budget frozen."})
    assert manager.view.status == "cancelled" and not manager.view.viewer_may_cancel


def test_notification_center_lists_marks_one_and_all(app_db, make):
    hired = make.hired()
    notifications.notify(app_db, hired.student.id, "test", "Second thing", "/dashboard")
    app_db.commit()
    state = _state(NotificationsState, "/notifications", _token(app_db, hired.student))
    _run("load_notifications", state)
    assert state.unread_notifications == 2 and len(state.items) == 2
    _run("mark_read", state, state.items[0].id)
    assert state.unread_notifications == 1
    other = _state(NotificationsState, "/notifications", _token(app_db, make.student()))
    _run("load_notifications", other)
    _run("mark_read", other, state.items[1].id)  # someone else's
    assert other.error == "That notification was not found."
    _run("mark_all_read", state)
    assert state.unread_notifications == 0 and not any(n.unread for n in state.items)

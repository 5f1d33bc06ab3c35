"""The workspace's new handlers (messages, due-date requests, cancel) and the notification
center, through their Reflex states without a browser; each refused to outsiders."""

from datetime import timedelta

from microgigs import i18n, live
from microgigs.models import Engagement
from microgigs.services import notifications
from microgigs.state.notifications import NotificationsState
from microgigs.state.workspace import CancelForm, EngagementState, ExtensionForm, MessageForm
from tests.unit.state_harness import form_of
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

    thread = form_of(student, MessageForm)
    _run("post_message", thread, {"body": "   "})
    assert thread.errors == {"body": "Write a message first."}
    _run("post_message", thread, {"body": "Which encoding is the export in?"})
    assert thread.errors == {} and [m.body for m in student.view.messages] == ["Which encoding is the export in?"]
    manager._live_reload()  # what a push does
    assert manager.view.messages[0].author == hired.student.display_name and not manager.view.messages[0].mine

    new_due_day = hired.engagement.due_date + timedelta(days=4)
    new_due = new_due_day.isoformat()
    due_date = form_of(student, ExtensionForm)
    _run("request_extension", due_date, {"new_due_date": "not a date", "reason": "Late data."})
    assert due_date.errors == {"new_due_date": "Enter the new due date."}
    _run("request_extension", due_date, {"new_due_date": new_due, "reason": "Late data."})
    assert not student.can_request_extension and student.view.extensions[0].status == "pending"
    manager._live_reload()
    assert manager.view.extensions[0].viewer_may_answer
    _run("answer_extension", due_date, manager.view.extensions[0].id, True)  # not theirs to answer
    assert "other side" in due_date.errors["form"]
    _run("answer_extension", form_of(manager, ExtensionForm), manager.view.extensions[0].id, True)
    assert manager.view.due_date == i18n.format_date(new_due_day, "en") and manager.notice == "Due date changed."
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
        thread, due_date, cancel = form_of(state, MessageForm), form_of(state, ExtensionForm), form_of(state, CancelForm)
        _run("post_message", thread, {"body": "Let me in"})
        assert thread.errors == {"form": "That engagement was not found."}
        _run("request_extension", due_date, {"new_due_date": "2099-01-01", "reason": "x"})
        assert due_date.errors
        _run("cancel_engagement", cancel, {"reason": ""})
        assert cancel.errors == {"form": "That engagement was not found."}
    student = _state(EngagementState, url, _token(app_db, hired.student))
    _run("load_engagement", student)
    assert not student.can_cancel
    cancel = form_of(student, CancelForm)
    _run("cancel_engagement", cancel, {"reason": ""})
    assert "Only the gig's managers" in cancel.errors["form"]
    app_db.expire_all()
    assert app_db.get(Engagement, hired.engagement.id).status == "active"
    # Signed out: sent to sign in, nothing done.
    signed_out = _state(EngagementState, url)
    assert _run("post_message", form_of(signed_out, MessageForm), {"body": "hello"}) is not None
    assert _run("cancel_engagement", form_of(signed_out, CancelForm), {}) is not None


def test_the_manager_cancels_from_the_workspace(app_db, make):
    hired = make.hired()
    app_db.commit()
    manager = _state(EngagementState, f"/engagements/{hired.engagement.id}", _token(app_db, hired.employer.manager))
    _run("load_engagement", manager)
    assert manager.can_cancel
    cancel = form_of(manager, CancelForm)
    _run("cancel_engagement", cancel, {"reason": "x" * 501})
    assert cancel.errors == {"reason": "Use at most 500 characters."}
    _run("cancel_engagement", cancel, {"reason": "Budget frozen."})
    assert manager.view.status == "cancelled" and not manager.can_cancel


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

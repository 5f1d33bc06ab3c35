"""Shared computers, on the server: a tab's Reflex state belongs to the person it was built for.

Each test drives one tab's websocket events through Reflex's real event processor (and so the
app's middleware), as the browser sends them: a manager opens a gig's applicants (their names,
emails and schools arrive), then someone else is behind the same tab's cookie. Nothing the
tab receives from then on may hold the manager's page data. Every test runs with the
in-memory state manager and with Redis's (Debian's redis-server on a free port), which loads
only the substates an event needs, with and without its opportunistic lock (as several workers
run it: the tab's state kept in the worker between events).
"""

import re
import shutil
from datetime import timedelta

import pytest
import reflex as rx
from redis.asyncio import Redis
from reflex.istate.data import RouterData
from reflex.istate.manager.redis import StateManagerRedis
from sqlmodel import select

from microgigs import live
from microgigs.models import AuthSession, utcnow
from microgigs.services import accounts
from microgigs.state.board import BoardState
from microgigs.state.manage_gig import ManageGigState
from microgigs.state.notifications import NotificationsState
from microgigs.state.tab_identity import NOBODY, TabIdentityState, _reset_tree, person_behind
from tests.integration.test_live_redis import redis_url  # noqa: F401  (a fixture: a throwaway redis-server)
from tests.unit.state_harness import session_token
from tests.unit.tab_harness import Tabs, cookie_for


@pytest.fixture(params=["memory", "redis", "redis, opportunistic lock"])
def tabs(request, app_db, monkeypatch):
    if request.param.startswith("redis"):
        if shutil.which("redis-server") is None:
            pytest.skip("redis-server is not installed (apt-get install redis-server)")
        url = request.getfixturevalue("redis_url")
        # As several workers run (microgigs/state_store.py): the worker keeps the tab's state
        # between events while it holds the tab's lock.
        monkeypatch.setenv("REFLEX_OPLOCK_ENABLED", "true" if "lock" in request.param else "false")
        tabs = Tabs(lambda: StateManagerRedis(redis=Redis.from_url(url)))
    else:
        tabs = Tabs()
    live.reset()
    yield tabs
    tabs.close()
    live.reset()


@pytest.fixture
def hiring(app_db, make):
    """A manager's gig (no blind review) with one applicant whose details the manager sees."""
    employer = make.employer(manager_name="Magnus Manager")
    applicant = make.student(
        name="Octavia Vandermeer", email="octavia@ivy-elite.example.edu", school="Ivy Elite University", major="Astrophysics"
    )
    gig = make.gig(employer, title="Chart the survey", blind_review=False)
    make.apply(applicant, gig, note="I charted our student union survey last spring.")
    student = make.student(name="Sam Student")
    app_db.commit()
    return {
        "manager": employer.manager,
        "student": student,
        "gig": gig,
        "secrets": [
            "Octavia Vandermeer",
            "octavia@ivy-elite.example.edu",
            "Ivy Elite University",
            "Astrophysics",
            "student union survey",
            "Magnus Manager",
        ],
    }


def _leaked(frames: list[str], secrets: list[str]) -> list[str]:
    return [s for s in secrets if any(s in frame for frame in frames)]


def _managers_tab(tabs, app_db, hiring):
    """A tab where the manager has the gig's applicants open; returns (tab, manager's cookie)."""
    cookie = cookie_for(session_token(app_db, hiring["manager"]))
    tab = tabs.new_tab()
    frames = tab.open(f"/manage/gigs/{hiring['gig'].id}", cookie)
    # The manager's page data did reach this tab (so the checks below can see it if it leaks).
    assert _leaked(frames, hiring["secrets"]) == hiring["secrets"]
    return tab, cookie


def test_a_page_load_after_another_person_signs_in_carries_none_of_the_previous_persons_data(tabs, app_db, hiring):
    tab, _ = _managers_tab(tabs, app_db, hiring)

    student_cookie = cookie_for(session_token(app_db, hiring["student"]))
    frames = tab.open("/dashboard", student_cookie)

    assert frames, "the page load sent nothing"
    assert _leaked(frames, hiring["secrets"]) == []
    assert any("Sam Student" in frame for frame in frames), "the dashboard was not drawn for the student"
    assert tab.state(ManageGigState).applicants == []
    assert tab.state(TabIdentityState)._built_for == f"user:{hiring['student'].id}"


def test_a_page_load_after_signing_out_carries_none_of_the_previous_persons_data(tabs, app_db, hiring):
    tab, _ = _managers_tab(tabs, app_db, hiring)

    frames = tab.open("/", cookie_for(None))

    assert _leaked(frames, hiring["secrets"]) == []
    assert tab.state(ManageGigState).gig_title == ""
    assert tab.state(TabIdentityState)._built_for == NOBODY


@pytest.mark.parametrize("how", ["revoked", "expired"])
def test_a_revoked_or_expired_session_behind_the_same_cookie_counts_as_nobody(tabs, app_db, hiring, how):
    tab, cookie = _managers_tab(tabs, app_db, hiring)
    row = app_db.exec(select(AuthSession).where(AuthSession.user_id == hiring["manager"].id)).one()
    if how == "revoked":
        row.revoked_at = utcnow()  # e.g. "sign out everywhere" from the manager's phone
    else:
        row.expires_at = utcnow() - timedelta(minutes=1)
    app_db.add(row)
    app_db.commit()

    frames = tab.open(f"/manage/gigs/{hiring['gig'].id}", cookie)

    assert _leaked(frames, hiring["secrets"]) == []
    assert tab.state(ManageGigState).applicants == []


def test_an_open_tabs_next_event_is_not_run_for_someone_else_and_clears_the_page(tabs, app_db, hiring):
    """Another tab of the same browser signed the manager out: this tab's socket still shows the
    applicants. Its next click must not act (nor answer with the manager's data): the page is
    cleared and reloads."""
    tab, cookie = _managers_tab(tabs, app_db, hiring)
    accounts.end_session(app_db, cookie.split("=", 1)[1])
    app_db.commit()
    application_id = tab.state(ManageGigState).applicants[0].application_id

    frames = tab.send(ManageGigState.shortlist, f"/manage/gigs/{hiring['gig'].id}", cookie, application_id=application_id)

    assert _leaked(frames, hiring["secrets"]) == []
    assert any("window.location.reload()" in frame for frame in frames), "the tab was not told to load its page again"
    assert any(re.search(r'"applicants_rx_state_": ?\[\]', frame) for frame in frames), "the drawn applicants were not cleared"
    # The click did nothing: the handler never ran (its notice would say so).
    assert tab.state(ManageGigState).notice == ""


def test_the_same_person_keeps_their_tabs_state(tabs, app_db, hiring):
    tab, cookie = _managers_tab(tabs, app_db, hiring)

    tab.open("/dashboard", cookie)

    assert len(tab.state(ManageGigState).applicants) == 1, "a tab of the same person was reset"


def test_each_tab_is_checked_on_its_own(tabs, app_db, hiring):
    managers, manager_cookie = _managers_tab(tabs, app_db, hiring)
    students = tabs.new_tab()
    students.open("/dashboard", cookie_for(session_token(app_db, hiring["student"])))

    assert len(managers.state(ManageGigState).applicants) == 1
    assert students.state(ManageGigState).applicants == []
    assert managers.state(TabIdentityState)._built_for == f"user:{hiring['manager'].id}"
    assert _leaked(managers.open("/dashboard", manager_cookie), ["Sam Student"]) == []


def test_person_behind_reads_only_a_live_session(app_db, make):
    user = make.student()
    token = session_token(app_db, user)
    assert person_behind(cookie_for(token)) == f"user:{user.id}"
    assert person_behind("") == NOBODY
    assert person_behind(cookie_for("not-a-session")) == NOBODY
    assert person_behind("other=1; " + cookie_for(token)) == f"user:{user.id}"


def test_an_event_for_a_page_that_loads_little_state_still_resets_every_substate(tabs, app_db, hiring):
    """An event of a leaf page state loads only that state's part of the tree under Redis; the
    in-memory manager holds it all. Either way the manager's applicants must be gone after it."""
    tab, _cookie = _managers_tab(tabs, app_db, hiring)

    frames = tab.send(NotificationsState.load_notifications, "/notifications", cookie_for(session_token(app_db, hiring["student"])))

    assert _leaked(frames, hiring["secrets"]) == []
    assert tab.state(ManageGigState).applicants == []


def _tree(state):
    yield state
    for substate in state.substates.values():
        yield from _tree(substate)


def test_starting_a_tab_anew_sets_again_only_what_it_held():
    """A new tab's state holds nothing but defaults: starting it anew sets none of the app's fields
    again, so the state manager is not handed every substate to store (issue 17: a page load's
    CPU); what the tab did hold goes back to its default, router data aside."""
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"pathname": "/", "token": "tab-1"})
    board = root.get_substate(BoardState.get_full_name().split(".")[1:])
    board.query = "left by the last person"
    board.cards = []
    for state in _tree(root):
        state._was_touched = False

    _reset_tree(root)

    assert board.query == ""
    assert root.router.session.client_token == "tab-1"
    assert {type(state) for state in _tree(root) if state._was_touched} == {BoardState}

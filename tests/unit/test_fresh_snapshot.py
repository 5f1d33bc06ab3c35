"""A new tab's snapshot skips the page states it never used (state/fresh_snapshot.py): what
reaches the browser — the snapshot less what the built page already holds — is the same as
Reflex's own on every page, for visitors' tabs and for tabs that already showed something."""

import asyncio
import contextvars
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from reflex.istate.data import RouterData
from reflex.state import BaseState, State, _diff_against_initial_state, _resolve_delta, state_snapshot_hashes

from microgigs.state import fresh_snapshot
from microgigs.state.board import BoardState
from microgigs.state.gig_detail import GigDetailState
from microgigs.state.session import SessionState


def _run(make_coroutine):
    """asyncio.run in a thread of its own: the browser tests leave an event loop running in this
    one (Playwright's), where asyncio.run refuses to start."""
    result = {}

    def run():
        try:
            result["value"] = asyncio.run(make_coroutine())
        except BaseException as error:  # re-raised in the test's thread
            result["error"] = error

    context = contextvars.copy_context()  # Reflex's registration context, in the thread too
    thread = threading.Thread(target=context.run, args=(run,))
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def _routes() -> list[str]:
    from microgigs.microgigs import app  # defines every state and installs the snapshot

    return sorted(app._unevaluated_pages)


def _url(route: str) -> str:
    """The route with its [params] filled in, as a browser would ask for it."""
    return "/" + re.sub(r"\[\[?\.{0,3}(\w+)\]?\]", "7", route.lstrip("/")) if route != "index" else "/"


def _tab(path: str, token: str = "tab-1", query: str = "") -> State:
    root = State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {"pathname": path, "asPath": path + (f"?{query}" if query else ""), "query": {}, "token": token}
    )
    return root


def _what_the_browser_gets(root: State, ours: bool) -> dict:
    """The hydrate's snapshot less what the built page holds, by our snapshot or Reflex's own."""
    if not ours:
        SessionState.dict = BaseState.dict  # Reflex's own, for this one snapshot
    # What the middleware notes for a first page load onto the built defaults.
    noted = fresh_snapshot._browser_holds_the_defaults.set(True)
    try:
        snapshot = root.dict()
    finally:
        fresh_snapshot._browser_holds_the_defaults.reset(noted)
        fresh_snapshot.install(SessionState)

    async def diff():
        initial = await _resolve_delta(State(_reflex_internal_init=True).dict(initial=True))
        return await _diff_against_initial_state(State, await _resolve_delta(snapshot), state_snapshot_hashes(initial))

    return _run(diff)


def test_the_snapshot_is_installed_on_every_page_state():
    _routes()
    assert SessionState.dict is BoardState.dict is GigDetailState.dict
    assert SessionState.dict is not BaseState.dict


@pytest.mark.parametrize("route", _routes())
def test_a_new_tab_gets_what_reflex_would_send_on_every_page(route):
    ours = _what_the_browser_gets(_tab(_url(route)), ours=True)
    reflex_own = _what_the_browser_gets(_tab(_url(route)), ours=False)
    assert ours == reflex_own
    assert ours  # the router data at least: a snapshot that drops everything would pass otherwise


def _tree(state):
    yield state
    for substate in state.substates.values():
        yield from _tree(substate)


def test_a_tab_that_showed_something_gets_reflexs_own_snapshot_of_it():
    root = _tab("/")
    board = next(s for s in _tree(root) if isinstance(s, BoardState))
    session = next(s for s in _tree(root) if type(s) is SessionState)
    board.query = "survey"
    board.page_links = [{"number": "1", "href": "/?q=survey", "current": "true"}]
    session.user_name = "Maya Chen"
    ours = _what_the_browser_gets(root, ours=True)
    assert ours == _what_the_browser_gets(root, ours=False)
    assert ours[BoardState.get_full_name()]["query_rx_state_"] == "survey"
    assert ours[SessionState.get_full_name()]["user_name_rx_state_"] == "Maya Chen"


def test_only_a_state_that_never_held_a_field_counts_as_holding_only_defaults():
    root = _tab("/")
    board = next(s for s in _tree(root) if isinstance(s, BoardState))
    assert fresh_snapshot.holds_only_defaults(board)
    _ = board.cards  # a read fills the field in with its default
    assert not fresh_snapshot.holds_only_defaults(board)


def test_a_page_state_never_used_still_sends_computed_vars_that_read_the_person_signed_in():
    from microgigs.state.profile import ProfileState

    root = _tab("/profile")
    session = next(s for s in _tree(root) if type(s) is SessionState)
    session.user_id, session.user_role, session.user_name = 5, "student", "Maya Chen"
    profile = next(s for s in _tree(root) if isinstance(s, ProfileState))
    assert fresh_snapshot.holds_only_defaults(profile)
    ours = _what_the_browser_gets(root, ours=True)
    assert ours == _what_the_browser_gets(root, ours=False)
    # Computed from the signed-in person's id (a field of SessionState), not a default.
    assert ours[ProfileState.get_full_name()]["photo_src_rx_state_"] == "/photos/5?v=0"
    assert ours[SessionState.get_full_name()]["is_student_rx_state_"] is True


def test_only_computed_vars_that_read_their_own_states_fields_are_left_to_the_built_page():
    from microgigs.state.profile import ProfileState

    not_built_in = fresh_snapshot.computed_vars_not_built_in
    from microgigs.state.manage_gig import ManageGigState

    assert "gig_href" not in not_built_in(ManageGigState)  # reads only ManageGigState's own fields
    assert "count_text" in not_built_in(BoardState)  # is written in the viewer's language (SessionState's)
    assert "photo_src" in not_built_in(ProfileState)  # reads the signed-in person's id (SessionState)
    assert "signed_in" not in not_built_in(SessionState)
    # Every state: what is left out would be sent by Reflex with the value the built page holds.
    for state_cls in _tree_classes(State):
        pristine = next(s for s in _tree(_tab("/")) if type(s) is state_cls)
        compiled = State(_reflex_internal_init=True).dict(initial=True).get(state_cls.get_full_name(), {})
        for name, var in state_cls.computed_vars.items():
            if not var._backend and name not in not_built_in(state_cls):
                assert pristine.get_value(name) == compiled[name + "_rx_state_"], (state_cls, name)


def _tree_classes(state_cls):
    yield state_cls
    for substate in state_cls.get_substates():
        yield from _tree_classes(substate)


# A state of its own with each kind of computed var, made in a process of its own: Reflex's app
# refuses a second root state, and a new state class would change the tree the app's tests see.
_REPO = Path(__file__).resolve().parents[2]
_PROBE = """
import json
import reflex as rx
from reflex.state import BaseState
from microgigs.state import fresh_snapshot

class Probe(BaseState):
    title: str = "Clean a data set"

    @rx.var
    def heading(self) -> str:
        return self.title.upper()

    @rx.var
    def heading_length(self) -> int:  # reads a computed var that reads a field
        return len(self.heading)

    @rx.var(cache=False)
    def uncached(self) -> str:  # recomputed on every snapshot by Reflex
        return self.title

    @rx.var
    def path(self) -> str:  # reads the router data, another state's
        return self.router.url.path

print(json.dumps(fresh_snapshot.computed_vars_not_built_in(Probe)))
"""


def test_uncached_vars_and_vars_reading_the_router_are_computed_for_a_fresh_snapshot():
    found = subprocess.run([sys.executable, "-c", _PROBE], cwd=_REPO, capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(found.stdout.splitlines()[-1]) == ["path", "uncached"]


def _compiled_hashes() -> list[str]:
    async def snapshot():
        return await _resolve_delta(State(_reflex_internal_init=True).dict(initial=True))

    return state_snapshot_hashes(_run(snapshot))


def _page_loads(app_db, make, path_of, ours: bool) -> tuple[list[list[str]], int]:
    """First page loads through Reflex's real event processor and the app's middleware: a
    visitor's board and gig page and a reconnect (no hashes); the frames each got, and how many
    states took the short snapshot."""
    from tests.unit.tab_harness import Tabs

    used = []
    real = fresh_snapshot.computed_only_snapshot

    def counted(state, **kwargs):
        used.append(type(state).__name__)
        return real(state, **kwargs)

    fresh_snapshot.computed_only_snapshot = counted
    if not ours:
        SessionState.dict = BaseState.dict
    tabs = Tabs()
    try:
        tabs.new_tab().open("/", "", hashes=_compiled_hashes())  # Reflex's first hydrate caches its defaults
        frames = [
            tabs.new_tab().open("/", "", hashes=_compiled_hashes()),
            tabs.new_tab().open(path_of, "", hashes=_compiled_hashes()),
            tabs.new_tab().open("/", ""),  # a reconnecting tab sends no hashes
        ]
    finally:
        tabs.close()
        fresh_snapshot.computed_only_snapshot = real
        fresh_snapshot.install(SessionState)
    # Tokens differ per tab: compare the frames with each tab's token taken out.
    return [[re.sub(r"tab-\d+", "TAB", frame) for frame in page] for page in frames], len(used)


def test_through_reflexs_event_processor_a_first_page_load_gets_the_same_frames(app_db, make):
    gig = make.gig(make.employer("Northwind Analytics"), title="Clean a survey data set")
    app_db.commit()
    ours, short = _page_loads(app_db, make, f"/gigs/{gig.id}", ours=True)
    reflex_own, none = _page_loads(app_db, make, f"/gigs/{gig.id}", ours=False)
    assert ours == reflex_own
    assert "Clean a survey data set" in "".join(ours[0]) + "".join(ours[1])
    assert short > 40 and none == 0  # the middleware's word reached the snapshot, and only then


def test_a_reconnecting_tab_and_a_page_built_from_other_code_get_reflexs_whole_snapshot(app_db):
    from tests.unit.tab_harness import Tabs

    used = []
    real = fresh_snapshot.computed_only_snapshot
    fresh_snapshot.computed_only_snapshot = lambda state, **kwargs: used.append(state) or real(state, **kwargs)
    tabs = Tabs()
    try:
        tabs.new_tab().open("/", "", hashes=_compiled_hashes())  # Reflex's first hydrate caches its defaults
        used.clear()
        tabs.new_tab().open("/", "")  # a reconnect: the browser shows what it showed, not the defaults
        other_build = _compiled_hashes()
        other_build[3] = "0123456789abcdef"  # one state's defaults differ in the built page
        tabs.new_tab().open("/", "", hashes=other_build)
        assert used == []
        tabs.new_tab().open("/", "", hashes=_compiled_hashes())
        assert len(used) > 40
    finally:
        tabs.close()
        fresh_snapshot.computed_only_snapshot = real

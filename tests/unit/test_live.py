"""Change notices and the live registry, without a browser.

What a committed transaction touched becomes topics (engagement:N, gig:N, user:N);
a rollback publishes nothing; `live` keeps topic -> tabs, replaces a tab's subscription
when it shows another page, and pushes only to the tabs that show a changed thing.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from microgigs import live
from microgigs.services import changes, engagements, notifications
from microgigs.services.errors import DomainError


@pytest.fixture
def published():
    seen: list[frozenset[str]] = []
    changes.add_listener(seen.append)
    yield seen
    changes.remove_listener(seen.append)


def test_a_committed_submission_names_the_engagement_its_gig_and_both_people(session, make, published):
    hired = make.hired()
    session.commit()
    published.clear()
    make.submit(hired)
    session.commit()
    assert len(published) == 1
    topics = published[0]
    e = hired.engagement
    assert {f"engagement:{e.id}", f"gig:{e.gig_id}", f"user:{e.student_id}", f"user:{hired.employer.manager.id}"} <= topics


def test_a_rolled_back_change_publishes_nothing(session, make, published):
    hired = make.hired()
    session.commit()
    published.clear()
    with pytest.raises(DomainError):
        engagements.approve(session, hired.employer.manager, hired.engagement.id)  # nothing submitted
    session.rollback()
    session.commit()
    assert published == []


def test_a_message_reaches_the_engagement_and_notifies_the_other_side(session, make, published):
    hired = make.hired()
    session.commit()
    published.clear()
    engagements.post_message(session, hired.student, hired.engagement.id, "  Quick question about the CSV encoding?  ")
    session.commit()
    assert f"engagement:{hired.engagement.id}" in published[0]
    assert f"user:{hired.employer.manager.id}" in published[0]
    assert notifications.unread_count(session, hired.employer.manager) >= 1
    assert notifications.unread_count(session, hired.student) == 1  # only the acceptance, not their own message


def test_messages_refuse_empty_too_long_and_outsiders(session, make):
    hired = make.hired()
    outsider = make.student()
    other_manager = make.employer().manager
    with pytest.raises(DomainError) as empty:
        engagements.post_message(session, hired.student, hired.engagement.id, "   ")
    assert empty.value.field == "body"
    with pytest.raises(DomainError) as long:
        engagements.post_message(session, hired.student, hired.engagement.id, "x" * 2001)
    assert long.value.field == "body"
    for who in (outsider, other_manager):
        with pytest.raises(DomainError, match="not found"):
            engagements.post_message(session, who, hired.engagement.id, "Hello there, may I join?")


def test_notification_center_marks_only_your_own_notifications(session, make):
    from microgigs.services import dashboards

    hired = make.hired()
    other = make.student()
    rows = dashboards.notification_center(session, hired.student)
    assert rows and rows[0].unread and rows[0].link.startswith("/engagements/")
    with pytest.raises(DomainError, match="not found"):
        notifications.mark_read(session, other, rows[0].id)
    notifications.mark_read(session, hired.student, rows[0].id)
    assert notifications.unread_count(session, hired.student) == 0


def test_live_replaces_a_tabs_subscription_and_pushes_only_to_watchers(monkeypatch):
    live.reset()

    class PageA:
        pass

    class PageB:
        pass

    live.subscribe("tab-1", PageA, {"engagement:1", "user:7"})
    live.subscribe("tab-2", PageA, {"engagement:2"})
    live.subscribe("tab-1", PageB, {"gig:3"})  # tab 1 moved to another page
    assert live.subscribers("engagement:1") == set()
    assert live.subscribers("gig:3") == {"tab-1"}

    pushed: list[tuple[str, type]] = []

    monkeypatch.setattr(live, "_loop", None)

    async def scenario():
        monkeypatch.setattr(live, "_loop", asyncio.get_running_loop())
        monkeypatch.setattr(live, "_app", object())
        spawned = SpawnedPushes()
        monkeypatch.setattr(live, "_spawn", spawned)
        live.publish(frozenset({"gig:3", "engagement:9"}))
        pushed.extend(await spawned.all_started())

    run_async(scenario())
    assert pushed == [("tab-1", PageB)]
    live.reset()


def test_a_push_to_a_disconnected_tab_drops_it(monkeypatch):
    live.reset()

    class Page:
        pass

    class Namespace:
        _token_manager = SimpleNamespace(token_to_socket={})

    class App:
        event_namespace = Namespace()

    monkeypatch.setattr(live, "_app", App())
    live.subscribe("gone", Page, {"user:1"})
    run_async(live._push("gone", Page))
    assert live.subscribers("user:1") == set()
    live.reset()


def test_a_tab_counts_as_connected_while_reflexs_namespace_holds_its_socket(monkeypatch):
    from microgigs.microgigs import app

    monkeypatch.setattr(live, "_app", app)
    tokens = app.event_namespace._token_manager
    run_async(tokens.link_token_to_sid("tab-connected", "sid-connected"))
    try:
        assert live._connected("tab-connected")
        assert not live._connected("tab-never-seen")
    finally:
        run_async(tokens.disconnect_token("tab-connected", "sid-connected"))
    assert not live._connected("tab-connected")


def run_async(coroutine) -> None:
    """asyncio.run in a thread of its own: the browser tests' Playwright keeps a loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


class SpawnedPushes(list):
    """Stands in for live._spawn: records (token, page class) instead of starting a push."""

    MARKER = "marker-tab"

    def __init__(self):
        super().__init__()
        self.marker_seen = asyncio.Event()

    def __call__(self, token: str, cls: type) -> None:
        self.append((token, cls))
        if token == self.MARKER:
            self.marker_seen.set()

    async def all_started(self) -> list[tuple[str, type]]:
        """Every push scheduled so far, bounded by a positive event: a marker change published
        last, whose push starts after all of them (pushes start in the order they were
        scheduled). The marker's own push is left out."""

        class Marker:
            pass

        live.subscribe(self.MARKER, Marker, {"marker:1"})
        live.publish(frozenset({"marker:1"}))
        await asyncio.wait_for(self.marker_seen.wait(), timeout=10)
        assert self[-1] == (self.MARKER, Marker)
        return self[:-1]


async def pushes_finished() -> None:
    """Until every push task started so far has run to its end (a commit made on the app's loop
    starts its push tasks at once, see live._deliver_local)."""
    await asyncio.wait_for(asyncio.gather(*list(live._running)), timeout=10)


class _FakeApp:
    """Just enough of rx.App for live._push: a connected namespace and modify_state."""

    def __init__(self, state):
        from contextlib import asynccontextmanager

        self.state = state

        class Namespace:
            _token_manager = SimpleNamespace(token_to_socket={"tab-1": "a socket record"})

        self.event_namespace = Namespace()

        @asynccontextmanager
        async def modify_state(_token):
            class Root:
                async def get_state(_self, _cls):
                    return state

            yield Root()

        self.modify_state = modify_state


def counting_page(monkeypatch):
    """A page class whose live reloads are counted, behind a fake app; the loop is set by the test."""
    import reflex as rx

    live.reset()

    class Page:
        reloads = 0

        def _live_reload(self):
            Page.reloads += 1

    monkeypatch.setattr(rx, "BaseStateToken", lambda **kwargs: kwargs)
    monkeypatch.setattr(live, "_app", _FakeApp(Page()))
    monkeypatch.setattr(live, "_loop", None)
    return Page


def test_a_burst_of_commits_costs_a_waiting_tab_one_reload_not_many(monkeypatch):
    """Pushes still queued for a tab fold into one; a change after its reload began gets its own."""
    Page = counting_page(monkeypatch)
    live.subscribe("tab-1", Page, {"engagement:1"})
    before = live.stats["coalesced"]

    async def scenario():
        monkeypatch.setattr(live, "_loop", asyncio.get_running_loop())
        for _ in range(3):  # three commits before the loop gets to run the first push
            live.publish(frozenset({"engagement:1"}))
        await pushes_finished()
        assert Page.reloads == 1
        live.publish(frozenset({"engagement:1"}))  # a later change: a push of its own
        await pushes_finished()

    run_async(scenario())
    assert Page.reloads == 2
    assert live.stats["coalesced"] - before == 2
    assert live._queued == {}
    live.reset()


def test_a_push_to_a_page_that_read_after_the_change_is_skipped(monkeypatch):
    """The tab whose own event made the change reloads itself after the commit: the push queued
    for it at the commit then has nothing to add. A page that read before the change is reloaded."""
    import time

    Page = counting_page(monkeypatch)
    before = live.stats["skipped"]

    async def scenario():
        monkeypatch.setattr(live, "_loop", asyncio.get_running_loop())
        live.subscribe("tab-1", Page, {"engagement:1"}, read_at=time.monotonic())
        live.publish(frozenset({"engagement:1"}))  # a change after the page's read: pushed
        await pushes_finished()
        assert Page.reloads == 1
        live.publish(frozenset({"engagement:1"}))  # the tab's own commit ...
        live.subscribe("tab-1", Page, {"engagement:1"}, read_at=time.monotonic())  # ... and its own reload
        await pushes_finished()
        assert Page.reloads == 1  # skipped
        live.publish(frozenset({"engagement:1"}))
        live.subscribe("tab-1", Page, {"engagement:1"})  # a page that does not say when it read
        await pushes_finished()
        assert Page.reloads == 2

    run_async(scenario())
    assert live.stats["skipped"] - before == 1
    assert live._queued == {} and live._changed_at == {}
    live.reset()


def test_a_push_to_an_open_workspace_reads_it_in_few_queries(app_db, make):
    """What each push costs the database: the person behind the tab (session + user in one query,
    the unread count) and the workspace (no repeated look-ups)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from microgigs.state.workspace import EngagementState
    from tests.unit.state_harness import run_handler, session_token, state_for

    hired = make.hired()
    make.submit(hired)
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    counts = {}
    for who, person in (("student", hired.student), ("manager", hired.employer.manager)):
        state = state_for(EngagementState, url, session_token(app_db, person))
        run_handler("load_engagement", state)
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(Engine, "before_cursor_execute", count)
        try:
            state._live_reload()
        finally:
            event.remove(Engine, "before_cursor_execute", count)
        assert state.found and state.view.submissions
        counts[who] = len([s for s in statements if s.lstrip().upper().startswith("SELECT")])
    # student: session+user, unread, engagement, gig, employer+name, submissions, files, messages,
    # extensions, milestones, evidence sharing; a manager adds the gig's membership check (twice: may they see it, do
    # they manage it; it was four times, and the gig was read twice).
    assert counts["student"] <= 11, counts
    assert counts["manager"] <= 13, counts
    live.reset()


def test_a_tab_that_moved_to_another_page_is_not_folded_into_its_old_pages_push(monkeypatch):
    live.reset()

    class Workspace:
        pass

    class Dashboard:
        pass

    spawned: list[tuple[str, type]] = []
    monkeypatch.setattr(live, "_loop", None)

    async def scenario():
        monkeypatch.setattr(live, "_loop", asyncio.get_running_loop())
        monkeypatch.setattr(live, "_app", object())
        recorder = SpawnedPushes()
        monkeypatch.setattr(live, "_spawn", recorder)
        live.subscribe("tab-1", Workspace, {"engagement:1"})
        live.publish(frozenset({"engagement:1"}))  # queued, not started
        live.subscribe("tab-1", Dashboard, {"user:4"})  # the tab moves on before it runs
        live.publish(frozenset({"user:4"}))
        live.publish(frozenset({"user:4"}))  # this one folds into the dashboard's push
        spawned.extend(await recorder.all_started())

    run_async(scenario())
    assert spawned == [("tab-1", Workspace), ("tab-1", Dashboard)]
    live.reset()

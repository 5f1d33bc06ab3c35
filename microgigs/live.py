"""Change notices -> the connected sessions that show the changed thing.

- A page subscribes its session (client token) on load: `subscribe(token, StateClass, topics)`.
  One tab shows one page, so a new subscription replaces the tab's previous one.
- `microgigs.services.changes` collects the topics each committed transaction touched and
  hands them to `publish` (also callable by hand). `publish` may run in any thread: it
  schedules the pushes on the app's event loop.
- A push is `app.modify_state(token)` in its own asyncio task (never inline in an event
  handler: that can deadlock two sessions), calling the page state's `_live_reload()`, which
  reads what the page shows again from the database. Only the changed vars go out (Reflex
  sends a delta), so pushes stay small.
- Tokens whose websocket is gone are dropped at the next push; a page that reconnects runs
  its on_load again and so catches up.
- A commit made on the app's loop (in an event handler) starts its push tasks at once; a
  handler may `await settle(own_token)` to let them reach the other tabs' sockets before it
  does more (the approve reloads its own page only then). A push to a page that began reading
  the database after the change (`subscribe(..., read_at=...)`) is skipped: it shows it already.

One worker keeps topic -> tokens in memory. With several workers (`redis_url` set) each
worker keeps its own sockets' subscriptions, and notices are fanned out to every worker
over Redis pub/sub on channel `microgigs:live` (see `_redis_fanout`).
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import threading
import time
from collections import defaultdict
from typing import Any

from microgigs import settings, timings
from microgigs.services import changes

log = logging.getLogger("microgigs.live")
CHANNEL = "microgigs:live"

_lock = threading.Lock()
# topic -> tokens, and token -> (state class, topics) to replace/drop a tab's subscription.
_by_topic: dict[str, set[str]] = defaultdict(set)
_by_token: dict[str, tuple[type, frozenset[str]]] = {}
_app: Any = None
_loop: asyncio.AbstractEventLoop | None = None
_redis: Any = None
# After a failed publish, commits skip Redis (and deliver to this worker's tabs) until then.
REDIS_PAUSE_SECONDS = 5.0
_redis_down_until = 0.0
# Counted for tests and the benchmark.
stats = {"published": 0, "pushed": 0, "dropped": 0, "coalesced": 0, "skipped": 0}


def subscribe(token: str, state_cls: type, topics: set[str] | list[str], read_at: float | None = None) -> None:
    """This tab now shows `state_cls`'s page about `topics` (replacing what it showed).

    `read_at` (time.monotonic()) says when the page began reading what it shows from the
    database: a push for a change committed before then is skipped, as the page already shows
    it (e.g. the tab whose own event made the change and then reloaded itself)."""
    if not token:
        return
    wanted = frozenset(t for t in topics if t)
    with _lock:
        _forget(token)
        _by_token[token] = (state_cls, wanted)
        for topic in wanted:
            _by_topic[topic].add(token)
        if read_at is not None:
            _read_at[token] = read_at


def unsubscribe(token: str) -> None:
    with _lock:
        _forget(token)


def _forget(token: str) -> None:
    _read_at.pop(token, None)
    old = _by_token.pop(token, None)
    if old is None:
        return
    for topic in old[1]:
        tokens = _by_topic.get(topic)
        if tokens is not None:
            tokens.discard(token)
            if not tokens:
                del _by_topic[topic]


def subscribers(topic: str) -> set[str]:
    with _lock:
        return set(_by_topic.get(topic, ()))


def reset() -> None:
    """Forget every subscription (tests)."""
    global _redis_down_until
    with _lock:
        _by_topic.clear()
        _by_token.clear()
        _queued.clear()
        _read_at.clear()
        _changed_at.clear()
    _redis_down_until = 0.0


def publish(topics: frozenset[str] | set[str]) -> None:
    """Tell every tab showing one of `topics` to reload. Safe from any thread."""
    global _redis_down_until
    if not topics:
        return
    stats["published"] += 1
    if _redis is not None and time.monotonic() >= _redis_down_until:
        try:
            _redis.publish(CHANNEL, json.dumps(sorted(topics)))
            return  # every worker (this one too) delivers from the channel
        except Exception:
            # publish runs after a commit, often on the loop every tab shares: while Redis is
            # down, each commit would wait for it again. Tabs on this worker still get their push.
            _redis_down_until = time.monotonic() + REDIS_PAUSE_SECONDS
            log.exception("redis publish failed; delivering locally for %s s", REDIS_PAUSE_SECONDS)
    _deliver_local(topics)


def publish_client(url: str) -> Any:
    """The client `publish` uses: one attempt, answered within half a second or given up (redis-py
    would otherwise wait forever on a Redis that accepts and never answers)."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5, retry=Retry(NoBackoff(), 0))


def _deliver_local(topics) -> None:
    with _lock:
        targets = {token: _by_token[token][0] for topic in topics for token in _by_topic.get(topic, ()) if token in _by_token}
    if not targets or _loop is None or _app is None:
        return
    committed = time.monotonic()
    with _lock:
        # A tab whose push is scheduled but has not read the database yet will see this change
        # too: one push covers both (a burst of commits costs each tab one reload, not many).
        # Only a push for the same page: a tab that has moved on needs its new page reloaded.
        fresh = {token: cls for token, cls in targets.items() if _queued.get(token) is not cls}
        _queued.update(fresh)
        _changed_at.update({token: committed for token in targets})
        stats["coalesced"] += len(targets) - len(fresh)
    if timings.ENABLED:
        now = time.perf_counter()
        _scheduled_at.update({token: now for token in fresh})
    try:
        on_app_loop = asyncio.get_running_loop() is _loop
    except RuntimeError:
        on_app_loop = False
    for token, state_cls in fresh.items():
        if on_app_loop:
            # Committed inside an event handler (or a task) on the app's loop: create the push
            # tasks now, so they are first in line when the handler next gives the loop a turn
            # (see EngagementState.approve, which yields right after its commit).
            _spawn(token, state_cls)
        else:
            _loop.call_soon_threadsafe(_spawn, token, state_cls)


_running: set[asyncio.Task] = set()
# Tabs with a push scheduled whose reload has not started yet, and the page state it will reload.
_queued: dict[str, type] = {}
# When the latest change a tab's pending push is for was committed, and when each tab's page last
# began reading the database (time.monotonic()): a page that read after the change needs no push.
_changed_at: dict[str, float] = {}
_read_at: dict[str, float] = {}
# With MICROGIGS_TIMINGS: when each tab's pending push was scheduled (the commit), for the timings.
_scheduled_at: dict[str, float] = {}


def _spawn(token: str, state_cls: type) -> None:
    task = asyncio.get_running_loop().create_task(_push(token, state_cls))
    _running.add(task)
    task.add_done_callback(_running.discard)
    # An event handler that committed may wait for these before its own reload (see `settle`).
    spawned = _spawned_here.get(None)
    if spawned is not None:
        spawned.append((token, task))


# The pushes started by commits in the running event handler (set by `settle`'s caller's context).
_spawned_here: contextvars.ContextVar[list[tuple[str, asyncio.Task]] | None] = contextvars.ContextVar("live_spawned_here")


# True while a page reloads for a push: what it finds new came from someone else (announced to
# screen readers, see SessionState._show_signed_in); a reload of the tab's own doing is not.
_pushing: contextvars.ContextVar[bool] = contextvars.ContextVar("live_pushing", default=False)


def in_push() -> bool:
    """Whether this code runs inside a live push's reload (not the tab's own event)."""
    return _pushing.get()


def watch_pushes() -> None:
    """Start collecting the pushes this event handler's commits start (call before the commit)."""
    _spawned_here.set([])


def stop_watching() -> None:
    _spawned_here.set(None)


async def settle(own_token: str, timeout: float = 0.1) -> None:
    """Let the pushes this handler's commit started (to the other tabs) run and reach their sockets
    before the handler goes on, e.g. to reload its own page (CPU the other side should not wait
    for). Never waits for this tab's own push (it needs the lock this handler holds), and at most
    `timeout` seconds: a tab busy with an event of its own is pushed to after that."""
    spawned = _spawned_here.get(None) or []
    _spawned_here.set(None)
    others = [task for token, task in spawned if token != own_token and not task.done()]
    if others:
        await asyncio.wait(others, timeout=timeout)
    # Each push queued its delta on its socket; the websocket writer tasks send it in the next
    # few loop turns.
    for _ in range(3):
        await asyncio.sleep(0)


def _connected(token: str) -> bool:
    namespace = getattr(_app, "event_namespace", None)
    if namespace is None:
        return False
    try:
        # This worker's sockets by token. (Reflex's `token_to_sid` copies that whole map on every
        # read: with thousands of tabs open, that was most of a push's cost.)
        return token in namespace._token_manager.token_to_socket
    except Exception:
        return True


def connected_tab_count() -> int:
    """How many tabs hold a websocket to this worker (for /metrics). With Redis the registry
    also keeps records of other workers' sockets it has looked up: those are not counted."""
    manager = getattr(getattr(_app, "event_namespace", None), "_token_manager", None)
    if manager is None:
        return 0
    own = getattr(manager, "instance_id", None)
    return sum(1 for record in list(manager.token_to_socket.values()) if getattr(record, "instance_id", own) == own)


async def _push(token: str, state_cls: type) -> None:
    import reflex as rx

    started = time.perf_counter()
    scheduled = _scheduled_at.pop(token, 0.0)
    if scheduled:
        timings.mark("push.waited_to_start", (started - scheduled) * 1000)

    if not _connected(token):
        with _lock:
            _queued.pop(token, None)
        stats["dropped"] += 1
        unsubscribe(token)
        return
    try:
        async with _app.modify_state(rx.BaseStateToken(ident=token, cls=state_cls)) as root:
            timings.mark("push.state_locked", (time.perf_counter() - started) * 1000)
            # From here on this push reads the database: a change committed now needs a push of its own.
            with _lock:
                _queued.pop(token, None)
                changed = _changed_at.pop(token, None)
                shown = _by_token.get(token)
                up_to_date = changed is not None and shown is not None and shown[0] is state_cls and _read_at.get(token, -1.0) > changed
            if up_to_date:
                # The page read the database after the change (its own event reloaded it while
                # this push waited for the tab): nothing to do, no delta.
                stats["skipped"] += 1
                return
            state = await root.get_state(state_cls)
            reload = getattr(state, "_live_reload", None)
            role = getattr(state, "user_role", "") or "visitor"  # timings only: whose page
            if reload is not None:
                pushing = _pushing.set(True)
                try:
                    with timings.phase(f"push.reload:{role}"):
                        result = reload()
                        if asyncio.iscoroutine(result):
                            await result
                finally:
                    _pushing.reset(pushing)
            reloaded = time.perf_counter()
        # Leaving modify_state computes the delta and emits it to the tab's socket.
        timings.mark(f"push.delta_and_emit:{role}", (time.perf_counter() - reloaded) * 1000)
        if scheduled:
            timings.mark(f"push.commit_to_emitted:{role}", (time.perf_counter() - scheduled) * 1000)
        stats["pushed"] += 1
    except Exception:
        log.exception("live push to %s failed", token)
    finally:
        with _lock:
            _queued.pop(token, None)


def install(app: Any) -> None:
    """Called once by the app module: remember the app and listen for committed changes."""
    global _app
    _app = app
    changes.add_listener(publish)
    app.register_lifespan_task(_start)


async def _start() -> None:
    """Lifespan task: remember the event loop; with Redis, listen to the other workers."""
    global _loop
    _loop = asyncio.get_running_loop()
    url = _redis_url()
    if url:
        await _redis_fanout(url)


def _redis_url() -> str:
    return settings.redis_url()


async def _redis_fanout(url: str) -> None:
    """Publish through Redis and deliver what any worker published to our own tabs."""
    global _redis
    try:
        import redis.asyncio as aioredis
    except ImportError:
        log.warning("redis_url is set but the redis package is missing: live updates stay in this worker")
        return
    _redis = publish_client(url)
    client = aioredis.Redis.from_url(url)
    pubsub = client.pubsub()
    await pubsub.subscribe(CHANNEL)
    try:
        async for message in pubsub.listen():
            if message.get("type") != "message":
                continue
            try:
                topics = frozenset(json.loads(message["data"]))
            except (ValueError, TypeError):
                continue
            changes.tell_caches(topics)  # another worker's commit: our kept read models too
            _deliver_local(topics)
    finally:
        await pubsub.unsubscribe(CHANNEL)
        await client.aclose()

"""What every Reflex event leaves behind: its time in the event histogram (microgigs/metrics.py)
and, on the log lines written while it runs, its id, its handler and a hash of its tab's token.

Reflex 0.10 calls a middleware's `preprocess` once the event holds its tab's state, in the task
that then runs the handler and sends its changes; it never calls `postprocess`. So the middleware
notes the time there and the task's done-callback records it: the time from holding the state to
the changes sent (or the handler's error). Time spent waiting for the tab's previous event is not
in it. Registered first among the middleware, so the others' work (the tab identity's database
look-up) counts too. The label is "<State class>.<handler>": only the app's registered handlers
reach a middleware, so the values are few and fixed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import time

from reflex.middleware import Middleware
from reflex.state import BaseState, StateUpdate
from reflex_base.event import Event
from reflex_base.event.context import EventContext
from reflex_base.registry import RegistrationContext

from microgigs import logs, metrics

_labels: dict[str, str] = {}


def handler_label(event_name: str) -> str:
    """The label of an event's full name (its state's path and handler), e.g. BoardState.load_more."""
    label = _labels.get(event_name)
    if label is None:
        try:
            registered = RegistrationContext.get().event_handlers[event_name]
            label = f"{registered.states[0].__name__}.{registered.handler.fn.__name__}"
        except (LookupError, AttributeError, IndexError):
            # A name the app does not know: one label for all, and not kept (a client chose it).
            return "unknown"
        _labels[event_name] = label
    return label


def token_hash(token: str) -> str:
    """Enough to follow one tab through the log, and not the token (which names its state)."""
    return hashlib.sha256(token.encode()).hexdigest()[:12] if token else ""


def _context() -> tuple[str, str]:
    try:
        ctx = EventContext.get()
    except LookupError:
        return "", ""
    return ctx.txid, ctx.token


@dataclasses.dataclass
class EventObserver(Middleware):
    """Reflex middleware: see the module's docstring."""

    async def preprocess(self, app, state: BaseState, event: Event) -> StateUpdate | None:
        started = time.perf_counter()
        handler = handler_label(event.name)
        event_id, token = _context()
        # Set in the event's own task (and so in the threads it hands work to): its lines only.
        logs.what.set({"event_id": event_id, "handler": handler, "client": token_hash(token)})
        task = asyncio.current_task()
        if task is not None:
            histogram = metrics.EVENT_SECONDS.labels(handler)
            task.add_done_callback(lambda _task: histogram.observe(time.perf_counter() - started))
        return None

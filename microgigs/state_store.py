"""Where a worker keeps its tabs' Reflex state: chosen here for rxconfig.py and for the bare
Reflex page benchmarks/load.py compares us with, so both run on the same store.

- One worker (no Redis URL): in memory. Reflex's default, "disk", also writes each changed tab
  to a file and sweeps the folder every few seconds: that capped a crowd at ~140 page loads a
  second here (issue 17), against ~240 in memory. What it kept across a restart, the tabs
  rebuild: each reconnects and its page loads its data again.
- Several workers (`REFLEX_REDIS_URL`): Redis, with Reflex's opportunistic lock. A tab's events
  all reach the worker that holds its websocket, so that worker keeps the tab's state while it
  holds the tab's lock and writes it to Redis when the lease ends or another worker asks for
  the tab; without it every event read and wrote the tab's whole tree in Redis (a page load
  cost ~11 ms of CPU instead of ~6-7).
- An operator's own REFLEX_STATE_MANAGER_MODE or REFLEX_OPLOCK_ENABLED wins.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from typing import Any

import reflex as rx


def state_store_options(environ: MutableMapping[str, str] = os.environ) -> dict[str, Any]:
    """rx.Config keyword arguments for the state store (Reflex reads the lock option from the environment)."""
    if environ.get("REFLEX_REDIS_URL"):  # settings.redis_url(), from the environment given
        environ.setdefault("REFLEX_OPLOCK_ENABLED", "true")
        return {}  # with a Redis URL and no mode set, Reflex picks Redis itself
    return {"state_manager_mode": rx.constants.StateManagerMode.MEMORY}

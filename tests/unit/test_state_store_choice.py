"""Where a worker keeps its tabs' state (rxconfig.py, microgigs/state_store.py): in memory for one worker, in Redis when
several share a Redis URL, and as an operator says when they set the mode themselves."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parents[2]
# The store a worker makes, and whether it keeps a tab's state while it holds the tab's lock.
_WHICH_STORE = """
from reflex.istate.manager import StateManager
store = StateManager.create()
print(type(store).__name__, getattr(store, "_oplock_enabled", None))
"""


def _store(**env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("REFLEX_") or k == "REFLEX_TELEMETRY_ENABLED"}
    found = subprocess.run(
        [sys.executable, "-c", _WHICH_STORE], cwd=_REPO, env=environment | env, capture_output=True, text=True, timeout=120, check=True
    )
    return found.stdout.splitlines()[-1]


@pytest.mark.parametrize(
    ("env", "store"),
    [
        ({}, "StateManagerMemory None"),  # one worker: nothing written to disk for every tab
        # Several workers share Redis; each keeps the tabs whose websocket it holds (opportunistic lock).
        ({"REFLEX_REDIS_URL": "redis://127.0.0.1:1/0"}, "StateManagerRedis True"),
        # The operator's choice wins.
        ({"REFLEX_REDIS_URL": "redis://127.0.0.1:1/0", "REFLEX_OPLOCK_ENABLED": "false"}, "StateManagerRedis False"),
        ({"REFLEX_STATE_MANAGER_MODE": "disk"}, "StateManagerDisk None"),
    ],
)
def test_the_state_store_follows_the_deployment(env, store):
    assert _store(**env) == store

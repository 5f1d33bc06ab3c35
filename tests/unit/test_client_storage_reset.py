"""Hydrate's reset of browser-stored vars asks once per state class which those are
(microgigs/state/client_storage_reset.py), and resets exactly what Reflex's own would."""

import json
import subprocess
import sys
from pathlib import Path

import reflex as rx

from microgigs.state import client_storage_reset

# A state tree of its own, made in a process of its own: Reflex's app refuses a second root
# state, and new state classes would change the tree the app's tests see.
_REPO = Path(__file__).resolve().parents[2]
_PROBE = """
import json
import reflex as rx
from reflex.state import BaseState
from microgigs.state import client_storage_reset

class Stored(BaseState):
    theme: str = rx.Cookie("dark")
    title: str = "Clean a data set"

class StoredChild(Stored):
    draft: str = rx.LocalStorage("")
    count: int = 0

def changed_tree():
    root = Stored(_reflex_internal_init=True)
    child = root.substates[StoredChild.get_name()]
    root.theme, root.title, child.draft, child.count = "light", "Write a report", "my notes", 3
    return root, child

(ours, our_child), (reflex_own, reflex_child) = changed_tree(), changed_tree()
client_storage_reset.reset_client_storage(ours)
BaseState._reset_client_storage(reflex_own)
print(json.dumps({
    "ours": [ours.theme, ours.title, our_child.draft, our_child.count],
    "reflex": [reflex_own.theme, reflex_own.title, reflex_child.draft, reflex_child.count],
    "fields": [client_storage_reset.client_storage_fields(Stored), client_storage_reset.client_storage_fields(StoredChild)],
}))
"""


def test_the_browser_stored_vars_are_reset_as_reflex_resets_them_and_nothing_else():
    found = subprocess.run([sys.executable, "-c", _PROBE], cwd=_REPO, capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(found.stdout.splitlines()[-1])
    assert result["ours"] == result["reflex"] == ["dark", "Write a report", "", 3]
    assert result["fields"] == [["theme"], ["draft"]]


def test_the_apps_states_reset_this_way_and_hold_no_browser_stored_vars():
    from microgigs.microgigs import app  # noqa: F401  (defines every state, installs the reset)

    def tree(state_cls):
        yield state_cls
        for substate in state_cls.get_substates():
            yield from tree(substate)

    assert all(s._reset_client_storage is client_storage_reset.reset_client_storage for s in tree(rx.State))
    assert [s for s in tree(rx.State) if client_storage_reset.client_storage_fields(s)] == []

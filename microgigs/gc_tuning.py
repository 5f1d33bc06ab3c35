"""Python's cyclic garbage collector, tuned for a server that holds many tabs' states.

A page load allocates a few thousand short-lived objects, and every open tab keeps a tree of
some fifty state objects. With Python's default thresholds the collector runs every couple of
page loads and walks, now and then, everything the process holds: about a fifth of a page
load's CPU (issue 17), all of it on the event loop every tab shares. Two changes:

- what the process loaded before serving (modules, the compiled pages, the app's registries:
  a large part of the heap, never garbage) is frozen out of every collection;
- the youngest generation is collected after 50,000 net new objects instead of 700: short-lived
  objects are freed by reference counting anyway, so a collection finds the rare cycle a little
  later (a few MB at most), for a fraction of the cost.
"""

import gc

YOUNG_COLLECTION_THRESHOLD = 50_000


def tune_for_serving() -> tuple[int, int, int]:
    """Freeze what is loaded now and raise the youngest generation's threshold; returns the
    thresholds now in force. Called once per worker, when it starts serving."""
    gc.collect()  # what start-up left as garbage is freed, not frozen with the rest
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, older, oldest)
    return gc.get_threshold()


async def tune_when_serving() -> None:
    """The app's lifespan task (each worker runs it once its app is loaded)."""
    tune_for_serving()

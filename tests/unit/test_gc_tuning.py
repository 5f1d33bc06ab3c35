"""Each serving worker freezes what it loaded and collects its youngest objects less often
(microgigs/gc_tuning.py): what a collection walks is then only what serving made."""

import gc
import weakref

import pytest

from microgigs import gc_tuning


@pytest.fixture
def collector_restored():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_tuning_freezes_what_is_loaded_and_raises_only_the_young_threshold(collector_restored):
    _, older, oldest = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    loaded = len(gc.get_objects())

    assert gc_tuning.tune_for_serving() == (gc_tuning.YOUNG_COLLECTION_THRESHOLD, older, oldest)
    assert gc.get_freeze_count() > loaded // 2  # the loaded modules and objects left every collection
    assert len(gc.get_objects()) < loaded // 2


def test_cycles_made_while_serving_are_still_collected(collector_restored):
    gc_tuning.tune_for_serving()
    cycle = _Cycle()
    # A new object goes to the youngest generation, not the frozen ones. (The frozen count itself
    # moves: a frozen object freed by reference counting leaves it.)
    assert id(cycle) in {id(o) for o in gc.get_objects(generation=0)}
    gone = weakref.ref(cycle)
    del cycle
    assert gone() is not None  # a cycle: reference counting alone never frees it
    gc.collect()
    assert gone() is None


def test_every_worker_tunes_its_collector_when_it_starts_serving():
    from microgigs.microgigs import app

    assert gc_tuning.tune_when_serving in app.get_lifespan_tasks()

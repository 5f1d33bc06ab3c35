"""Reads everyone gets alike, kept in memory until a committed change could alter them.

A crowd mailed "new gigs are up" opens the same few board URLs and gig pages within a minute;
what anyone without skills to match sees there is the same for all of them, so it is read from
the database once and kept (issue 17: the board's search and cards were a third of a page
load's work). A kept read is dropped:
- at once, when a change notice says something it shows changed: the topic `board`
  (services/changes.py gives it to the rows the board and gig pages show: gigs, their skills and
  questions, employers, the skill list). The notices come from the rows written, in this worker
  and, through live's Redis fan-out, in the others;
- after `max_age` seconds whatever happened, for what no row announces (a deadline passing at
  midnight; an employer's track record refreshed by its job; a database restored underneath us).
A read that overlaps a change is not kept (the generation moved while it ran), so a value read
from the database as it was before a change never outlives the notice of that change.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from microgigs.services import changes

T = TypeVar("T")


class KeptReads(Generic[T]):
    """Values of one kind of read, by key; the caller copies what it may change in place."""

    def __init__(self, name: str, *, topic: str = changes.BOARD_TOPIC, max_age: float = 30.0, max_entries: int = 256):
        self.name = name
        self.topic = topic
        self.max_age = max_age
        self.max_entries = max_entries
        self.stats = {"hits": 0, "misses": 0}  # read by the tests and the benchmark
        self._lock = threading.Lock()
        self._kept: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()
        self._generation = 0
        changes.add_cache(self.forget)

    def get(self, key: Hashable, read: Callable[[], T]) -> T:
        """The kept value for `key` while fresh; else `read()`, kept unless a change overlapped it."""
        now = time.monotonic()
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and now - kept[0] < self.max_age:
                self._kept.move_to_end(key)
                self.stats["hits"] += 1
                return kept[1]
            generation = self._generation
            self.stats["misses"] += 1
        value = read()
        with self._lock:
            if generation == self._generation:
                self._kept[key] = (now, value)
                self._kept.move_to_end(key)
                while len(self._kept) > self.max_entries:
                    self._kept.popitem(last=False)
        return value

    def forget(self, topics: frozenset[str] | set[str]) -> None:
        """Drop everything kept if `topics` hold this kind's topic."""
        if self.topic in topics:
            self.clear()

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._kept.clear()

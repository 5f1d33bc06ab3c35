"""Per-phase timings of the live path, written to stderr when MICROGIGS_TIMINGS=1.

    with timings.phase("approve.service"):
        ...

logs one line per phase: `timing phase=approve.service wall_ms=12.34 cpu_ms=10.02`
(wall-clock by time.perf_counter, CPU of this thread by time.thread_time: on a shared
machine the CPU figure says what the code costs, the wall figure what it waited too).
`benchmarks/live_push.py --timings` turns them on in the server it starts and prints the
p50/p95 of each phase. Off (the default) a phase costs one boolean test. No Reflex here:
services may use it.
"""

import logging
import os
import sys
import time
from contextlib import contextmanager

ENABLED = os.environ.get("MICROGIGS_TIMINGS", "") not in ("", "0")
log = logging.getLogger("microgigs.timings")
if ENABLED and not log.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def mark(name: str, wall_ms: float, cpu_ms: float | None = None) -> None:
    """Log a duration measured elsewhere (e.g. from a timestamp taken in another task)."""
    if ENABLED:
        cpu = f" cpu_ms={cpu_ms:.2f}" if cpu_ms is not None else ""
        log.info("timing phase=%s wall_ms=%.2f%s", name, wall_ms, cpu)


@contextmanager
def phase(name: str):
    if not ENABLED:
        yield
        return
    t0, c0 = time.perf_counter(), time.thread_time()
    try:
        yield
    finally:
        mark(name, (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000)

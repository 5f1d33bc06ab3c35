"""What this process counts for Prometheus, and the text /metrics answers (http/metrics.py).

- Counted as they happen: each HTTP request's and each Reflex event's time (histograms, by route
  template and by event handler: label values come from the app's own routes and handlers,
  never from what a client sent), the jobs run and failed (by job), the tabs connected.
- Read when scraped: the mail queue and the payouts waiting or stopped, from the database
  (services/monitoring.py), so the same from whichever worker answers.

Several workers (GRANIAN_WORKERS > 1): each is a process with its own counters, and a scrape
reaches one of them. So they share them the way prometheus_client does it ("multiprocess
mode"): each worker writes its figures to files in <data dir>/metrics/, and whichever worker
answers a scrape adds up everyone's. That has to be chosen before prometheus_client is first
imported, hence this module sets it up at import, and the app imports prometheus_client only
through it. Files of workers that are gone are removed when a worker starts (their counts
leave the totals: Prometheus reads that as a counter reset, which rate() takes in its stride).
PROMETHEUS_MULTIPROC_DIR, when set, chooses another folder.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from microgigs import live
from microgigs.settings import get_settings

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"


def _workers() -> int:
    try:
        return int(os.environ.get("GRANIAN_WORKERS", "1"))
    except ValueError:
        return 1


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def forget_dead_workers(folder: Path) -> None:
    """Remove the files (named <kind>_<pid>.db) of processes that are no longer running."""
    for path in folder.glob("*.db"):
        pid = path.stem.rpartition("_")[2]
        if pid.isdigit() and not _alive(int(pid)):
            path.unlink(missing_ok=True)  # another worker starting may have removed it first


def _share_between_workers() -> Path | None:
    folder = os.environ.get(MULTIPROC_DIR) or (str(get_settings().data_dir / "metrics") if _workers() > 1 else "")
    if not folder:
        return None
    os.environ[MULTIPROC_DIR] = folder
    Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)
    forget_dead_workers(Path(folder))
    return Path(folder)


SHARED_DIR = _share_between_workers()

# Only now: prometheus_client picks per-process or shared values when it is imported.
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest  # noqa: E402
from prometheus_client.core import GaugeMetricFamily  # noqa: E402
from prometheus_client.multiprocess import MultiProcessCollector  # noqa: E402

CONTENT_TYPE = CONTENT_TYPE_LATEST

REQUEST_SECONDS = Histogram(
    "microgigs_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template (websocket events are counted as events).",
    ["route", "method", "status"],
)
EVENT_SECONDS = Histogram(
    "microgigs_event_duration_seconds",
    "Time a Reflex event took, from holding its tab's state to its changes sent, by event handler.",
    ["handler"],
)
JOB_RUNS = Counter("microgigs_job_runs", "Scheduled job runs (jobs.py), by job.", ["job"])
JOB_FAILURES = Counter("microgigs_job_failures", "Scheduled job runs that failed with an error, by job.", ["job"])
CONNECTED_TABS = Gauge(
    "microgigs_connected_tabs", "Browser tabs with an open websocket, all workers together.", multiprocess_mode="livesum"
)
TAB_COUNT_SECONDS = 10.0  # how often each worker writes its count (the scraped one writes it at the scrape too)


def count_tabs() -> None:
    CONNECTED_TABS.set(live.connected_tab_count())


async def keep_counting_tabs() -> None:
    """The app's lifespan task: keep this worker's count of connected tabs fresh (with several
    workers the one answering a scrape cannot count the others' sockets; they write it here)."""
    if SHARED_DIR is not None:
        forget_dead_workers(SHARED_DIR)  # workers forked from a parent did not run this at import
    while True:
        count_tabs()
        await asyncio.sleep(TAB_COUNT_SECONDS)


class _Figures:
    """The database's figures (services/monitoring.py QueueFigures) as Prometheus gauges."""

    def __init__(self, figures) -> None:
        self.figures = figures

    def collect(self):
        f = self.figures
        yield GaugeMetricFamily("microgigs_mail_waiting", "Mail queued or being sent now.", value=f.mail_waiting)
        yield GaugeMetricFamily("microgigs_mail_retrying", "Queued mail whose last try failed (tried again later).", value=f.mail_retrying)
        yield GaugeMetricFamily(
            "microgigs_mail_failed", "Mail given up on (staff can send it again at /admin/outbox).", value=f.mail_failed
        )
        yield GaugeMetricFamily(
            "microgigs_mail_oldest_waiting_seconds",
            "Age of the oldest mail still waiting to leave (0: none).",
            value=f.oldest_mail_waiting_seconds,
        )
        waiting = GaugeMetricFamily(
            "microgigs_payouts_waiting", "Payouts waiting to be sent (the jobs send them), by payment state.", labels=["state"]
        )
        for state, count in f.payouts_waiting.items():
            waiting.add_metric([state], count)
        yield waiting
        stopped = GaugeMetricFamily(
            "microgigs_payouts_stopped",
            "Payouts stopped until staff act at /staff/money: refused by the gateway, or it kept failing.",
            labels=["cause"],
        )
        for cause, count in f.payouts_stopped.items():
            stopped.add_metric([cause], count)
        yield stopped


def exposition(figures) -> bytes:
    """The whole /metrics answer: this process's (or every worker's) counts, then the database's figures."""
    count_tabs()
    if SHARED_DIR is not None:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    database = CollectorRegistry(auto_describe=False)
    database.register(_Figures(figures))
    return generate_latest(registry) + generate_latest(database)

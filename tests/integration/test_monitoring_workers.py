"""Several workers (GRANIAN_WORKERS > 1): each is a process with its own counts; /metrics, from
whichever worker answers, reports them all added up (files in <data dir>/metrics/), and a worker
that has stopped leaves the totals when the next one starts. Real processes, as granian's are."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[2]

COUNTS = """
import sys
from microgigs import metrics
metrics.JOB_RUNS.labels("a shared job").inc(int(sys.argv[1]))
print("counted", flush=True)
sys.stdin.readline()  # a worker keeps running until told to stop
"""

SCRAPES = """
import sys
from microgigs import metrics
from microgigs.services.monitoring import QueueFigures
sys.stdout.write(metrics.exposition(QueueFigures(0, 0, 0, 0.0, {}, {})).decode())
"""


def runs_counted(text: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "microgigs_job_runs_total" and sample.labels == {"job": "a shared job"}:
                return sample.value
    return 0.0


def test_every_workers_counts_add_up_in_whichever_answers(tmp_path):
    env = {**os.environ, "GRANIAN_WORKERS": "3", "MICROGIGS_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)

    def scrape() -> str:
        return subprocess.run([sys.executable, "-c", SCRAPES], env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout

    workers = []
    try:
        for count in (2, 3):
            worker = subprocess.Popen(
                [sys.executable, "-c", COUNTS, str(count)], env=env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            workers.append(worker)
            assert worker.stdout.readline().strip() == "counted"
        assert runs_counted(scrape()) == 5
        folder = tmp_path / "metrics"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    finally:
        for worker in workers:
            worker.communicate("stop\n", timeout=30)
    # Both have stopped: the next process to start removes their files, and their counts with them.
    assert runs_counted(scrape()) == 0

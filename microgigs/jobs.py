"""Scheduled work (expiring gigs, reminders, auto-approval, payout retries, the nightly reconciliation and backup).

Each job is a plain function `(session, now) -> int` (how many things it changed)
that calls services; this module only runs them every `interval` seconds inside
the app process. With several workers each runs the jobs: jobs must therefore be
idempotent (they move things only forward, guarded by the database).
"""

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from microgigs import metrics
from microgigs.db import session_scope
from microgigs.models import utcnow
from microgigs.operations import nightly_backup
from microgigs.services import alerts, closing, credentials, digest, engagements, money, payments, reminders, track_record

log = logging.getLogger("microgigs.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[Session, datetime], int]


JOBS: list[Job] = [
    Job("close gigs past their application deadline", closing.close_past_deadline),
    Job("remind managers before auto-approval", reminders.auto_approvals),
    Job("approve submissions left unanswered", engagements.auto_approve_silent),
    Job("remind students before due dates", reminders.due_dates),
    Job("remind students before application deadlines", reminders.application_deadlines),
    # Same idempotency key on every try: a payout that did go through is never sent twice.
    Job("retry payouts that timed out or waited for an account", payments.retry_payouts),
    # Once a UTC day (from settings.reconcile_hour_utc): the stored report /staff/money shows.
    Job("reconcile the ledger with the gateway nightly", money.nightly_reconciliation),
    # Approval signs the credential just after its own commit; this catches one an interrupted process left.
    Job("issue credentials for approved work", credentials.issue_missing),
    # Changes store an employer's track record as they commit; time alone changes it too.
    Job("refresh employer track records", track_record.refresh_due),
    # Each daily saved search once a day (claimed by a conditional update: one worker sends it).
    Job("send daily saved-search alerts", alerts.send_daily_alerts),
    # Opted-in students once a week; nothing when nothing is recommended.
    Job("send weekly digests", digest.send_weekly_digests),
    # Only with MICROGIGS_BACKUP_DIR set; a lock file keeps it to one archive a night among workers.
    Job("back up the database and files nightly", nightly_backup.nightly_backup),
]


def run_due_jobs(now: datetime | None = None) -> dict[str, int]:
    """Run every job once, each in its own transaction; one failing job does not stop the rest."""
    now = now or utcnow()
    results: dict[str, int] = {}
    for job in JOBS:
        metrics.JOB_RUNS.labels(job.name).inc()
        try:
            with session_scope() as session:
                results[job.name] = job.run(session, now)
        except Exception:
            log.exception("job %s failed", job.name)
            metrics.JOB_FAILURES.labels(job.name).inc()
            results[job.name] = -1
    return results


async def scheduler(interval: float = 60.0) -> None:
    """The app's lifespan task: run the jobs now and then every `interval` seconds."""
    while True:
        await asyncio.to_thread(run_due_jobs)
        await asyncio.sleep(interval)

"""The nightly backup job: one archive a UTC day into MICROGIGS_BACKUP_DIR, the newest
MICROGIGS_BACKUP_KEEP of them kept.

It runs among the jobs (microgigs/jobs.py: in a thread, off the event loop). Every worker
runs the jobs, so the night's archive is claimed by creating a lock file beside it with
O_EXCL: exactly one worker gets it, on one machine or several sharing the folder. The lock
stays, so a failed night is not retried every minute: the log says so, and the next night
(or `microgigs backup`) makes the next archive.
"""

import logging
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import Session

from microgigs.data_folder import FILE_MODE, private_folder
from microgigs.operations.archive import BackupError
from microgigs.operations.backup import create_backup
from microgigs.settings import get_settings

log = logging.getLogger("microgigs.backup")

NIGHTLY = re.compile(r"microgigs-nightly-(\d{4}-\d{2}-\d{2})\.tar\.gz")
LOCK = re.compile(r"\.microgigs-nightly-(\d{4}-\d{2}-\d{2})\.tar\.gz\.lock")


def nightly_name(day: date) -> str:
    return f"microgigs-nightly-{day:%Y-%m-%d}.tar.gz"


def nightly_backup(_session: Session, now: datetime) -> int:
    """Job: tonight's archive, once, from settings.backup_hour_utc; 1 when this run made it."""
    settings = get_settings()
    if not settings.backup_dir:
        return 0
    now = now.astimezone(UTC)
    if now.hour < settings.backup_hour_utc:
        return 0
    folder = private_folder(Path(settings.backup_dir))
    target = folder / nightly_name(now.date())
    if target.exists() or not _claim(folder / f".{target.name}.lock", now):
        return 0
    try:
        result = create_backup(target, settings, now)
    except BackupError as error:
        raise BackupError(
            f"tonight's backup into {folder} failed: {error}. The next try is tomorrow night; `microgigs backup` makes one now"
        ) from error
    log.info("nightly backup written: %s (%s)", result.path, result.describe())
    for old in prune(folder, settings.backup_keep, today=now.date()):
        log.info("nightly backup removed (more than %d kept): %s", settings.backup_keep, old)
    return 1


def _claim(lock: Path, now: datetime) -> bool:
    try:
        descriptor = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False  # another worker has tonight's backup in hand, or made or tried it
    with os.fdopen(descriptor, "w") as file:
        file.write(f"process {os.getpid()} started tonight's backup at {now.isoformat()}\n")
    return True


def prune(folder: Path, keep: int, today: date) -> list[Path]:
    """Remove nightly archives beyond the newest `keep` (0 keeps all) and earlier nights' locks.
    Only names the nightly job makes are touched: archives made by hand stay."""
    nightly = sorted((p for p in folder.iterdir() if NIGHTLY.fullmatch(p.name)), key=lambda p: p.name, reverse=True)
    removed = nightly[keep:] if keep > 0 else []
    for path in removed:
        path.unlink(missing_ok=True)
    for path in folder.iterdir():
        match = LOCK.fullmatch(path.name)
        if match and match.group(1) < f"{today:%Y-%m-%d}":
            path.unlink(missing_ok=True)
    return removed

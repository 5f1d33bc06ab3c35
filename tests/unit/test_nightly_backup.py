"""The nightly backup job: off without MICROGIGS_BACKUP_DIR, one archive a night however many
workers run it, the newest MICROGIGS_BACKUP_KEEP kept, and a failure said in plain words.
(What an archive holds, and restoring it, is tested in tests/integration/test_backup_restore.py.)"""

import shutil
import stat
import tarfile
import threading
from datetime import UTC, datetime

import pytest

from microgigs import db, jobs
from microgigs.operations.archive import BackupError
from microgigs.operations.nightly_backup import nightly_backup, nightly_name
from microgigs.settings import get_settings

# The job copies a SQLite file itself: these tests pick SQLite, in the SQLite run only.
pytestmark = pytest.mark.one_database

NIGHT = datetime(2026, 12, 3, 2, 30, tzinfo=UTC)


@pytest.fixture
def install(schema_template, set_setting, tmp_path):
    """A data folder with a migrated SQLite database, and a backup folder for the nights."""
    data_dir = get_settings().data_dir
    data_dir.mkdir(mode=0o700)
    shutil.copyfile(schema_template, data_dir / "microgigs.db")
    backups = tmp_path / "backups"
    set_setting("backup_dir", backups)
    set_setting("backup_hour_utc", 2)
    db.get_engine.cache_clear()  # the jobs' sessions open this test's database
    yield backups
    db.get_engine().dispose()
    db.get_engine.cache_clear()


def test_without_a_backup_folder_nothing_happens(schema_template, tmp_path):
    assert get_settings().backup_dir == ""
    assert nightly_backup(None, NIGHT) == 0
    assert list(tmp_path.rglob("*.tar.gz")) == []


def test_one_archive_a_night_from_the_backup_hour(install):
    assert nightly_backup(None, NIGHT.replace(hour=1)) == 0
    assert not install.exists()
    assert nightly_backup(None, NIGHT) == 1
    archive = install / nightly_name(NIGHT.date())
    assert stat.S_IMODE(install.stat().st_mode) == 0o700 and stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "database/microgigs.db"} <= set(tar.getnames())
    assert nightly_backup(None, NIGHT.replace(hour=23)) == 0  # later the same night: already made
    assert nightly_backup(None, NIGHT.replace(day=4)) == 1  # the next night: a new one
    assert sorted(p.name for p in install.glob("*.tar.gz")) == [nightly_name(NIGHT.date()), nightly_name(NIGHT.replace(day=4).date())]


def test_workers_running_the_job_at_once_make_one_archive(install):
    start = threading.Barrier(4)
    results: list[int] = []

    def worker():
        start.wait()
        results.append(nightly_backup(None, NIGHT))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 0, 0, 1]
    assert [p.name for p in install.glob("*.tar.gz")] == [nightly_name(NIGHT.date())]


def test_the_newest_are_kept_and_archives_made_by_hand_stay(install, set_setting):
    set_setting("backup_keep", 3)
    install.mkdir(mode=0o700)
    for day in range(1, 31, 5):  # nights of November, oldest first
        (install / nightly_name(datetime(2026, 11, day).date())).write_bytes(b"an older night")
    by_hand = install / "microgigs-backup-20261101-120000.tar.gz"
    by_hand.write_bytes(b"made with `microgigs backup`")
    old_lock = install / f".{nightly_name(datetime(2026, 11, 26).date())}.lock"
    old_lock.write_text("an earlier night's claim")

    assert nightly_backup(None, NIGHT) == 1
    kept = sorted(p.name for p in install.iterdir() if not p.name.startswith("."))
    assert kept == sorted(
        [by_hand.name, nightly_name(NIGHT.date()), "microgigs-nightly-2026-11-26.tar.gz", "microgigs-nightly-2026-11-21.tar.gz"]
    )
    assert not old_lock.exists()


def test_a_failed_night_says_why_and_leaves_no_partial_archive(install):
    (get_settings().data_dir / "microgigs.db").unlink()
    with pytest.raises(BackupError, match="tonight's backup into .* failed: there is no database at .*microgigs backup"):
        nightly_backup(None, NIGHT)
    assert [p.name for p in install.iterdir()] == [f".{nightly_name(NIGHT.date())}.lock"]  # only the night's claim
    assert nightly_backup(None, NIGHT) == 0  # not retried every minute: the log said it


def test_it_is_one_of_the_jobs(install, monkeypatch):
    """run_due_jobs runs it with the rest (the scheduler calls run_due_jobs in a thread)."""
    monkeypatch.setattr(jobs, "JOBS", [job for job in jobs.JOBS if job.run is nightly_backup])
    assert len(jobs.JOBS) == 1
    assert jobs.run_due_jobs(NIGHT) == {"back up the database and files nightly": 1}

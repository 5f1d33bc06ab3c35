"""`microgigs backup`: the database, stored files and signing keys in one private archive
(format: operations/archive.py).

The database is copied while the app keeps running: SQLite through its online backup API
(a consistent copy, writers are not stopped), PostgreSQL through pg_dump (one snapshot). It
is copied before the files are listed: a file uploaded meanwhile is then in the archive
without a row (harmless), never a row without its file. Stored files and keys are never
rewritten in place (data_folder.write_private_file renames a whole new file over), so each is
read once, hashed as it is written into the archive.

The archive is written under a temporary name, 0600 from its first byte, in a 0700 folder,
and renamed when whole: a reader never finds half an archive under the final name.
"""

import importlib.metadata
import io
import logging
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from microgigs.data_folder import FILE_MODE, private_folder
from microgigs.operations import postgres_tools, schema
from microgigs.operations.archive import (
    DATABASE_MEMBERS,
    MANIFEST,
    BackupError,
    Entry,
    HashingReader,
    Manifest,
    data_folders,
    data_member,
    is_plain_name,
)
from microgigs.settings import Settings, get_settings

log = logging.getLogger("microgigs.backup")

SUFFIX = ".tar.gz"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest

    def describe(self) -> str:
        size = self.path.stat().st_size
        stored = len(self.manifest.files) - 1  # the database is one entry
        return (
            f"{self.manifest.database} database at schema revision {self.manifest.schema_revision or 'none'}, "
            f"{stored} stored file(s) and key(s), {size / 1_000_000:.1f} MB"
        )


def database_kind(url: str) -> str:
    scheme = make_url(url).get_backend_name()
    if scheme not in DATABASE_MEMBERS:
        raise BackupError(f"MicroGigs backs up SQLite and PostgreSQL databases; {scheme!r} is neither")
    return scheme


def archive_path(destination: Path, now: datetime) -> Path:
    """A name ending in .tar.gz is the archive itself; anything else is the folder it goes in."""
    if destination.name.endswith(SUFFIX):
        return destination
    return destination / f"microgigs-backup-{now:%Y%m%d-%H%M%S}{SUFFIX}"


def create_backup(destination: Path, settings: Settings | None = None, now: datetime | None = None) -> BackupResult:
    """Write one archive at (or into) `destination`; raises BackupError saying why not."""
    settings = settings or get_settings()
    now = (now or datetime.now(UTC)).astimezone(UTC)
    target = archive_path(destination, now)
    if target.exists():
        raise BackupError(f"{target} already exists; name another file or folder")
    try:
        private_folder(target.parent)
        staging = Path(tempfile.mkdtemp(prefix=".microgigs-backup-", dir=target.parent))  # 0700
    except OSError as error:
        raise BackupError(f"the folder {target.parent} cannot be made or written to: {error.strerror or error}") from error
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        kind, snapshot, revision = _snapshot_database(settings, staging)
        manifest = Manifest(created_at=now.isoformat(), app_version=_app_version(), database=kind, schema_revision=revision)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
        with os.fdopen(descriptor, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                manifest.files.append(_add_file(tar, snapshot, DATABASE_MEMBERS[kind], now))
                for folder, path in data_folders(settings).items():
                    manifest.files.extend(_add_folder(tar, path, folder, now))
                _add_bytes(tar, MANIFEST, manifest.to_bytes(), now)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, target)
        _sync_folder(target.parent)
    except OSError as error:
        raise BackupError(f"the archive could not be written to {target.parent}: {error.strerror or error}") from error
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    return BackupResult(path=target, manifest=manifest)


def _app_version() -> str:
    try:
        return importlib.metadata.version("microgigs")
    except importlib.metadata.PackageNotFoundError:
        return ""


# --- the database --------------------------------------------------------------------------------


def _snapshot_database(settings: Settings, staging: Path) -> tuple[str, Path, str | None]:
    """(kind, the copy's path in `staging`, its schema revision)."""
    url = settings.sqlalchemy_url
    kind = database_kind(url)
    if kind == "sqlite":
        copy = staging / "microgigs.db"
        return kind, copy, _copy_sqlite(Path(make_url(url).database or ""), copy)
    copy = staging / "microgigs.pgdump"
    try:
        revision = schema.revision_of(url)
    except SQLAlchemyError as error:
        raise BackupError(f"the database cannot be reached: {str(error).splitlines()[0]}") from error
    postgres_tools.run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={copy}"], url)
    return kind, copy, revision


def _copy_sqlite(source_path: Path, copy: Path) -> str | None:
    if not source_path.is_file():
        raise BackupError(f"there is no database at {source_path} (run `reflex db migrate` first, or check MICROGIGS_DATA_DIR)")
    os.close(os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))  # private before any byte
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)  # one step: a consistent copy; the app's writers keep going (WAL)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        has_version = target.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
        row = target.execute("SELECT version_num FROM alembic_version").fetchone() if has_version else None
    except sqlite3.Error as error:
        raise BackupError(f"the database {source_path} could not be copied: {error}") from error
    finally:
        target.close()
        source.close()
    return row[0] if row else None


# --- the archive's members -----------------------------------------------------------------------


def _member(name: str, size: int, now: datetime) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, FILE_MODE, int(now.timestamp())
    return info


def _add_file(tar: tarfile.TarFile, path: Path, name: str, now: datetime) -> Entry:
    with open(path, "rb") as file:
        reader = HashingReader(file)
        tar.addfile(_member(name, os.fstat(file.fileno()).st_size, now), reader)
    return reader.entry(name)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, now: datetime) -> None:
    tar.addfile(_member(name, len(data), now), io.BytesIO(data))


def _add_folder(tar: tarfile.TarFile, folder: Path, folder_name: str, now: datetime) -> list[Entry]:
    if not folder.is_dir():
        return []
    entries = []
    for item in sorted(os.scandir(folder), key=lambda e: e.name):
        if item.name.startswith("."):
            continue  # a file being written (data_folder's ".name.….tmp"), not yet part of the data
        if not item.is_file(follow_symlinks=False) or not is_plain_name(item.name):
            log.warning("backup: %s is not a file MicroGigs stores; it is left out", item.path)
            continue
        try:
            entries.append(_add_file(tar, Path(item.path), data_member(folder_name, item.name), now))
        except FileNotFoundError:
            continue  # deleted since it was listed (a replaced photo): no row names it any more
    return entries


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (the folder's entry), where the system allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)

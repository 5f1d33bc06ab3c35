"""`microgigs restore ARCHIVE`: a backup brought into an empty data folder and database (the
ones the settings name), checked and migrated to this version's schema.

Order, so that a refusal or a failure leaves nothing behind:
1. the target must be empty (no stored files or keys, no tables);
2. the archive is unpacked into a private folder inside the data folder and every member is
   checked against the manifest (size and sha256; nothing missing, nothing extra): a damaged
   archive is refused here, before anything is written to the target;
3. SQLite: the unpacked copy is migrated to head where it lies;
4. the folders of keys, files and photos are renamed into place (the same file system);
5. the database: the SQLite file is moved in; PostgreSQL's dump goes in with pg_restore, in
   one transaction;
6. PostgreSQL: the migrations (each one a transaction of its own).
A failure in steps 2-5 takes back what was placed and removes the unpacked copy (and the data
folder, if restore made it). A failure in step 6 leaves the data whole, at the backup's
revision, and says so.
"""

import os
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from microgigs.data_folder import FILE_MODE, private_folder
from microgigs.operations import postgres_tools, schema
from microgigs.operations.archive import (
    CHUNK,
    MANIFEST,
    BackupError,
    Entry,
    HashingReader,
    Manifest,
    data_folders,
    is_allowed_member,
)
from microgigs.operations.backup import database_kind
from microgigs.settings import Settings, get_settings

MANIFEST_LIMIT = 64 * 1024 * 1024
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class NotMigrated(BackupError):
    """Restored whole, but the migrations to this version's schema failed afterwards."""


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    data_dir: Path
    database: str  # where, without a password
    revision: str  # the schema revision after the migrations (head)

    @property
    def stored_files(self) -> int:
        return len(self.manifest.files) - 1


def restore_backup(archive: Path, settings: Settings | None = None) -> RestoreResult:
    """Restore `archive` into the data folder and database of `settings`; BackupError says why not."""
    settings = settings or get_settings()
    url = settings.sqlalchemy_url
    kind = database_kind(url)
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file")
    refuse_unless_empty(settings)
    made_data_dir = not settings.data_dir.exists()
    private_folder(settings.data_dir)
    staging = Path(tempfile.mkdtemp(prefix=".microgigs-restore-", dir=settings.data_dir))  # 0700, same file system
    placed: list[Path] = []
    try:
        manifest = _unpack_and_check(archive, staging)
        _check_fits(manifest, kind)
        database_file = staging / manifest.database_member
        if kind == "sqlite":
            _migrate(f"sqlite:///{database_file}", "the restored copy")
        _place_folders(settings, staging, placed)
        if kind == "sqlite":
            _place_sqlite(database_file, Path(make_url(url).database or ""))
        else:
            postgres_tools.run(
                "pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", str(database_file)], url
            )
    except BaseException as error:
        for folder in placed:
            shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
        if made_data_dir:
            _remove_if_empty(settings.data_dir)
        if isinstance(error, OSError):
            raise BackupError(f"writing into {settings.data_dir} failed: {error.strerror or error}") from error
        raise
    shutil.rmtree(staging, ignore_errors=True)
    if kind == "postgresql":
        # The data is whole and in place from here on; a failed migration leaves it at the backup's revision.
        try:
            _migrate(url, "the restored database")
        except BackupError as error:
            raise NotMigrated(f"{error} (the data and files are in place, at the backup's revision {manifest.schema_revision})") from error
    where = make_url(url).render_as_string(hide_password=True)
    return RestoreResult(manifest=manifest, data_dir=settings.data_dir, database=where, revision=schema.revision_of(url) or "")


# --- 1. the target is empty ----------------------------------------------------------------------


def refuse_unless_empty(settings: Settings) -> None:
    url = settings.sqlalchemy_url
    for name, folder in data_folders(settings).items():
        if folder.is_dir() and any(folder.iterdir()):
            raise BackupError(
                f"the data folder {settings.data_dir} already holds {name}/ ({sum(1 for _ in folder.iterdir())} file(s)). "
                "Restore only goes into an empty data folder: set MICROGIGS_DATA_DIR to a new folder, or move this one away"
            )
    if database_kind(url) == "sqlite":
        path = Path(make_url(url).database or "")
        tables = _sqlite_tables(path) if path.exists() else []
        advice = f"move {path} away, or set MICROGIGS_DATA_DIR to a new folder"
    else:
        try:
            tables = schema.table_names(url)
        except SQLAlchemyError as error:
            raise BackupError(f"the database cannot be reached: {str(error).splitlines()[0]}") from error
        advice = "create a new, empty database (e.g. `createdb -O <user> microgigs_restored`) and set MICROGIGS_DATABASE_URL to it"
    if tables:
        where = make_url(url).render_as_string(hide_password=True)
        raise BackupError(f"the database {where} already has {len(tables)} table(s). Restore only goes into an empty database: {advice}")


def _sqlite_tables(path: Path) -> list[str]:
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise BackupError(f"{path} is there but cannot be read as a SQLite database ({error}); move it away") from error


# --- 2. unpacked and checked ---------------------------------------------------------------------


def _unpack_and_check(archive: Path, staging: Path) -> Manifest:
    staged: dict[str, Entry] = {}
    manifest_bytes = None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                name = member.name
                if not is_allowed_member(name):
                    raise BackupError(f"it holds {name!r}, which is not part of a MicroGigs backup")
                if not member.isreg():
                    raise BackupError(f"its member {name} is not a plain file")
                if name in staged or (name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"it holds {name} twice")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > MANIFEST_LIMIT:
                        raise BackupError("its manifest.json is too large to be one")
                    manifest_bytes = source.read()
                else:
                    staged[name] = _stage(source, staging / name, name)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(f"{archive} cannot be read as a MicroGigs backup (.tar.gz): {error}") from error
    if manifest_bytes is None:
        raise BackupError("it has no manifest.json (it is not a MicroGigs backup, or it was cut short)")
    manifest = Manifest.from_bytes(manifest_bytes)
    listed = {entry.path: entry for entry in manifest.files}
    missing, unlisted = sorted(set(listed) - set(staged)), sorted(set(staged) - set(listed))
    if missing:
        raise BackupError(f"{missing[0]} is listed in its manifest but missing from the archive")
    if unlisted:
        raise BackupError(f"it holds {unlisted[0]}, which its manifest does not list")
    for path, entry in sorted(listed.items()):
        if staged[path] != entry:
            raise BackupError(f"{path} is damaged: its size or checksum does not match the manifest (sha256 {entry.sha256})")
    if manifest.database not in KIND_NAMES or manifest.database_member not in staged:
        raise BackupError(f"it holds no database of a kind MicroGigs restores (manifest says {manifest.database!r})")
    return manifest


def _stage(source, path: Path, name: str) -> Entry:
    """One member unpacked (0600 from its first byte) and hashed on the way."""
    reader = HashingReader(source)
    try:
        private_folder(path.parent)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    except OSError as error:
        raise BackupError(f"{path.parent} cannot be written to: {error.strerror or error}") from error
    with os.fdopen(descriptor, "wb") as file:
        while chunk := reader.read(CHUNK):  # a damaged stream raises here: the archive's fault
            try:
                file.write(chunk)
            except OSError as error:
                raise BackupError(f"{path} cannot be written (is the disk full?): {error.strerror or error}") from error
    return reader.entry(name)


def _check_fits(manifest: Manifest, kind: str) -> None:
    if manifest.database != kind:
        raise BackupError(
            f"it holds a {KIND_NAMES[manifest.database]} database, but the settings name a {KIND_NAMES[kind]} one: "
            + (
                "leave MICROGIGS_DATABASE_URL empty to restore into SQLite"
                if manifest.database == "sqlite"
                else "set MICROGIGS_DATABASE_URL to an empty PostgreSQL database"
            )
        )
    revision = manifest.schema_revision
    if not revision:
        raise BackupError("its database has no schema revision (it was not made by `reflex db migrate`), so it cannot be migrated")
    if revision not in schema.known_revisions():
        made_by = f" (made by MicroGigs {manifest.app_version})" if manifest.app_version else ""
        raise BackupError(
            f"its schema revision {revision}{made_by} is unknown to this version of MicroGigs: "
            "restore it with the version that made it, or a newer one"
        )


# --- 3 and 4. into place -------------------------------------------------------------------------


def _migrate(url: str, what: str) -> None:
    try:
        schema.upgrade_to_head(url)
    except Exception as error:
        raise BackupError(f"the migrations of {what} failed: {error}. Fix the cause, then run `reflex db migrate`") from error


def _place_folders(settings: Settings, staging: Path, placed: list[Path]) -> None:
    """Each unpacked folder renamed into place; `placed` lists them as they go (to take back)."""
    for name, target in data_folders(settings).items():
        unpacked = staging / "data" / name
        if not unpacked.is_dir():
            continue
        if target.is_dir():
            target.rmdir()  # empty: refuse_unless_empty checked it
        os.replace(unpacked, target)  # a rename: staging is inside the data folder
        placed.append(target)


def _place_sqlite(copy: Path, path: Path) -> None:
    private_folder(path.parent)
    # An empty database file left by an earlier start (refuse_unless_empty found no tables in it).
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.move(copy, path)  # a rename on the same file system; a copy onto another one


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass

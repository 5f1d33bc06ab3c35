"""The data folder on disk (settings.data_dir): the SQLite file, stored deliverables, photos
and the credential signing keys. Only the account that runs MicroGigs may read any of it.

Folders are made 0700 and files 0600 from their first byte: the permissions are given to the
system call that creates them (a umask can only take bits away), never fixed afterwards with a
chmod, which would leave a moment in which another account on the server could read a new key.
"""

import logging
import os
import stat
from pathlib import Path

from microgigs.settings import Settings

log = logging.getLogger("microgigs.data_folder")

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """`path` as a folder only its owner may enter; missing parents are made the same way.
    An existing folder that others may read or enter is tightened, and the log says so."""
    if not path.is_dir():
        if not path.parent.exists():  # a missing ancestor is ours too; an existing one is not
            private_folder(path.parent)
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # another process made it in the meantime
            pass
    _tighten(path)
    return path


def _tighten(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if not mode & 0o077:
        return
    try:
        path.chmod(FOLDER_MODE)
    except PermissionError:  # not ours to change (another owner): say what to do, keep running
        log.error("%s can be read by other accounts (mode %o) and this account may not change that: run chmod 700 on it", path, mode)
        return
    log.warning("%s could be read by other accounts (mode %o); it is now %o (owner only)", path, mode, FOLDER_MODE)


def write_private_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` as a 0600 file, atomically: it is written to a new file beside it
    (created 0600 and exclusively, so never someone else's file or link) and then renamed over
    `path`, so a reader sees the old contents or the whole new ones, never half a key."""
    private_folder(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def secure_data_folder(settings: Settings) -> None:
    """At start: the data folder (made if missing) and the folders of keys, deliverables and
    photos that already exist, each tightened to 0700 if it was looser."""
    private_folder(settings.data_dir)
    for folder in (settings.keys_dir, settings.files_dir, settings.photos_dir, settings.branding_dir):
        if folder.is_dir():
            _tighten(folder)

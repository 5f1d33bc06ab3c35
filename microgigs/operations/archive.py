"""The backup archive's format, shared by `microgigs backup` and `microgigs restore`.

One .tar.gz holding
- `database/microgigs.db` (a SQLite copy) or `database/microgigs.pgdump` (pg_dump, custom format);
- `data/keys/…`, `data/files/…`, `data/photos/…`: the signing keys, deliverables and photos;
- `manifest.json`, written last: when the archive was made, by which version, the schema
  revision of the database in it, and every other member's size and sha256.

Member names are fixed by this module: restore accepts nothing else (no links, no folders of
its own choosing, no `..`), so an archive cannot write outside the place it is restored into.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from microgigs.settings import Settings

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/microgigs.db"
POSTGRES_MEMBER = "database/microgigs.pgdump"
DATABASE_MEMBERS = {"sqlite": SQLITE_MEMBER, "postgresql": POSTGRES_MEMBER}
# The data folder's subfolders a backup carries (settings.keys_dir, files_dir, photos_dir, branding_dir).
DATA_FOLDERS = ("keys", "files", "photos", "branding")
# What a stored file, a key or `current-kid` may be called: one plain name, no folders.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why in plain words."""


@dataclass(frozen=True)
class Entry:
    path: str  # the member's name in the archive
    size: int
    sha256: str


@dataclass
class Manifest:
    created_at: str  # ISO 8601, UTC
    app_version: str
    database: str  # "sqlite" | "postgresql"
    schema_revision: str | None  # alembic's revision of the database in the archive
    files: list[Entry] = field(default_factory=list)
    format: int = FORMAT

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), indent=2).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> "Manifest":
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise BackupError(f"its manifest is format {data.get('format')!r}; this version of MicroGigs reads format {FORMAT}")
            return cls(
                created_at=str(data["created_at"]),
                app_version=str(data.get("app_version", "")),
                database=str(data["database"]),
                schema_revision=data.get("schema_revision"),
                files=[Entry(path=str(f["path"]), size=int(f["size"]), sha256=str(f["sha256"])) for f in data["files"]],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(f"its manifest.json cannot be read ({error})") from error

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBERS[self.database]


def data_folders(settings: Settings) -> dict[str, Path]:
    """Each subfolder a backup carries, by its name in the archive."""
    return {"keys": settings.keys_dir, "files": settings.files_dir, "photos": settings.photos_dir, "branding": settings.branding_dir}


def data_member(folder: str, name: str) -> str:
    return f"data/{folder}/{name}"


def is_allowed_member(name: str) -> bool:
    """Whether restore may take a member of this name (everything else is refused)."""
    if name == MANIFEST or name in DATABASE_MEMBERS.values():
        return True
    parts = name.split("/")
    return len(parts) == 3 and parts[0] == "data" and parts[1] in DATA_FOLDERS and bool(_PLAIN_NAME.fullmatch(parts[2]))


def is_plain_name(name: str) -> bool:
    return bool(_PLAIN_NAME.fullmatch(name))


class HashingReader:
    """A file read through once: counts and hashes what passes, so an archive member's
    checksum is of the very bytes written into the archive."""

    def __init__(self, file: BinaryIO):
        self._file = file
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._file.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk

    def entry(self, path: str) -> Entry:
        return Entry(path=path, size=self.size, sha256=self.digest.hexdigest())

"""Deliverable files on disk, outside anything served publicly.

Stored names are generated; the client's file name is cleaned and only ever shown.
"""

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from microgigs.data_folder import write_private_file

# Extension -> content type we serve it as. Anything else is refused.
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".json": "application/json",
    ".zip": "application/zip",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    display_name: str
    content_type: str
    size_bytes: int
    sha256: str


def clean_display_name(raw: str) -> str:
    """A harmless name to show: no folders, no control or odd characters, not empty."""
    name = unicodedata.normalize("NFKC", raw or "").replace("\\", "/").split("/")[-1]
    name = _UNSAFE.sub("_", name).strip(" .") or "file"
    if len(name) > 120:  # shorten the stem, keep the extension: it decides the file's type
        suffix = Path(name).suffix if len(Path(name).suffix) <= 10 else ""
        name = name[: 120 - len(suffix)].rstrip(" .") + suffix
    return name


def extension_of(name: str) -> str:
    return Path(name).suffix.lower()


class FileStore:
    def __init__(self, root: Path):
        self.root = root

    def save(self, data: bytes, display_name: str) -> StoredFile:
        ext = extension_of(display_name)
        stored_name = f"{secrets.token_hex(16)}{ext}"
        write_private_file(self.root / stored_name, data)  # in a 0700 folder, itself 0600
        return StoredFile(
            stored_name=stored_name,
            display_name=display_name,
            content_type=ALLOWED_TYPES[ext],
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )

    def path_of(self, stored_name: str) -> Path:
        # Stored names are ours (hex + extension); refuse anything else outright.
        if not re.fullmatch(r"[0-9a-f]{32}\.[a-z0-9]{1,5}", stored_name):
            raise ValueError("not a stored file name")
        return self.root / stored_name

    def delete(self, stored_name: str) -> None:
        self.path_of(stored_name).unlink(missing_ok=True)

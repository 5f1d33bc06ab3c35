"""The center's logo files on disk: data_dir/branding, outside anything Reflex serves.

Each logo is stored under a name made from its contents' SHA-256 ("logo-<32 hex>.png"), so
the same image is one file however often it is uploaded, a name never changes its bytes (the
route that serves it may let browsers and mail clients keep it for a year), and no name a
person typed ever reaches the disk. The service (services/center_settings.py) decides what
may be stored; this module only writes, finds and names files.
"""

import hashlib
import re
from pathlib import Path

from microgigs.data_folder import private_folder, write_private_file
from microgigs.settings import get_settings

# The real type's extension (from the bytes, never from a name) -> the type the route serves.
CONTENT_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp"}
LOGO_NAME = re.compile(r"logo-[0-9a-f]{32}\.(?:png|jpg|webp)")


def branding_dir() -> Path:
    return get_settings().branding_dir


def logo_name(data: bytes, extension: str) -> str:
    """The stored name of these bytes: "logo-<first 32 hex of their SHA-256><extension>"."""
    if extension not in CONTENT_TYPES:
        raise ValueError(f"not a logo type: {extension!r}")
    return f"logo-{hashlib.sha256(data).hexdigest()[:32]}{extension}"


def store_logo(data: bytes, extension: str) -> str:
    """Write the logo (0600, in a 0700 folder; a temporary file renamed into place) and
    return its stored name. The same bytes again find their file there already."""
    name = logo_name(data, extension)
    path = private_folder(branding_dir()) / name
    if not path.is_file() or path.stat().st_size != len(data):
        write_private_file(path, data)
    return name


def path_of(name: str) -> Path | None:
    """The stored logo called `name`, or None when that is not a name we give (no folders,
    no dots but the extension's, nothing but our own pattern) or no such file is stored."""
    if not isinstance(name, str) or not LOGO_NAME.fullmatch(name):
        return None
    path = branding_dir() / name
    return path if path.is_file() else None


def content_type_of(name: str) -> str:
    return CONTENT_TYPES[Path(name).suffix]

"""PostgreSQL's own dump and restore programs (pg_dump, pg_restore), found and run.

Debian installs them under /usr/lib/postgresql/<version>/bin (the newest is taken: pg_dump
must be at least as new as the server); elsewhere they are on PATH. The password travels in
the environment (PGPASSWORD), never on the command line, where `ps` would show it.
"""

import glob
import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from microgigs.operations.archive import BackupError

INSTALL_HINT = "install PostgreSQL's client programs (Debian: apt-get install postgresql-client)"


def program(name: str) -> str:
    """The path of pg_dump or pg_restore."""
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_major_version)
    if versions:
        return versions[-1]
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found: {INSTALL_HINT}")
    return found


def _major_version(path: str) -> int:
    part = Path(path).parts[4]  # /usr/lib/postgresql/<version>/bin/<name>
    return int(part) if part.isdigit() else 0


def connection(url: str) -> tuple[str, dict[str, str]]:
    """(a libpq connection string without the password, the environment with PGPASSWORD)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    # libpq reads postgresql:// URLs; SQLAlchemy's "+psycopg" driver part is not one of its words.
    bare = URL.create("postgresql", parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query)
    conninfo = bare.render_as_string(hide_password=False)
    return conninfo, env


def run(name: str, args: list[str], url: str) -> None:
    """Run pg_dump or pg_restore against `url`; a failure raises BackupError with its message."""
    conninfo, env = connection(url)
    command = [program(name), *args, f"--dbname={conninfo}"]
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BackupError(f"{name} could not be started: {error}") from error
    if result.returncode != 0:
        said = result.stderr.strip() or result.stdout.strip() or f"exit status {result.returncode}"
        raise BackupError(f"{name} failed: {said}")

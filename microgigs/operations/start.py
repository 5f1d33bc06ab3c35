"""`microgigs start`: a real install served. No demo data is made; the database is migrated
first; the doctor (operations/doctor.py) is consulted and what it calls dangerous stops the
start; then `reflex run --env prod` builds the frontend and serves the app and the API on one
port, with as many workers as asked (several share Redis: REFLEX_REDIS_URL). `--no-build`
serves the build an earlier start left in the web folder instead (operations/serve_built.py):
a second process beside the first, in seconds.

The demo is `make run`; this is what `make start`, the systemd units and the container run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from microgigs.operations import doctor
from microgigs.settings import get_settings, redis_url

ROOT = Path(__file__).resolve().parents[2]
# Where `make install` puts bun (from npm): Reflex then never tries to download its own.
TOOLS_BIN = ROOT / ".tools" / "node_modules" / ".bin"


class StartRefused(Exception):
    """Why the app was not started, in words for whoever ran the command."""


def serving_command(workers: int, host: str, port: int, build: bool = True) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that serve the app: the frontend is built first, or
    (build=False) the one already built is served as it is."""
    env = dict(os.environ)
    env["GRANIAN_WORKERS"] = str(workers)
    env["PATH"] = os.pathsep.join([str(TOOLS_BIN), str(Path(sys.executable).parent), env.get("PATH", "")])
    for name, value in (
        ("REFLEX_USE_SYSTEM_BUN", "1"),
        ("REFLEX_USE_NPM", "0"),
        ("REFLEX_TELEMETRY_ENABLED", "false"),
        ("REFLEX_CHECK_LATEST_VERSION", "0"),
        ("PYTHONUNBUFFERED", "1"),
    ):
        env.setdefault(name, value)
    if not build:
        return [sys.executable, "-m", "microgigs.operations.serve_built", host, str(port)], env
    command = [
        sys.executable,
        "-m",
        "reflex",
        "run",
        "--env",
        "prod",
        "--backend-host",
        host,
        "--frontend-port",
        str(port),
        "--backend-port",
        str(port),
    ]
    return command, env


def prepare(workers: int, build: bool = True) -> list[doctor.Finding]:
    """Everything before serving: refuses a demo or a dangerous configuration (StartRefused),
    migrates the database, and returns the doctor's findings."""
    settings = get_settings()
    if settings.demo_mode:
        raise StartRefused(
            "MICROGIGS_DEMO_MODE is true: `microgigs start` serves a real install. For the demo run `make run`; "
            "for a real install set MICROGIGS_DEMO_MODE=false."
        )
    if workers < 1:
        raise StartRefused("--workers must be 1 or more.")
    if workers > 1 and not redis_url():
        raise StartRefused(
            f"{workers} workers need a Redis server to share the open tabs: set REFLEX_REDIS_URL (e.g. redis://127.0.0.1:6379/0)."
        )
    if not build:
        from microgigs.operations.serve_built import built_pages, is_built

        if not is_built():
            raise StartRefused(
                f"--no-build, but no frontend is built in {built_pages()}: start once without --no-build "
                "(it builds), or point REFLEX_WEB_WORKDIR at the web folder of a start that did."
            )
    migrated = subprocess.run([sys.executable, "-m", "reflex", "db", "migrate"], cwd=ROOT, capture_output=True, text=True)
    if migrated.returncode != 0:
        raise StartRefused(f"The database could not be migrated:\n{(migrated.stdout + migrated.stderr).strip()[-2000:]}")
    findings = doctor.examine(settings)
    dangers = [f for f in findings if f.level == "danger"]
    if dangers:
        raise StartRefused(doctor.report(findings) + "\n\nNot started: fix what is marked DANGER above (`microgigs doctor` checks again).")
    return findings


def start_command(workers: int, host: str, port: int, build: bool = True) -> int:
    try:
        findings = prepare(workers, build)
    except StartRefused as refusal:
        print(refusal, file=sys.stderr)
        return 1
    print(doctor.report(findings))
    first = "Building the frontend, then serving" if build else "Serving the frontend already built:"
    print(f"\n{first} MicroGigs on {host}:{port} for {get_settings().public_url} ({workers} worker(s)).")
    command, env = serving_command(workers, host, port, build)
    os.execvpe(command[0], command, env)  # the server takes this process's place (systemd, containers)
    return 0  # not reached

"""`microgigs start`, the production start, run as an IT person runs it (a process of its own, on
an empty data folder): it migrates, consults the doctor and refuses to serve what is dangerous,
a demo, or several workers without Redis, saying why. It serving for real, twice (the second
process with --no-build), is tests/e2e/test_behind_proxy.py: behind nginx, over https."""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect

ROOT = Path(__file__).resolve().parents[2]


def _start(data_dir: Path, *args: str, **settings: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROGIGS_", "REFLEX_REDIS", "GRANIAN_"))}
    env.update(
        {
            "MICROGIGS_DATA_DIR": str(data_dir),
            "MICROGIGS_PUBLIC_URL": "https://gigs.uni.test",
            "MICROGIGS_DEMO_MODE": "false",
            "REFLEX_TELEMETRY_ENABLED": "false",
            "REFLEX_CHECK_LATEST_VERSION": "0",
            **settings,
        }
    )
    command = [sys.executable, "-c", "import sys; from microgigs.cli import main; sys.exit(main())", "start", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def _tables(data_dir: Path) -> set[str]:
    database = data_dir / "microgigs.db"
    if not database.exists():
        return set()
    engine = create_engine(f"sqlite:///{database}")
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_it_migrates_an_empty_database_then_refuses_stripe_without_webhook_secrets(tmp_path):
    data_dir = tmp_path / "data"

    started = _start(
        data_dir,
        MICROGIGS_PAYMENT_GATEWAY="stripe",
        MICROGIGS_STRIPE_SECRET_KEY="sk_test_not_checked_here",
        MICROGIGS_STRIPE_API_BASE="http://127.0.0.1:1",  # nothing there: the key check is a problem, not a danger
    )

    assert started.returncode == 1, started.stdout + started.stderr
    assert "DANGER   Stripe: MICROGIGS_STRIPE_WEBHOOK_SECRET is empty" in started.stderr
    assert "Not started" in started.stderr
    assert {"user", "gig", "alembic_version"} <= _tables(data_dir)  # migrated before the checks
    assert "Building the frontend" not in started.stdout


def test_it_refuses_the_demo(tmp_path):
    started = _start(tmp_path / "data", MICROGIGS_DEMO_MODE="true")

    assert started.returncode == 1
    assert "make run" in started.stderr and "MICROGIGS_DEMO_MODE=false" in started.stderr


def test_several_workers_need_redis_and_nothing_is_touched_first(tmp_path):
    data_dir = tmp_path / "data"

    started = _start(data_dir, "--workers", "2")

    assert started.returncode == 1
    assert "REFLEX_REDIS_URL" in started.stderr
    assert _tables(data_dir) == set()


def test_no_build_refuses_when_nothing_is_built_and_touches_nothing(tmp_path):
    data_dir = tmp_path / "data"

    started = _start(data_dir, "--no-build", REFLEX_WEB_WORKDIR=str(tmp_path / "web"))

    assert started.returncode == 1
    assert "--no-build, but no frontend is built in" in started.stderr and str(tmp_path / "web") in started.stderr
    assert _tables(data_dir) == set()

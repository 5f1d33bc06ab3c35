"""The `microgigs` command: seed-demo, seed-load, create-admin, backup, restore.

Migrations are not run here (restore excepted: it brings its archive to head): `reflex db
migrate` builds the schema first. When the schema is missing, each command says so and exits
with status 1.
"""

import argparse
import getpass
import os
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import select

from microgigs.db import get_engine, session_scope
from microgigs.demo import load_data
from microgigs.demo.content import STAFF
from microgigs.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, demo_email
from microgigs.demo.seed import NOT_IN_DEMO_MODE, seed_demo
from microgigs.models import User
from microgigs.services import accounts
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed
from microgigs.settings import get_settings

ADMIN_PASSWORD_ENV = "MICROGIGS_ADMIN_PASSWORD"
NO_SCHEMA = "The database has no tables yet. Run `reflex db migrate` first."


def _schema_ready(engine: Engine) -> bool:
    return inspect(engine).has_table("user")


def _error_text(error: DomainError) -> str:
    if isinstance(error, ValidationFailed):
        return "\n".join(f"  {field}: {message}" for field, message in error.errors.items())
    return f"  {error.message}"


def login_table() -> str:
    """The demo logins as a short table: role, email, password (students 2-19 share a row)."""
    logins = list(DEMO_LOGINS)
    students = [login for login in logins if login.role == "student"]
    rows = [(login.who, login.email) for login in logins if login.role != "student"]
    rows.append((students[0].who, students[0].email))
    if len(students) > 2:
        rows.append(("more students", f"{students[1].email.split('@')[0]} … {students[-2].email}"))
    rows.append((students[-1].who, students[-1].email))
    role_width = max(len(role) for role, _ in rows)
    email_width = max(len(email) for _, email in rows)
    lines = [f"  {'role':<{role_width}}  {'email':<{email_width}}  password"]
    lines += [f"  {role:<{role_width}}  {email:<{email_width}}  {DEMO_PASSWORD}" for role, email in rows]
    return "\n".join(lines)


def _print_logins(present: bool) -> None:
    print()
    print("Demo logins (one password for every demo account):")
    print(login_table())
    if not present:
        print("  (These demo accounts are not in this database: it already had other data.)")
    print()
    print(f"Open {get_settings().public_url}")


def seed_demo_command(if_empty: bool, today: date | None = None) -> int:
    if not get_settings().demo_mode:
        if if_empty:
            # `make run` with MICROGIGS_DEMO_MODE=false: a real install starts empty.
            print("Not in demo mode: no demo data is seeded. Create the first administrator with `microgigs create-admin`.")
            return 0
        print(NOT_IN_DEMO_MODE, file=sys.stderr)
        return 1
    engine = get_engine()
    if not _schema_ready(engine):
        print(NO_SCHEMA, file=sys.stderr)
        return 1
    staff_email = demo_email(STAFF["local"])
    with session_scope(engine) as session:
        has_users = session.exec(select(User.id).limit(1)).first() is not None
        demo_present = session.exec(select(User.id).where(User.email == staff_email)).first() is not None
    if if_empty and has_users:
        print("Database already has data; demo seed skipped.")
    elif demo_present:
        print("The demo data is already in this database; nothing to do.")
    else:
        started = time.perf_counter()
        try:
            with session_scope(engine) as session:
                summary = seed_demo(session, today or date.today())
        except DomainError as error:
            print("The demo seed was refused, and nothing was written:", file=sys.stderr)
            print(_error_text(error), file=sys.stderr)
            return 1
        print(f"Demo data seeded in {time.perf_counter() - started:.1f} s: {summary.describe()}")
        demo_present = True
    _print_logins(demo_present)
    return 0


def seed_load_command(gigs: int, students: int, force: bool) -> int:
    """The benchmarks' large data set (demo/load_data.py), in one transaction: all or nothing."""
    if not get_settings().demo_mode:
        print(NOT_IN_DEMO_MODE.replace("Demo data is", "Load data is"), file=sys.stderr)
        return 1
    engine = get_engine()
    if not _schema_ready(engine):
        print(NO_SCHEMA, file=sys.stderr)
        return 1
    print(f"Loading {gigs:,} gigs and {students:,} students into {engine.url.render_as_string(hide_password=True)} ...")
    try:
        with session_scope(engine) as session:
            summary = load_data.load(session, gigs=gigs, students=students, force=force)
    except load_data.LoadRefused as error:
        print(f"The load was refused, and nothing was written: {error}", file=sys.stderr)
        return 1
    load_data.tidy(engine)
    print(f"Loaded in {summary.seconds:.1f} s: {summary.describe()}")
    print("  steps: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in summary.phases.items()))
    print()
    print(f"Sign in as any of them with the demo password {DEMO_PASSWORD}:")
    print(f"  students  {load_data.student_email(1)} … {load_data.student_email(max(1, students))}")
    managers = summary.counts.get("managers", 0)
    print(f"  managers  {load_data.manager_email(1)} … {load_data.manager_email(max(1, managers))}")
    return 0


def _read_admin_password() -> str | None:
    from_env = os.environ.get(ADMIN_PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        print(f"Set {ADMIN_PASSWORD_ENV} or run this in a terminal to type the password.", file=sys.stderr)
        return None
    first = getpass.getpass("Password for the new admin: ")
    second = getpass.getpass("Type it again: ")
    if first != second:
        print("The two passwords differ; nothing was created.", file=sys.stderr)
        return None
    return first


def create_admin_command(email: str, name: str) -> int:
    engine = get_engine()
    if not _schema_ready(engine):
        print(NO_SCHEMA, file=sys.stderr)
        return 1
    password = _read_admin_password()
    if password is None:
        return 1
    try:
        with session_scope(engine) as session:
            user = accounts.create_privileged_user(session, email=email, display_name=name, password=password, role="admin")
            created_email = user.email
    except DomainError as error:
        print("The admin account was not created:", file=sys.stderr)
        print(_error_text(error), file=sys.stderr)
        return 1
    print(f"Admin account created: {created_email}. Sign in at {get_settings().public_url}/login")
    return 0


def doctor_command() -> int:
    from microgigs.operations import doctor

    findings = doctor.examine()
    print(doctor.report(findings))
    level = doctor.worst(findings)
    if level in ("problem", "danger"):
        print("\nFix what is marked PROBLEM or DANGER, then run `microgigs doctor` again.", file=sys.stderr)
        return 1
    print("\nNothing to fix.")
    return 0


def backup_command(to: str | None) -> int:
    from microgigs.operations.archive import BackupError
    from microgigs.operations.backup import create_backup

    destination = to or get_settings().backup_dir
    if not destination:
        print("Say where the backup goes: --to FOLDER (or a file name ending in .tar.gz), or set MICROGIGS_BACKUP_DIR.", file=sys.stderr)
        return 1
    try:
        result = create_backup(Path(destination))
    except BackupError as error:
        print(f"No backup was made: {error}.", file=sys.stderr)
        return 1
    print(f"Backup written: {result.path}")
    print(f"  {result.describe()}")
    return 0


def restore_command(archive: str) -> int:
    from sqlalchemy.engine import make_url

    from microgigs.operations.archive import BackupError
    from microgigs.operations.restore import NotMigrated, restore_backup

    settings = get_settings()
    database = make_url(settings.sqlalchemy_url).render_as_string(hide_password=True)  # not get_engine(): it makes the folder
    print(f"Restoring {archive} into the data folder {settings.data_dir} and the database {database} ...")
    try:
        result = restore_backup(Path(archive))
    except NotMigrated as error:
        print(f"Restored, but not migrated: {error}.", file=sys.stderr)
        return 1
    except BackupError as error:
        print(f"Nothing was restored: {error}.", file=sys.stderr)
        return 1
    manifest = result.manifest
    print(f"Checked {len(manifest.files)} file(s) against the backup's manifest (made {manifest.created_at}).")
    print(f"Restored the {manifest.database} database into {result.database} and {result.stored_files} stored file(s) and key(s).")
    print(f"Migrated from schema revision {manifest.schema_revision} to {result.revision}. Start MicroGigs as usual.")
    return 0


def _count_arg(raw: str) -> int:
    value = int(raw)
    if not 0 <= value <= 10_000_000:
        raise argparse.ArgumentTypeError("use a whole number from 0 to 10,000,000")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="microgigs", description="MicroGigs administration commands.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    seed = commands.add_parser(
        "seed-demo", help="in demo mode (MICROGIGS_DEMO_MODE=true): fill the database with demo data and print the demo logins"
    )
    seed.add_argument("--if-empty", action="store_true", help="do nothing when the database already has any user")
    load = commands.add_parser(
        "seed-load", help="in demo mode: fill the database with a large data set for the benchmarks (bulk inserts, minutes at most)"
    )
    load.add_argument("--gigs", type=_count_arg, default=100_000, help="gigs to add (default 100,000; 80%% open on the board)")
    load.add_argument("--students", type=_count_arg, default=20_000, help="students to add (default 20,000)")
    load.add_argument("--force", action="store_true", help="load even though the database holds accounts of real people")
    admin = commands.add_parser("create-admin", help=f"create an administrator (password from {ADMIN_PASSWORD_ENV} or typed in)")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", required=True)
    backup = commands.add_parser("backup", help="write one archive of the database, stored files and signing keys")
    backup.add_argument("--to", help="a folder (the archive gets a dated name) or a file ending in .tar.gz; default MICROGIGS_BACKUP_DIR")
    restore = commands.add_parser("restore", help="bring a backup into an empty data folder and database, check it and migrate it")
    restore.add_argument("archive", help="the .tar.gz that `microgigs backup` wrote")
    commands.add_parser("doctor", help="check the configuration and what it depends on (SMTP, Stripe, Redis, the database), in plain words")
    start = commands.add_parser(
        "start", help="serve a real install: migrate, check (refusing what is dangerous), then serve the production build"
    )
    start.add_argument("--workers", type=int, default=1, help="worker processes (2 or more need REFLEX_REDIS_URL)")
    start.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: a proxy in front)")
    start.add_argument("--port", type=int, default=3000, help="port to listen on (default 3000)")
    start.add_argument(
        "--no-build",
        dest="build",
        action="store_false",
        help="serve the frontend an earlier start of this version built (REFLEX_WEB_WORKDIR) instead of building it again",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "seed-demo":
        return seed_demo_command(args.if_empty)
    if args.command == "seed-load":
        return seed_load_command(args.gigs, args.students, args.force)
    if args.command == "create-admin":
        return create_admin_command(args.email, args.name)
    if args.command == "backup":
        return backup_command(args.to)
    if args.command == "restore":
        return restore_command(args.archive)
    if args.command == "doctor":
        return doctor_command()
    if args.command == "start":
        from microgigs.operations.start import start_command

        return start_command(args.workers, args.host, args.port, args.build)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())

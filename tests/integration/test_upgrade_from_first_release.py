"""Upgrading a real install: a database the first release filled (its own demo seed, with the
files its students handed in: tests/data/first_release) is migrated to the head revision on
SQLite and on PostgreSQL, and then served: the schema is exactly the models', the people sign in
with the passwords they had, a handed-in file downloads with the same bytes, gigs and money read
as they did, and new rows get new ids."""

import gzip
import json
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select
from starlette.testclient import TestClient

from microgigs import db, settings
from microgigs.http.app import build_api
from microgigs.http.limits import limit_request_size
from microgigs.models import Engagement, Gig, Skill, Submission, SubmissionFile, User
from microgigs.services import gigs, payments
from tests.conftest import ON_POSTGRES
from tests.migrations import empty_postgres_database, upgrade
from tests.smtp_server import use_settings
from tests.unit.test_migrations import differences

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "first_release"
DEMO_PASSWORD = "demo-password-2026"


def first_release() -> dict:
    with gzip.open(FIXTURE / "first_release.json.gz", "rt", encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture
def empty_database(request, tmp_path):
    """The URL of a database with nothing in it yet, of the kind this run tests."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'data' / 'microgigs.db'}"
        return
    with empty_postgres_database(request.getfixturevalue("postgres_server"), prefix="upgrade") as url:
        yield url


def _as_column_type(column: sa.Column, raw):
    """A value as SQLite gave it to the dump, as the column's type takes it on either database."""
    if raw is None:
        return None
    kind = column.type
    if isinstance(kind, sa.DateTime):
        return datetime.fromisoformat(raw)
    if isinstance(kind, sa.Date):
        return date.fromisoformat(raw)
    if isinstance(kind, sa.Boolean):
        return bool(raw)
    if isinstance(kind, sa.JSON) and isinstance(raw, str):
        return json.loads(raw)
    return raw


def load_first_release(url: str, dump: dict) -> None:
    """The dump's rows into a database at the first release's revision, in foreign-key order."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        tables = sa.MetaData()
        tables.reflect(engine)
        with engine.begin() as connection:
            for table in tables.sorted_tables:
                data = dump["tables"].get(table.name)
                if not data:
                    continue
                columns = [table.c[name] for name in data["columns"]]
                rows = [{c.name: _as_column_type(c, v) for c, v in zip(columns, row, strict=True)} for row in data["rows"]]
                connection.execute(table.insert(), rows)
            if engine.dialect.name == "postgresql":
                # Ids came with the rows: each table's sequence goes on from its highest.
                for table in tables.sorted_tables:
                    if "id" in table.c and table.name in dump["tables"]:
                        connection.execute(
                            sa.text(
                                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), (SELECT MAX(id) FROM \"{table.name}\"))"
                            )
                        )
    finally:
        engine.dispose()


@pytest.fixture
def upgraded(empty_database, tmp_path, monkeypatch):
    """The first release's data folder and database, upgraded to head, and the app pointed at it."""
    dump = first_release()
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    shutil.copytree(FIXTURE / "files", data_dir / "files")
    upgrade(empty_database, dump["revision"])
    load_first_release(empty_database, dump)

    upgrade(empty_database, "head")

    use_settings(
        monkeypatch,
        {
            "MICROGIGS_DATA_DIR": str(data_dir),
            "MICROGIGS_DATABASE_URL": empty_database,
            "MICROGIGS_PUBLIC_URL": "http://testserver",
            "MICROGIGS_DEMO_MODE": "true",  # the first release's demo accounts may sign in
        },
    )
    db.get_engine.cache_clear()
    yield empty_database, dump
    db.get_engine().dispose()
    db.get_engine.cache_clear()
    settings.get_settings.cache_clear()


def _count(dump: dict, table: str) -> int:
    return len(dump["tables"][table]["rows"])


def test_the_schema_is_the_models_and_every_row_is_there(upgraded):
    url, dump = upgraded

    assert differences(url) == set()
    with Session(db.get_engine()) as session:
        assert len(session.exec(select(User)).all()) == _count(dump, "user")
        assert len(session.exec(select(Gig)).all()) == _count(dump, "gig")
        assert len(session.exec(select(Engagement)).all()) == _count(dump, "engagement")


def test_people_sign_in_with_their_passwords_and_download_what_they_handed_in(upgraded):
    with Session(db.get_engine()) as session:
        handed_in = session.exec(select(SubmissionFile)).first()
        submission = session.get(Submission, handed_in.submission_id)
        student = session.get(User, session.get(Engagement, submission.engagement_id).student_id)
        expected = (FIXTURE / "files" / handed_in.stored_name).read_bytes()

    with TestClient(limit_request_size(build_api()), base_url="http://testserver", follow_redirects=False) as client:
        assert client.get(f"/files/{handed_in.id}").status_code == 401
        signed_in = client.post(
            "/auth/login", data={"email": student.email, "password": DEMO_PASSWORD}, headers={"origin": "http://testserver"}
        )
        assert signed_in.status_code == 303 and signed_in.headers["location"].startswith("/dashboard")

        downloaded = client.get(f"/files/{handed_in.id}")

    assert downloaded.status_code == 200
    assert downloaded.content == expected
    assert handed_in.original_name in downloaded.headers["content-disposition"]


def test_gigs_and_money_read_as_they_did_and_new_rows_get_new_ids(upgraded):
    _, dump = upgraded
    gig_rows = dump["tables"]["gig"]
    title_at = gig_rows["columns"].index("title")
    id_at = gig_rows["columns"].index("id")
    status_at = gig_rows["columns"].index("status")
    public = next(row for row in gig_rows["rows"] if row[status_at] == "open")
    ledger = dump["tables"]["ledgerentry"]
    kind_at, amount_at, engagement_at = (ledger["columns"].index(c) for c in ("kind", "amount_cents", "engagement_id"))
    engagement_id = ledger["rows"][0][engagement_at]
    funded = sum(row[amount_at] for row in ledger["rows"] if row[engagement_at] == engagement_id and row[kind_at] == "funded")

    with Session(db.get_engine()) as session:
        assert gigs.gig_detail(session, None, public[id_at]).card.title == public[title_at]
        assert payments.balance(session, engagement_id).funded == funded
        skill = Skill(name="Upgraded skill")
        session.add(skill)
        session.commit()
        assert skill.id > max(row[0] for row in dump["tables"]["skill"]["rows"])

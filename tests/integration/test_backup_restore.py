"""Backups: a busy demo backed up while it keeps writing, restored into a fresh data folder
(and, on PostgreSQL, a fresh database), and served through the real routes: the same gigs,
files download with the same bytes, credentials still verify, and no payment moves twice.
A damaged archive and a non-empty target are refused with nothing written."""

import io
import json
import stat
import tarfile
import threading
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlmodel import Session, select
from starlette.testclient import TestClient

from microgigs import db, settings
from microgigs.cli import main
from microgigs.demo.logins import DEMO_PASSWORD
from microgigs.demo.seed import seed_demo
from microgigs.http.app import build_api
from microgigs.http.limits import limit_request_size
from microgigs.integrations.payments import DemoGateway, GatewayUnavailable
from microgigs.integrations.signing import KeyStore
from microgigs.integrations.storage import FileStore
from microgigs.models import (
    AuditEvent,
    Credential,
    Engagement,
    EngagementPayment,
    Gig,
    LedgerEntry,
    Submission,
    SubmissionFile,
    User,
)
from microgigs.operations import schema
from microgigs.services import accounts, audit, center_settings, engagements, payments, profiles
from microgigs.services.payments import gateway as payment_gateway
from tests.conftest import ON_POSTGRES
from tests.integration.conftest import ORIGIN
from tests.migrations import revisions, upgrade
from tests.unit.test_center_settings import png

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
LOGO = png(3, 3)


# --- where things go -----------------------------------------------------------------------------


@pytest.fixture
def fast_hashing(monkeypatch):
    """Cheap argon2 parameters: the demo seed hashes two dozen passwords."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def source(configured, monkeypatch, fast_hashing):
    """The running install (a migrated database and a data folder), in demo mode."""
    monkeypatch.setenv("MICROGIGS_DEMO_MODE", "true")
    settings.get_settings.cache_clear()
    return configured


@pytest.fixture
def empty_database(request):
    """Makes the database a restore goes into: on PostgreSQL a new, empty one (its URL); on
    SQLite None (the file in the new data folder, which restore makes)."""
    made: list[str] = []

    def make() -> str | None:
        if not ON_POSTGRES:
            return None
        server = request.getfixturevalue("postgres_server")
        name = f"restored_{next(server.names)}"
        with server.admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        made.append(name)
        return server.url(name)

    yield make
    if made:
        server = request.getfixturevalue("postgres_server")
        with server.admin.connect() as connection:
            for name in made:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def point_at(monkeypatch, data_dir: Path, database_url: str | None) -> None:
    """The settings (and so the CLI and the routes) now name this data folder and database."""
    db.get_engine().dispose()
    monkeypatch.setenv("MICROGIGS_DATA_DIR", str(data_dir))
    if database_url is None:
        monkeypatch.delenv("MICROGIGS_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("MICROGIGS_DATABASE_URL", database_url)
    settings.get_settings.cache_clear()
    db.get_engine.cache_clear()


def fresh_target(monkeypatch, tmp_path: Path, empty_database, name: str = "restored") -> Path:
    data_dir = tmp_path / name
    point_at(monkeypatch, data_dir, empty_database())
    return data_dir


def backup(to: Path, capsys) -> Path:
    assert main(["backup", "--to", str(to)]) == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    assert printed.startswith("Backup written: ")
    (archive,) = to.glob("*.tar.gz")
    return archive


def refused(archive: Path, capsys) -> str:
    assert main(["restore", str(archive)]) == 1
    said = capsys.readouterr().err
    assert said.startswith("Nothing was restored: ")
    return said


def nothing_written(data_dir: Path) -> None:
    assert not data_dir.exists(), sorted(str(p) for p in data_dir.rglob("*"))
    if ON_POSTGRES:
        assert schema.table_names(settings.get_settings().sqlalchemy_url) == []


def client() -> TestClient:
    return TestClient(limit_request_size(build_api()), base_url="http://testserver", follow_redirects=False)


def sign_in(web: TestClient, email: str) -> None:
    response = web.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD}, headers=ORIGIN)
    assert response.status_code == 303 and response.headers["location"] == "/dashboard", response.text


# --- the busy demo -------------------------------------------------------------------------------


class _TimedOutTransfer(DemoGateway):
    """The payment service did not answer the payout: it waits for the retry job."""

    def transfer_to_student(self, **_kwargs):
        raise GatewayUnavailable("the payment service timed out")


class _Recording(DemoGateway):
    def __init__(self):
        self.transfers: list[dict] = []

    def transfer_to_student(self, **kwargs):
        self.transfers.append(kwargs)
        return super().transfer_to_student(**kwargs)


def seed_busy_demo(engine, monkeypatch) -> dict:
    """The demo campus, a photo, and one approval whose payout timed out (it waits for the retry job)."""
    with Session(engine, expire_on_commit=False) as session:
        seed_demo(session, date.today())
        session.commit()
        student = session.exec(select(User).where(User.email == "student1@demo.microgigs.test")).one()
        profiles.set_photo(session, student, "me.png", PNG)
        admin = accounts.create_privileged_user(
            session, email="admin@example.edu", display_name="Admin", password="an admin passphrase", role="admin"
        )
        logo_url = center_settings.save_logo(session, admin, "logo.png", LOGO).logo_url
        waiting = session.exec(select(Engagement).where(Engagement.status == "submitted").order_by(Engagement.id)).first()
        gig = session.get(Gig, waiting.gig_id)
        manager = session.get(User, gig.created_by_id)
        with monkeypatch.context() as patched:
            patched.setattr(payment_gateway, "current_gateway", lambda: _TimedOutTransfer())
            engagements.approve(session, manager, waiting.id)
        session.commit()
        payment = session.get(EngagementPayment, waiting.id)
        assert payment.state == "payout_pending" and payment.payout_key
        return {"student_id": student.id, "waiting_engagement": waiting.id, "payout_key": payment.payout_key, "logo_url": logo_url}


def rows(engine) -> dict[str, list[dict]]:
    """What must come back the same: gigs, money, credentials, stored files."""
    with Session(engine) as session:
        return {
            model.__name__: [row.model_dump() for row in session.exec(select(model).order_by(*model.__table__.primary_key.columns))]
            for model in (Gig, Engagement, EngagementPayment, LedgerEntry, Credential, Submission, SubmissionFile, User)
        }


class Writer:
    """The app at work while the backup runs: a commit after another, until told to stop."""

    def __init__(self, engine):
        self.engine, self.commits, self.first = engine, 0, threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run)

    def _run(self):
        while not self.stop.is_set():
            with Session(self.engine) as session:
                audit.record(session, None, "test.busy", "user", 1)
                session.commit()
            self.commits += 1
            self.first.set()

    def __enter__(self):
        self.thread.start()
        self.first.wait()
        return self

    def __exit__(self, *_exc):
        self.stop.set()
        self.thread.join()


# --- the round trip ------------------------------------------------------------------------------


def test_a_busy_demo_comes_back_whole_and_is_served(source, tmp_path, monkeypatch, capsys, empty_database):
    story = seed_busy_demo(source, monkeypatch)
    with client() as web:
        sign_in(web, "student1@demo.microgigs.test")
        export_before = web.get("/account/export.json").json()
    before = rows(source)
    keys_before = KeyStore(settings.get_settings().keys_dir).key_ids()
    source_dir = settings.get_settings().data_dir
    stored = {f["stored_name"]: (source_dir / "files" / f["stored_name"]).read_bytes() for f in before["SubmissionFile"]}
    assert stored and keys_before and before["Credential"]

    backups = tmp_path / "backups"
    with Writer(source) as writer:
        archive = backup(backups, capsys)
    written_during = writer.commits

    # Private: the folder is the owner's only, and so is the archive from its first byte.
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700 and stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert [p.name for p in backups.iterdir()] == [archive.name]  # no temporary file left
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert manifest["schema_revision"] == revisions()[-1]
    assert manifest["database"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert names == {"manifest.json"} | {f["path"] for f in manifest["files"]}
    assert {f"data/files/{name}" for name in stored} <= names and {f"data/keys/{kid}.pem" for kid in keys_before} <= names

    restored_dir = fresh_target(monkeypatch, tmp_path, empty_database)
    assert main(["restore", str(archive)]) == 0, capsys.readouterr().err
    said = capsys.readouterr().out
    assert f"Migrated from schema revision {revisions()[-1]} to {revisions()[-1]}" in said
    assert stat.S_IMODE(restored_dir.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in (restored_dir / "keys").iterdir())
    assert not [p for p in restored_dir.iterdir() if p.name.startswith(".")]  # the unpacked copy is gone

    engine = db.get_engine()
    assert rows(engine) == before  # the same gigs, people, money, credentials and file records
    with Session(engine) as session:
        busy = len(session.exec(select(AuditEvent.id).where(AuditEvent.action == "test.busy")).all())
    assert 1 <= busy <= written_during  # a consistent snapshot taken while the app wrote

    with client() as web:
        # Same gigs and the same story as the student sees it.
        sign_in(web, "student1@demo.microgigs.test")
        export_after = web.get("/account/export.json").json()
        for part in ("profile", "skills", "applications", "engagements", "submissions", "credentials"):
            assert export_after[part] == export_before[part], part
        assert web.get(f"/photos/{story['student_id']}").content == PNG
        assert web.get(story["logo_url"]).content == LOGO  # the center's logo (data/branding) too
        web.post("/auth/logout", headers=ORIGIN)
        # Every stored deliverable downloads, the same bytes, for the student who handed it in.
        by_student: dict[str, list[dict]] = {}
        with Session(engine) as session:
            for file in before["SubmissionFile"]:
                submission = session.get(Submission, file["submission_id"])
                student = session.get(User, session.get(Engagement, submission.engagement_id).student_id)
                by_student.setdefault(student.email, []).append(file)
        for email, files in by_student.items():
            sign_in(web, email)
            for file in files:
                response = web.get(f"/files/{file['id']}")
                assert response.status_code == 200 and response.content == stored[file["stored_name"]]
            web.post("/auth/logout", headers=ORIGIN)
        # Credentials issued before the backup still verify against the published keys.
        assert sorted(k["kid"] for k in web.get("/.well-known/jwks.json").json()["keys"]) == keys_before
        for credential in before["Credential"]:
            assert web.post("/api/credentials/verify", content=credential["jwt"]).json()["status"] == "valid"

    # No payment moves twice: the retry job sends only the payout that never went through,
    # with the idempotency key it had before the backup, and then nothing more.
    recording = _Recording()
    for _ in range(2):
        with Session(engine) as session:
            payments.retry_payouts(session, None, gateway=recording)
            session.commit()
    assert [(t["engagement_id"], t["idempotency_key"]) for t in recording.transfers] == [(story["waiting_engagement"], story["payout_key"])]
    with Session(engine) as session:
        assert session.get(EngagementPayment, story["waiting_engagement"]).state == "paid"
        assert all(payments.balance(session, engagement_id).balanced for engagement_id in session.exec(select(Engagement.id)))


# --- refusals ------------------------------------------------------------------------------------


@pytest.fixture
def small_archive(configured, tmp_path, capsys) -> Path:
    """A backup of an install with one signing key and one stored file."""
    current = settings.get_settings()
    KeyStore(current.keys_dir).rotate()
    FileStore(current.files_dir).save(b"%PDF-1.4 the deliverable", "scan.pdf")
    return backup(tmp_path / "backups", capsys)


def rewritten(archive: Path, to: Path, change) -> Path:
    """A copy of `archive` with its members passed through `change(name, data) -> [(name, data)]`."""
    with tarfile.open(archive) as source, tarfile.open(to, "w:gz") as target:
        for member in source:
            for name, data in change(member.name, source.extractfile(member).read()):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                target.addfile(info, io.BytesIO(data))
    return to


def test_a_damaged_file_in_the_archive_is_refused_before_anything_is_written(small_archive, tmp_path, monkeypatch, capsys, empty_database):
    def flip_a_byte(name, data):
        if name.startswith("data/files/"):
            data = bytes([data[0] ^ 1]) + data[1:]  # same size, other bytes
        return [(name, data)]

    damaged = rewritten(small_archive, tmp_path / "damaged.tar.gz", flip_a_byte)
    data_dir = fresh_target(monkeypatch, tmp_path, empty_database)
    said = refused(damaged, capsys)
    assert "data/files/" in said and "is damaged: its size or checksum does not match the manifest" in said
    nothing_written(data_dir)


def test_a_cut_short_archive_is_refused(small_archive, tmp_path, monkeypatch, capsys, empty_database):
    raw = small_archive.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(raw[: len(raw) // 2])
    data_dir = fresh_target(monkeypatch, tmp_path, empty_database)
    assert "cannot be read as a MicroGigs backup" in refused(cut, capsys)
    nothing_written(data_dir)


@pytest.mark.parametrize(
    "change, reason",
    [
        (
            lambda name, data: [(name, data), ("../outside.txt", b"x")] if name == "manifest.json" else [(name, data)],
            "not part of a MicroGigs backup",
        ),
        (lambda name, data: [] if name.startswith("data/keys/") else [(name, data)], "listed in its manifest but missing"),
        (
            lambda name, data: [(name, data), ("data/files/" + "0" * 32 + ".txt", b"x")] if name == "manifest.json" else [(name, data)],
            "which its manifest does not list",
        ),
    ],
    ids=["a path outside", "a member missing", "a member not listed"],
)
def test_an_archive_that_does_not_match_its_manifest_is_refused(
    small_archive, tmp_path, monkeypatch, capsys, empty_database, change, reason
):
    odd = rewritten(small_archive, tmp_path / "odd.tar.gz", change)
    data_dir = fresh_target(monkeypatch, tmp_path, empty_database)
    assert reason in refused(odd, capsys)
    nothing_written(data_dir)
    assert not (tmp_path / "outside.txt").exists()


def test_a_target_that_holds_data_is_refused_and_left_as_it_was(small_archive, tmp_path, monkeypatch, capsys, empty_database):
    # The running install itself: its files and database are there.
    current = settings.get_settings()
    listing = sorted((str(p), p.stat().st_size) for p in current.data_dir.rglob("*") if p.is_file())
    said = refused(small_archive, capsys)
    assert f"the data folder {current.data_dir} already holds keys/ (2 file(s))" in said and "MICROGIGS_DATA_DIR" in said
    assert sorted((str(p), p.stat().st_size) for p in current.data_dir.rglob("*") if p.is_file()) == listing

    # An empty data folder, but a database that already has tables.
    database_url = empty_database()
    point_at(monkeypatch, tmp_path / "other", database_url)
    if database_url is not None:
        upgrade(database_url, "head")
    else:
        upgrade(settings.get_settings().sqlalchemy_url, "head")
    said = refused(small_archive, capsys)
    assert "table(s). Restore only goes into an empty database" in said
    assert not (tmp_path / "other" / "keys").exists() and not (tmp_path / "other" / "files").exists()


def test_a_backup_of_an_older_schema_is_migrated_to_head(tmp_path, monkeypatch, capsys, empty_database, configured):
    older = revisions()[-2]
    source_url = empty_database()
    point_at(monkeypatch, tmp_path / "old-install", source_url)
    upgrade(settings.get_settings().sqlalchemy_url, older)
    archive = backup(tmp_path / "backups", capsys)

    fresh_target(monkeypatch, tmp_path, empty_database)
    assert main(["restore", str(archive)]) == 0, capsys.readouterr().err
    assert f"Migrated from schema revision {older} to {revisions()[-1]}" in capsys.readouterr().out
    assert schema.revision_of(settings.get_settings().sqlalchemy_url) == revisions()[-1]


def test_a_failed_migration_is_said_and_sqlite_keeps_nothing(small_archive, tmp_path, monkeypatch, capsys, empty_database):
    """SQLite: the copy is migrated before anything is placed, so nothing is. PostgreSQL: the
    migrations run once the data is in (pg_restore commits); it says so, and what to run."""

    def broken(_url):
        raise RuntimeError("the disk went away")

    data_dir = fresh_target(monkeypatch, tmp_path, empty_database)
    monkeypatch.setattr(schema, "upgrade_to_head", broken)
    assert main(["restore", str(small_archive)]) == 1
    said = capsys.readouterr().err
    assert "failed: the disk went away. Fix the cause, then run `reflex db migrate`" in said
    if ON_POSTGRES:
        assert said.startswith("Restored, but not migrated: ") and f"at the backup's revision {revisions()[-1]}" in said
        assert (data_dir / "keys").is_dir()
    else:
        assert said.startswith("Nothing was restored: ")
        nothing_written(data_dir)


def test_backup_says_where_it_needs_to_go(configured, capsys, monkeypatch):
    monkeypatch.delenv("MICROGIGS_BACKUP_DIR", raising=False)
    settings.get_settings.cache_clear()
    assert main(["backup"]) == 1
    assert "--to FOLDER" in capsys.readouterr().err


def test_restore_says_when_the_archive_is_not_there(configured, tmp_path, capsys):
    assert "is not a file" in refused(tmp_path / "nope.tar.gz", capsys)

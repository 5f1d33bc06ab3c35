"""The backup archive's rules that need no database: which member names restore takes, the
manifest read back, and PostgreSQL's password kept off pg_dump's command line."""

import pytest

from microgigs.operations import postgres_tools
from microgigs.operations.archive import BackupError, Entry, Manifest, is_allowed_member


@pytest.mark.parametrize(
    "name",
    [
        "manifest.json",
        "database/microgigs.db",
        "database/microgigs.pgdump",
        "data/keys/20261203-ab12cd34.pem",
        "data/keys/current-kid",
        "data/files/" + "0" * 32 + ".pdf",
        "data/photos/" + "f" * 32 + ".png",
    ],
)
def test_the_names_a_backup_has_are_taken(name):
    assert is_allowed_member(name)


@pytest.mark.parametrize(
    "name",
    [
        "../outside",
        "/etc/passwd",
        "data/files/../../outside",
        "data/files/sub/file.pdf",
        "data/other/file.pdf",
        "data/files/.hidden",
        "data/files/",
        "database/other.db",
        "./manifest.json",
        "data/keys/name with space.pem",
    ],
)
def test_any_other_name_is_refused(name):
    assert not is_allowed_member(name)


def test_the_manifest_reads_back_what_was_written():
    manifest = Manifest(
        created_at="2026-12-03T02:00:00+00:00",
        app_version="0.1.0",
        database="sqlite",
        schema_revision="bbe93a017199",
        files=[Entry("database/microgigs.db", 4096, "ab" * 32)],
    )
    assert Manifest.from_bytes(manifest.to_bytes()) == manifest
    assert manifest.database_member == "database/microgigs.db"


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"not json", "manifest.json cannot be read"),
        (b'{"format": 99}', "format 99; this version of MicroGigs reads format 1"),
        (b'{"format": 1, "database": "sqlite"}', "manifest.json cannot be read"),
        (b"[1, 2]", "manifest.json cannot be read"),
    ],
)
def test_a_manifest_that_is_not_one_is_refused_in_words(raw, says):
    with pytest.raises(BackupError, match=says):
        Manifest.from_bytes(raw)


def test_the_database_password_goes_in_the_environment_not_the_command_line():
    conninfo, env = postgres_tools.connection("postgresql+psycopg://microgigs:s3cret@db.example.edu:5433/microgigs?sslmode=require")
    assert conninfo == "postgresql://microgigs@db.example.edu:5433/microgigs?sslmode=require"
    assert env["PGPASSWORD"] == "s3cret"

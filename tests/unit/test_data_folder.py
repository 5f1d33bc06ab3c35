"""Issue 14, point 7: the signing key is 0600 from its first byte, and the data folder and its
folders of keys, deliverables and photos are 0700 (an existing looser one is tightened, and the
log says so). On the real filesystem, under a umask of 0o022 (the usual) and 0o000 (the worst).

"From its first byte" is checked by watching the folder at every audited file operation
(opening, chmod, rename, ...): whenever the process touches the file system while a key is
being made, no file in the keys folder may be readable by anyone but its owner.
"""

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from microgigs import data_folder, db
from microgigs.integrations.signing import KeyStore
from microgigs.integrations.storage import FileStore
from microgigs.services import profiles
from microgigs.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
UMASKS = [0o022, 0o000]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=UMASKS, ids=lambda u: f"umask{u:03o}")
def umask(request):
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


class FolderWatch:
    """An audit hook (installed once: they cannot be removed) that, while a folder is watched,
    records every file in it that others could read, at each file operation the process makes."""

    def __init__(self):
        self.folder: Path | None = None
        self.exposed: list[tuple[str, str, int]] = []
        self._busy = False
        sys.addaudithook(self._hook)

    def _hook(self, event: str, _args) -> None:
        if self.folder is None or self._busy or not event.startswith(("open", "os.")):
            return
        self._busy = True  # listing the folder is itself audited
        try:
            for entry in os.scandir(self.folder) if self.folder.is_dir() else ():
                mode = stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode)
                if entry.is_file(follow_symlinks=False) and mode & 0o077:
                    self.exposed.append((event, entry.name, mode))
        except OSError:
            pass
        finally:
            self._busy = False


_watch: FolderWatch | None = None


@pytest.fixture
def watch():
    global _watch
    if _watch is None:
        _watch = FolderWatch()
    _watch.exposed = []
    yield _watch
    _watch.folder = None


def test_a_new_signing_key_is_never_readable_by_others_not_even_for_a_moment(tmp_path, umask, watch):
    keys = tmp_path / "data" / "keys"
    watch.folder = keys
    kid = KeyStore(keys).rotate()
    watch.folder = None

    assert watch.exposed == []  # at no file operation was a key (or the current-kid file) readable by others
    assert mode_of(keys / f"{kid}.pem") == 0o600
    assert mode_of(keys / "current-kid") == 0o600
    assert mode_of(keys) == 0o700
    assert mode_of(tmp_path / "data") == 0o700  # the missing data folder was made private too
    assert (keys / "current-kid").read_text() == kid
    assert sorted(p.name for p in keys.iterdir()) == sorted([f"{kid}.pem", "current-kid"])  # no temporary file left


def test_a_second_key_replaces_the_current_kid_whole_and_keeps_the_first(tmp_path, umask):
    store = KeyStore(tmp_path / "keys")
    first = store.rotate()
    second = store.rotate()
    assert (tmp_path / "keys" / "current-kid").read_text() == second
    assert store.key_ids() == sorted([first, second])
    assert store.signing_key().kid == second
    assert all(mode_of(p) == 0o600 for p in (tmp_path / "keys").iterdir())


def test_the_engine_makes_the_data_folder_owner_only(tmp_path, umask, monkeypatch):
    data = tmp_path / "var" / "data"
    monkeypatch.setenv("MICROGIGS_DATA_DIR", str(data))
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    try:
        db.get_engine()
        assert mode_of(data) == 0o700
        assert mode_of(tmp_path / "var") == 0o700  # made by us, so ours to close
    finally:
        db.get_engine().dispose()
        db.get_engine.cache_clear()
        get_settings.cache_clear()


def test_stored_deliverables_and_photos_are_owner_only(tmp_path, umask):
    stored = FileStore(tmp_path / "data" / "files").save(b"a,b\n1,2\n", "results.csv")
    assert mode_of(tmp_path / "data" / "files") == 0o700
    assert mode_of(tmp_path / "data" / "files" / stored.stored_name) == 0o600
    assert (tmp_path / "data" / "files" / stored.stored_name).read_bytes() == b"a,b\n1,2\n"


def test_a_photo_is_stored_owner_only(session, make, umask):
    student = make.student()
    profiles.set_photo(session, student, "me.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    folder = get_settings().photos_dir
    assert mode_of(folder) == 0o700
    assert [mode_of(p) for p in folder.iterdir()] == [0o600]


def test_an_existing_looser_data_folder_is_tightened_at_start_and_the_log_says_so(tmp_path, caplog):
    data = tmp_path / "data"
    for folder in (data, data / "keys", data / "files", data / "photos"):
        folder.mkdir()
        folder.chmod(0o755)
    (data / "unrelated").mkdir()
    (data / "unrelated").chmod(0o755)
    settings = get_settings().model_copy(update={"data_dir": data})

    with caplog.at_level(logging.WARNING, logger="microgigs.data_folder"):
        data_folder.secure_data_folder(settings)

    assert [mode_of(f) for f in (data, data / "keys", data / "files", data / "photos")] == [0o700] * 4
    assert mode_of(data / "unrelated") == 0o755  # not one of ours
    tightened = [r.getMessage() for r in caplog.records if r.name == "microgigs.data_folder"]
    assert len(tightened) == 4 and all("755" in line and "700" in line for line in tightened)

    caplog.clear()
    data_folder.secure_data_folder(settings)
    assert not caplog.records  # nothing to say the second time


@pytest.mark.parametrize("mask", UMASKS, ids=lambda u: f"umask{u:03o}")
def test_reflex_config_makes_the_data_folder_owner_only_before_any_command_runs(tmp_path, mask):
    """rxconfig.py runs first in every `reflex` command (`reflex db migrate` opens the SQLite file)."""
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROGIGS_")}
    env["MICROGIGS_DATA_DIR"] = str(data)
    done = subprocess.run(
        [sys.executable, "-c", "import rxconfig"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.umask(mask),
    )
    assert done.returncode == 0, done.stderr
    assert mode_of(data) == 0o700


def test_a_looser_folder_this_account_may_not_change_is_reported_not_fatal(tmp_path, caplog, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)

    def refuse(self, mode):
        raise PermissionError(1, "Operation not permitted", str(self))

    monkeypatch.setattr(Path, "chmod", refuse)
    with caplog.at_level(logging.ERROR, logger="microgigs.data_folder"):
        data_folder.private_folder(data)
    assert "run chmod 700 on it" in caplog.text

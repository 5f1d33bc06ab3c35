"""Issue 14, point 7: a deliverable over the size limit is refused before it is read whole into
memory (by the size the upload recorded, else after reading one byte past the limit), with the
message the form already shows; the file picker's own refusal names the limit in force. The
profile photo does the same. States driven under pytest against this test's database."""

import io
from pathlib import Path

import reflex as rx
from sqlmodel import select

from microgigs.models import Submission
from microgigs.services import profiles
from microgigs.state.profile import ProfileState
from microgigs.state.workspace import EngagementState, SubmitForm
from tests.unit.state_harness import form_of
from tests.unit.state_harness import run_handler as _run
from tests.unit.state_harness import session_token as _token
from tests.unit.state_harness import state_for as _state

LIMIT = 1000


class TrackedFile(io.BytesIO):
    """A spooled upload that remembers how many bytes were read out of it."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def upload(name: str, data: bytes, *, size_known: bool = True) -> tuple[rx.UploadFile, TrackedFile]:
    spooled = TrackedFile(data)
    return rx.UploadFile(file=spooled, path=Path(name), size=len(data) if size_known else None), spooled


def workspace(app_db, make):
    hired = make.hired()
    app_db.commit()
    page = _state(EngagementState, f"/engagements/{hired.engagement.id}", _token(app_db, hired.student))
    _run("load_engagement", page)
    assert page.can_submit
    return form_of(page, SubmitForm)


def test_a_deliverable_over_the_limit_is_refused_without_reading_it(app_db, make, set_setting):
    set_setting("max_upload_bytes", LIMIT)
    state = workspace(app_db, make)
    small, _ = upload("notes.txt", b"fine")
    big, spooled = upload("survey.csv", b"x" * 50_000)

    _run("submit_deliverable", state, [small, big], {"note": "Both files are attached here."})

    assert spooled.bytes_read == 0  # its recorded size was enough to refuse it
    assert state.errors == {"files": "survey.csv is larger than 1000 bytes."}
    assert app_db.exec(select(Submission)).all() == []


def test_a_deliverable_of_unknown_size_is_read_only_one_byte_past_the_limit(app_db, make, set_setting):
    set_setting("max_upload_bytes", LIMIT)
    state = workspace(app_db, make)
    big, spooled = upload("survey.csv", b"x" * 50_000, size_known=False)

    _run("submit_deliverable", state, [big], {"note": "The survey is attached here."})

    assert spooled.bytes_read == LIMIT + 1
    assert state.errors == {"files": "survey.csv is larger than 1000 bytes."}
    assert app_db.exec(select(Submission)).all() == []


def test_a_deliverable_exactly_at_the_limit_is_accepted(app_db, make, set_setting):
    set_setting("max_upload_bytes", LIMIT)
    state = workspace(app_db, make)
    exact, spooled = upload("survey.csv", b"x" * LIMIT, size_known=False)

    _run("submit_deliverable", state, [exact], {"note": "The survey is attached here."})

    assert state.errors == {}
    assert spooled.bytes_read == LIMIT
    [submission] = app_db.exec(select(Submission)).all()
    assert submission.version == 1


def test_the_pickers_refusal_names_the_limit_in_force(app_db, make, set_setting):
    set_setting("max_upload_bytes", 3 * 1024 * 1024)
    state = workspace(app_db, make)
    rejected = [{"name": "huge.zip", "codes": ["file-too-large"]}]
    _run("files_rejected", state, rejected)
    assert state.errors == {"files": "huge.zip was not added: it is larger than 3 MB."}


def profile_state(app_db, make):
    student = make.student()
    app_db.commit()
    state = _state(ProfileState, "/profile", _token(app_db, student))
    _run("load_profile", state)
    return state, student


def test_a_photo_over_the_limit_is_refused_without_reading_it(app_db, make):
    state, student = profile_state(app_db, make)
    big, spooled = upload("me.png", b"\x89PNG\r\n\x1a\n" + b"0" * profiles.MAX_PHOTO_BYTES)

    _run("upload_photo", state, [big], {})

    assert spooled.bytes_read == 0
    assert state.field_errors["photo"] == "That photo is too large: at most 2 MB."
    app_db.refresh(student)
    assert student.photo_name is None or student.photo_name == ""


def test_the_photo_pickers_refusals_say_why(app_db, make):
    state, _ = profile_state(app_db, make)
    too_large = [{"name": "me.png", "codes": ["file-too-large"]}]
    _run("photo_rejected", state, too_large)
    assert state.field_errors["photo"] == "That photo is too large: at most 2 MB."
    wrong_type = [{"name": "me.gif", "codes": ["file-invalid-type"]}]
    _run("photo_rejected", state, wrong_type)
    assert state.field_errors["photo"] == "Choose a PNG, JPEG or WebP image."


def test_whatever_a_client_sends_as_a_refusal_gives_a_plain_message(app_db, make):
    state = workspace(app_db, make)
    for junk in ("garbage", [], [5], [{"name": 7, "codes": "file-too-large"}], [{"name": "../../etc/passwd.zip"}]):
        _run("files_rejected", state, junk)
        assert state.errors["files"].endswith("was not added: use PDF, PNG, JPG, GIF, TXT, MD, CSV, JSON, ZIP, DOCX, XLSX or PPTX.")
    assert state.errors["files"].startswith("passwd.zip was not added")
    _run("files_rejected", state, [{"name": "a.pdf", "codes": ["too-many-files"]}])
    assert state.errors["files"] == "a.pdf was not added: attach at most 10 files at once."

"""engagements: submitting deliverables (notes, links, files), reviewing versions,
paying out, completing the gig, and who may download a deliverable."""

import hashlib
import json
import re

import pytest
from sqlmodel import func, select

from microgigs.models import AuditEvent, Notification, Submission, SubmissionFile
from microgigs.services import applications, closing, engagements, payments
from microgigs.services.engagements import UploadedFile
from microgigs.services.errors import DomainError, NotAllowed, NotFound
from microgigs.services.validation import ValidationFailed
from microgigs.settings import get_settings

NOTE = "Here is the cleaned data set and the README."


def count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def submit(session, hired, note=NOTE, link="", files=None, actor=None):
    return engagements.submit_deliverable(session, actor or hired.student, hired.engagement.id, note, link, files)


def stored_files() -> list[str]:
    root = get_settings().files_dir
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


# --- who may see and submit ----------------------------------------------------------------


def test_get_engagement_for_each_party_and_not_found_for_others(session, make):
    hired = make.hired()
    for viewer in (hired.student, hired.employer.manager, make.staff()):
        assert engagements.get_engagement(session, viewer, hired.engagement.id).id == hired.engagement.id
    for outsider in (make.student(), make.employer().manager, None):
        with pytest.raises(NotFound, match="That engagement was not found."):
            engagements.get_engagement(session, outsider, hired.engagement.id)
    with pytest.raises(NotFound):
        engagements.get_engagement(session, hired.student, 31337)


def test_student_submits_a_first_version(session, make):
    hired = make.hired()
    submission = submit(session, hired, link="https://example.com/work")
    assert (submission.version, submission.note, submission.link, submission.created_by_id) == (
        1,
        NOTE,
        "https://example.com/work",
        hired.student.id,
    )
    assert hired.engagement.status == "submitted" and hired.engagement.submitted_at is not None
    assert hired.gig.status == "in_progress"
    [note] = session.exec(
        select(Notification).where(Notification.user_id == hired.employer.manager.id, Notification.kind == "submission.new")
    ).all()
    assert note.title == f"New submission (v1) from {hired.student.display_name} on {hired.gig.title}"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "engagement.submitted")).one()
    assert event.actor_id == hired.student.id and json.loads(event.detail) == {"previous": "active"}


def test_manager_staff_and_other_students_cannot_submit(session, make):
    hired = make.hired()
    for actor in (hired.employer.manager, make.staff()):
        with pytest.raises(NotAllowed, match="Only the student doing the work can submit deliverables."):
            submit(session, hired, actor=actor)
    for actor in (make.student(), make.employer().manager):
        with pytest.raises(NotFound):
            submit(session, hired, actor=actor)
    assert count(session, Submission) == 0 and hired.engagement.status == "active"


def test_cannot_submit_while_waiting_for_review_or_after_payment(session, make):
    hired = make.hired()
    submit(session, hired)
    with pytest.raises(DomainError) as info:
        submit(session, hired)
    assert info.value.message == "Your last version is waiting for the manager's review."
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    with pytest.raises(DomainError, match="This work is already approved and paid."):
        submit(session, hired)
    assert count(session, Submission) == 1


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("funding", "Work starts once the employer has funded this engagement."),
        ("approved", "This work is already approved."),
        ("cancelled", "Nothing can be submitted while the engagement is cancelled."),
        ("disputed", "Nothing can be submitted while the engagement is disputed."),
    ],
)
def test_cannot_submit_in_other_states(session, make, status, message):
    hired = make.hired()
    hired.engagement.status = status
    session.add(hired.engagement)
    with pytest.raises(DomainError) as info:
        submit(session, hired)
    assert info.value.message == message


# --- what a submission must contain ------------------------------------------------------


def test_short_note_alone_is_refused(session, make):
    hired = make.hired()
    with pytest.raises(ValidationFailed) as info:
        submit(session, hired, note="Done!")
    assert info.value.errors == {"note": "Add a link or a file, or describe the deliverable in at least 20 characters."}
    assert count(session, Submission) == 0 and hired.engagement.status == "active"


def test_short_note_with_a_link_or_a_file_is_fine(session, make):
    hired = make.hired()
    assert submit(session, hired, note="Done!", link="https://example.com/x").version == 1
    other = make.hired()
    assert submit(session, other, note="Done!", files=[UploadedFile("a.txt", b"hello")]).version == 1


def test_note_is_always_required_and_capped(session, make):
    hired = make.hired()
    with pytest.raises(ValidationFailed) as info:
        submit(session, hired, note="  ", link="https://example.com/x")
    assert info.value.errors == {"note": "Enter a note on what you are handing in."}
    with pytest.raises(ValidationFailed) as info:
        submit(session, hired, note="n" * 5001)
    assert info.value.errors == {"note": "Use at most 5,000 characters (you have 5,001)."}


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "example.com/work", "ftp://example.com/x", "https://exa mple.com", "https://example.com/" + "x" * 500]
)
def test_bad_link_is_refused(session, make, link):
    hired = make.hired()
    with pytest.raises(ValidationFailed) as info:
        submit(session, hired, link=link)
    assert info.value.errors == {"link": "Enter a full web address starting with https://"}


@pytest.mark.parametrize("name", ["setup.exe", "script.sh", "page.html", "image.svg", "noextension", "report.pdf.exe", "archive.tar.gz"])
def test_forbidden_file_types_are_refused(session, make, name):
    hired = make.hired()
    with pytest.raises(ValidationFailed) as info:
        submit(session, hired, files=[UploadedFile(name, b"MZ\x90\x00")])
    assert "this type of file is not accepted" in info.value.errors["files"]
    assert ".pdf" in info.value.errors["files"]
    assert count(session, SubmissionFile) == 0
    assert stored_files() == []


def test_file_larger_than_the_limit_is_refused(session, make, set_setting):
    set_setting("max_upload_bytes", 100)
    hired = make.hired()
    with pytest.raises(ValidationFailed) as info:
        submit(session, hired, files=[UploadedFile("big.pdf", b"x" * 101)])
    assert info.value.errors["files"].startswith("big.pdf is larger than")
    assert submit(session, hired, files=[UploadedFile("ok.pdf", b"x" * 100)]).version == 1


def test_empty_file_is_refused(session, make):
    hired = make.hired()
    with pytest.raises(ValidationFailed) as info:
        submit(session, hired, files=[UploadedFile("empty.pdf", b"")])
    assert info.value.errors == {"files": "empty.pdf is empty."}


def test_at_most_ten_files(session, make):
    hired = make.hired()
    with pytest.raises(ValidationFailed) as info:
        submit(session, hired, files=[UploadedFile(f"f{n}.txt", b"x") for n in range(11)])
    assert info.value.errors["files"] == "Attach at most 10 files."


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.txt", "win.ini.txt"),
        ("/abs/path/report.PDF", "report.PDF"),
        ("<script>alert(1)</script>.pdf", "script_.pdf"),
        ("rapport d\u2019\u00e9t\u00e9.pdf", "rapport d_t_.pdf"),
        ("..pdf", "pdf"),
    ],
)
def test_hostile_file_names_are_stored_under_generated_names(session, make, hostile, shown):
    hired = make.hired()
    data = b"%PDF-1.4 the work"
    if not shown.lower().endswith((".pdf", ".txt")):
        with pytest.raises(ValidationFailed):
            submit(session, hired, files=[UploadedFile(hostile, data)])
        return
    submission = submit(session, hired, files=[UploadedFile(hostile, data)])
    row = session.exec(select(SubmissionFile).where(SubmissionFile.submission_id == submission.id)).one()
    assert row.original_name == shown
    assert re.fullmatch(r"[0-9a-f]{32}\.(pdf|txt)", row.stored_name)
    root = get_settings().files_dir.resolve()
    path = root / row.stored_name
    assert path.read_bytes() == data
    assert path.resolve().parent == root
    assert (row.size_bytes, row.content_type) == (len(data), "application/pdf" if shown.lower().endswith(".pdf") else "text/plain")
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert stored_files() == [row.stored_name]  # nothing written anywhere else under files/


def test_long_file_name_keeps_its_extension(session, make):
    """Regression: names over 120 characters used to be cut through the extension and refused."""
    hired = make.hired()
    name = "Quarterly customer survey analysis - final version reviewed by the whole team including appendix tables and charts (2).pdf"
    submission = submit(session, hired, files=[UploadedFile(name, b"%PDF-1.4")])
    row = session.exec(select(SubmissionFile).where(SubmissionFile.submission_id == submission.id)).one()
    assert row.original_name.endswith(".pdf") and len(row.original_name) <= 120
    assert row.content_type == "application/pdf" and row.stored_name.endswith(".pdf")


def test_failed_file_save_leaves_no_orphan_files(session, make, monkeypatch):
    from microgigs.integrations.storage import FileStore

    hired = make.hired()
    real_save = FileStore.save
    calls = {"n": 0}

    def flaky_save(self, data, display_name):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_save(self, data, display_name)

    monkeypatch.setattr(FileStore, "save", flaky_save)
    with pytest.raises(OSError):
        submit(session, hired, files=[UploadedFile("a.pdf", b"one"), UploadedFile("b.pdf", b"two")])
    session.rollback()
    assert stored_files() == []
    assert count(session, Submission) == 0


# --- reviewing ---------------------------------------------------------------------------


def test_versions_increment_through_a_change_request(session, make):
    hired = make.hired()
    manager = hired.employer.manager
    assert submit(session, hired).version == 1
    engagements.request_changes(session, manager, hired.engagement.id, "  Please add the README. ", expected_version=1)
    assert hired.engagement.status == "changes_requested" and hired.engagement.revision_rounds_used == 1
    first = session.exec(select(Submission).where(Submission.version == 1)).one()
    assert (first.decision, first.decision_comment) == ("changes_requested", "Please add the README.")
    [note] = session.exec(select(Notification).where(Notification.kind == "submission.changes_requested")).all()
    assert note.user_id == hired.student.id
    second = submit(session, hired, link="https://example.com/v2")
    assert second.version == 2 and hired.engagement.status == "submitted"
    assert engagements.latest_version(session, hired.engagement.id) == 2


def test_approve_pays_the_student_and_balances_the_ledger(session, make):
    hired = make.hired(pay_cents=50_000)
    manager = hired.employer.manager
    submit(session, hired)
    engagement = engagements.approve(session, manager, hired.engagement.id, expected_version=1)
    assert engagement.status == "paid"
    assert engagement.approved_at is not None and engagement.paid_at is not None
    balance = payments.balance(session, engagement.id)
    assert balance.balanced
    assert (balance.funded, balance.platform_fee, balance.held, balance.transferred, balance.refunded) == (55_000, 5_000, 0, 50_000, 0)
    latest = session.exec(select(Submission)).one()
    assert latest.decision == "approved" and latest.decided_at is not None
    [note] = session.exec(select(Notification).where(Notification.kind == "engagement.paid")).all()
    assert note.user_id == hired.student.id
    actions = [
        (e.action, e.actor_id)
        for e in session.exec(select(AuditEvent).where(AuditEvent.subject_type == "engagement").order_by(AuditEvent.id))
    ]
    assert actions[-3:] == [("engagement.submitted", hired.student.id), ("engagement.approved", manager.id), ("engagement.paid", None)]


def test_approving_twice_is_refused_and_pays_once(session, make):
    hired = make.hired()
    submit(session, hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    with pytest.raises(DomainError, match="This work is already approved and paid."):
        engagements.approve(session, hired.employer.manager, hired.engagement.id)
    assert payments.balance(session, hired.engagement.id).transferred == hired.engagement.pay_cents


def test_approving_a_stale_version_is_refused(session, make):
    hired = make.hired()
    manager = hired.employer.manager
    submit(session, hired)
    engagements.request_changes(session, manager, hired.engagement.id, "More detail please")
    submit(session, hired)
    with pytest.raises(DomainError) as info:
        engagements.approve(session, manager, hired.engagement.id, expected_version=1)
    assert info.value.message == "A newer version (v2) has arrived; review that one."
    with pytest.raises(DomainError, match=r"A newer version \(v2\)"):
        engagements.request_changes(session, manager, hired.engagement.id, "x", expected_version=1)
    assert hired.engagement.status == "submitted"
    assert engagements.approve(session, manager, hired.engagement.id, expected_version=2).status == "paid"


def test_nothing_to_review_before_a_submission(session, make):
    hired = make.hired()
    with pytest.raises(DomainError, match="There is no submission waiting for review."):
        engagements.approve(session, hired.employer.manager, hired.engagement.id)
    submit(session, hired)
    engagements.request_changes(session, hired.employer.manager, hired.engagement.id, "Fix the header")
    with pytest.raises(DomainError, match="You already asked for changes; wait for the next version."):
        engagements.approve(session, hired.employer.manager, hired.engagement.id)


def test_only_the_gigs_managers_review(session, make):
    hired = make.hired()
    submit(session, hired)
    for actor in (hired.student, make.staff()):
        with pytest.raises(NotAllowed, match="Only the gig's managers can review submissions."):
            engagements.approve(session, actor, hired.engagement.id)
        with pytest.raises(NotAllowed):
            engagements.request_changes(session, actor, hired.engagement.id, "x")
    for outsider in (make.employer().manager, make.student()):
        with pytest.raises(NotFound):
            engagements.approve(session, outsider, hired.engagement.id)
    assert hired.engagement.status == "submitted"
    assert payments.balance(session, hired.engagement.id).transferred == 0


def test_request_changes_needs_a_comment(session, make):
    hired = make.hired()
    submit(session, hired)
    with pytest.raises(DomainError) as info:
        engagements.request_changes(session, hired.employer.manager, hired.engagement.id, "  \x00 ")
    assert (info.value.message, info.value.field) == ("Say what should change.", "comment")
    with pytest.raises(DomainError) as info:
        engagements.request_changes(session, hired.employer.manager, hired.engagement.id, "c" * 5001)
    assert (info.value.message, info.value.field) == ("Use at most 5,000 characters.", "comment")
    assert hired.engagement.revision_rounds_used == 0 and hired.engagement.status == "submitted"


def test_revision_rounds_are_counted_and_capped(session, make):
    hired = make.hired()
    manager = hired.employer.manager
    assert hired.engagement.max_revision_rounds == 2
    for round_ in (1, 2):
        submit(session, hired)
        engagements.request_changes(session, manager, hired.engagement.id, f"Round {round_}")
        assert hired.engagement.revision_rounds_used == round_
    submission = submit(session, hired)
    assert submission.version == 3
    with pytest.raises(DomainError) as info:
        engagements.request_changes(session, manager, hired.engagement.id, "One more")
    assert info.value.message == "All 2 revision rounds are used; approve this version or agree a new scope."
    assert hired.engagement.status == "submitted"
    assert engagements.approve(session, manager, hired.engagement.id).status == "paid"


def test_revision_cap_follows_settings_at_posting_time(session, make, set_setting):
    set_setting("default_revision_rounds", 0)
    hired = make.hired()
    submit(session, hired)
    with pytest.raises(DomainError, match="All 0 revision rounds are used"):
        engagements.request_changes(session, hired.employer.manager, hired.engagement.id, "Please change")


# --- the gig completes ------------------------------------------------------------------------


def test_gig_completes_when_its_only_engagement_is_paid(session, make):
    hired = make.hired()
    assert hired.gig.status == "filled"
    submit(session, hired)
    assert hired.gig.status == "in_progress"
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    assert hired.gig.status == "completed"
    moves = [
        e.action
        for e in session.exec(
            select(AuditEvent).where(AuditEvent.subject_type == "gig", AuditEvent.subject_id == hired.gig.id).order_by(AuditEvent.id)
        )
    ]
    assert moves[-3:] == ["gig.filled", "gig.in_progress", "gig.completed"]


def test_gig_completes_only_when_every_engagement_is_paid(session, make):
    employer = make.employer()
    gig = make.gig(employer, slots=2)
    students = [make.student(), make.student()]
    found = [applications.accept(session, employer.manager, make.apply(s, gig).id) for s in students]
    assert gig.status == "filled"
    for student, engagement in zip(students, found, strict=True):
        engagements.submit_deliverable(session, student, engagement.id, NOTE, "https://example.com/x")
    engagements.approve(session, employer.manager, found[0].id)
    assert gig.status == "in_progress"
    engagements.approve(session, employer.manager, found[1].id)
    assert gig.status == "completed"
    assert all(payments.balance(session, e.id).balanced for e in found)


def test_a_gig_with_free_slots_stays_open_after_paying(session, make):
    employer = make.employer()
    gig = make.gig(employer, slots=2)
    student = make.student()
    engagement = applications.accept(session, employer.manager, make.apply(student, gig).id)
    engagements.submit_deliverable(session, student, engagement.id, NOTE, "https://example.com/x")
    engagements.approve(session, employer.manager, engagement.id)
    assert (gig.status, engagement.status) == ("open", "paid")


def test_cancelling_a_filled_gig_settles_its_engagements(session, make):
    hired = make.hired()
    closing.cancel_gig(session, hired.employer.manager, hired.gig.id, "Project dropped")
    assert hired.engagement.status == "cancelled"
    balance = payments.balance(session, hired.engagement.id)
    assert balance.held == 0 and balance.balanced
    # Before any work: everything goes back to the employer, the platform fee too.
    assert balance.refunded == balance.funded and balance.platform_fee == 0 and balance.transferred == 0
    with pytest.raises(DomainError):
        engagements.submit_deliverable(session, hired.student, hired.engagement.id, NOTE, "https://example.com/x")


def test_cancelling_after_work_started_pays_the_kill_fee_and_refunds_the_rest(session, make):
    hired = make.hired()
    engagements.submit_deliverable(session, hired.student, hired.engagement.id, NOTE, "https://example.com/x")
    closing.cancel_gig(session, hired.employer.manager, hired.gig.id, "Project dropped")
    balance = payments.balance(session, hired.engagement.id)
    pay, fee = hired.engagement.pay_cents, hired.engagement.fee_cents
    kill_fee = round(pay * get_settings().kill_fee_percent / 100)
    assert (balance.held, balance.transferred, balance.refunded, balance.platform_fee) == (0, kill_fee, pay - kill_fee, fee)
    assert balance.balanced
    assert hired.engagement.status == "cancelled"


# --- downloads ---------------------------------------------------------------------------------


@pytest.fixture
def delivered(session, make):
    hired = make.hired()
    submission = submit(session, hired, files=[UploadedFile("report.pdf", b"%PDF-1.4 work")])
    row = session.exec(select(SubmissionFile).where(SubmissionFile.submission_id == submission.id)).one()
    return hired, row


def test_file_download_for_the_student_the_manager_and_staff(session, make, delivered):
    hired, row = delivered
    co = make.second_manager(hired.employer)
    for viewer in (hired.student, hired.employer.manager, co, make.staff()):
        found, path = engagements.file_for_download(session, viewer, row.id)
        assert found.id == row.id
        assert path.read_bytes() == b"%PDF-1.4 work"
        assert path.parent == get_settings().files_dir


def test_file_download_is_not_found_for_everyone_else(session, make, delivered):
    _, row = delivered
    for outsider in (make.student(), make.employer().manager, None):
        with pytest.raises(NotFound, match="That file was not found."):
            engagements.file_for_download(session, outsider, row.id)
    with pytest.raises(NotFound, match="That file was not found."):
        engagements.file_for_download(session, make.staff(), 999_999)


def test_file_download_refused_for_a_deactivated_student(session, make, delivered):
    hired, row = delivered
    hired.student.is_active = False
    with pytest.raises(NotFound):
        engagements.file_for_download(session, hired.student, row.id)

"""Public evidence: the employer allows showing the approved deliverables, the student chooses
to show them; only with both does the credential's evidence page show them and their files
download without signing in."""

import pytest
from sqlmodel import select

from microgigs.models import AuditEvent, Notification, Submission, SubmissionFile
from microgigs.services import credentials, dashboards, engagements, evidence
from microgigs.services.engagements import UploadedFile
from microgigs.services.errors import DomainError, NotFound


@pytest.fixture
def finished(session, make):
    """Version 1 (with draft.txt) sent back, version 2 (with report.txt) approved."""
    hired = make.hired(title="Survey cleanup")
    make.submit(hired, files=[UploadedFile(name="draft.txt", data=b"first try")])
    engagements.request_changes(session, hired.employer.manager, hired.engagement.id, "Please add the README.")
    make.submit(hired, note="Now with the README.", files=[UploadedFile(name="report.txt", data=b"the final report")])
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    hired.credential = credentials.engagement_credential(session, hired.engagement.id)
    return hired


def _both_keys(session, hired):
    evidence.set_employer_permission(session, hired.employer.manager, hired.engagement.id, True)
    evidence.set_student_choice(session, hired.student, hired.engagement.id, True)


def test_private_until_both_sides_say_yes(session, finished):
    public_id = finished.credential.public_id
    view = evidence.evidence_view(session, public_id)
    assert (view.title, view.shown, view.note, view.files) == ("Survey cleanup", False, "", [])
    evidence.set_employer_permission(session, finished.employer.manager, finished.engagement.id, True)
    assert not evidence.evidence_view(session, public_id).shown
    evidence.set_employer_permission(session, finished.employer.manager, finished.engagement.id, False)
    evidence.set_student_choice(session, finished.student, finished.engagement.id, True)
    assert not evidence.evidence_view(session, public_id).shown
    evidence.set_employer_permission(session, finished.employer.manager, finished.engagement.id, True)
    view = evidence.evidence_view(session, public_id)
    # Only the approved version is shown, never the draft that was sent back.
    assert view.shown and view.note == "Now with the README." and [f.name for f in view.files] == ["report.txt"]
    assert view.files[0].href == f"/evidence/{public_id}/files/{view.files[0].id}"


def test_public_files_download_only_when_public_and_only_from_the_approved_version(session, make, finished):
    public_id = finished.credential.public_id
    approved = evidence.approved_submission(session, finished.engagement.id)

    def file_of(version: int) -> int:
        return session.exec(
            select(SubmissionFile.id)
            .join(Submission)
            .where(Submission.engagement_id == finished.engagement.id, Submission.version == version)
        ).one()

    assert approved.version == 2
    with pytest.raises(NotFound):
        evidence.public_file(session, public_id, file_of(2))  # not public yet
    _both_keys(session, finished)
    row, path = evidence.public_file(session, public_id, file_of(2))
    assert row.original_name == "report.txt" and path.read_bytes() == b"the final report"
    with pytest.raises(NotFound):
        evidence.public_file(session, public_id, file_of(1))  # the draft stays private
    with pytest.raises(NotFound):
        evidence.public_file(session, "not-a-credential", file_of(2))
    credentials.revoke(session, make.staff(), public_id, "Copied work")
    with pytest.raises(NotFound):
        evidence.public_file(session, public_id, file_of(2))
    assert evidence.evidence_view(session, public_id).revoked and not evidence.evidence_view(session, public_id).shown


def test_only_the_gigs_managers_turn_the_employer_key_and_only_the_student_theirs(session, make, finished):
    eid = finished.engagement.id
    for outsider in (finished.student, make.employer().manager, make.student(), make.staff()):
        with pytest.raises(NotFound):
            evidence.set_employer_permission(session, outsider, eid, True)
    for outsider in (finished.employer.manager, make.student(), make.staff()):
        with pytest.raises(NotFound):
            evidence.set_student_choice(session, outsider, eid, True)
    assert evidence.sharing_of(session, eid) == evidence.SharingStatus(False, False)


def test_nothing_to_show_before_the_work_is_approved(session, make):
    hired = make.hired()
    with pytest.raises(DomainError, match="once the work is approved"):
        evidence.set_employer_permission(session, hired.employer.manager, hired.engagement.id, True)
    with pytest.raises(DomainError, match="once the work is approved"):
        evidence.set_student_choice(session, hired.student, hired.engagement.id, True)


def test_each_key_is_audited_the_student_told_and_the_workspace_shows_both(session, finished):
    _both_keys(session, finished)
    actions = [
        e.action
        for e in session.exec(
            select(AuditEvent).where(AuditEvent.subject_id == finished.engagement.id, AuditEvent.action.startswith("evidence."))
        )
    ]
    assert actions == ["evidence.employer_allowed", "evidence.student_shown"]
    assert session.exec(
        select(Notification).where(Notification.user_id == finished.student.id, Notification.kind == "evidence.allowed")
    ).one()
    view = dashboards.engagement_view(session, finished.student, finished.engagement.id)
    assert view.evidence_employer_allows and view.evidence_student_shows
    # Saying the same again changes nothing and records nothing.
    evidence.set_student_choice(session, finished.student, finished.engagement.id, True)
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "evidence.student_shown")).all()) == 1


def test_the_credential_evidence_link_leads_to_this_page(session, finished):
    document = credentials.credential_json(finished.credential)["credential"]
    assert document["evidence"][0]["id"] == f"http://localhost:3000/evidence/{finished.credential.public_id}"

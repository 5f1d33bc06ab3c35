"""Deliverable downloads are authorized per person; oversized bodies are refused up front."""

import pytest
from sqlmodel import Session, select

from microgigs import settings
from microgigs.models import Skill, SubmissionFile, User
from microgigs.services import applications, engagements, gigs
from tests.integration.conftest import ORIGIN, make_user, market_scan, sign_in

PDF = b"%PDF-1.4 a tiny deliverable"


@pytest.fixture
def delivered_file(configured):
    """A manager's gig, a student's engagement on it, and one uploaded file. Returns the file id."""
    manager_id = make_user(configured, "boss@acme.com", role="manager", org="Acme")
    student_id = make_user(configured, "sam@uni.edu")
    make_user(configured, "other@uni.edu")
    with Session(configured, expire_on_commit=False) as session:
        session.add(Skill(name="Research"))
        manager, student = session.get(User, manager_id), session.get(User, student_id)
        gig = gigs.create_gig(
            session,
            manager,
            market_scan("Market scan"),
        )
        application = applications.apply(session, student, gig.id, applications.ApplicationInput(note="I love research"))
        engagement = applications.accept(session, manager, application.id)
        submission = engagements.submit_deliverable(
            session, student, engagement.id, "Here is the scan.", files=[engagements.UploadedFile("../../scan.pdf", PDF)]
        )
        session.commit()
        return session.exec(select(SubmissionFile.id).where(SubmissionFile.submission_id == submission.id)).one()


def test_the_student_and_the_manager_can_download(client, delivered_file):
    for email in ("sam@uni.edu", "boss@acme.com"):
        sign_in(client, email)
        response = client.get(f"/files/{delivered_file}")
        assert response.status_code == 200
        assert response.content == PDF
        assert response.headers["content-type"] == "application/pdf"
        assert 'filename="scan.pdf"' in response.headers["content-disposition"]
        assert response.headers["content-security-policy"] == "sandbox"
        client.post("/auth/logout", headers=ORIGIN)


def test_others_cannot_download_or_learn_the_file_exists(client, delivered_file):
    assert client.get(f"/files/{delivered_file}").status_code == 401
    sign_in(client, "other@uni.edu")
    refused = client.get(f"/files/{delivered_file}")
    missing = client.get("/files/99999")
    assert refused.status_code == missing.status_code == 404
    assert refused.text == missing.text
    assert client.get("/files/not-a-number").status_code == 404


def test_an_oversized_body_is_refused_before_it_is_read(client, monkeypatch):
    monkeypatch.setenv("MICROGIGS_MAX_REQUEST_BYTES", "1000")
    settings.get_settings.cache_clear()
    response = client.post("/auth/login", content=b"x" * 5000, headers={**ORIGIN, "content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert "too large" in response.text


def test_an_oversized_chunked_body_is_refused_while_streaming(client, monkeypatch):
    monkeypatch.setenv("MICROGIGS_MAX_REQUEST_BYTES", "1000")
    settings.get_settings.cache_clear()

    def chunks():
        for _ in range(10):
            yield b"y" * 500

    response = client.post("/auth/login", content=chunks(), headers={**ORIGIN, "content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_another_employers_manager_cannot_download_but_staff_can(client, configured, delivered_file):
    from microgigs.services import accounts as accounts_service

    make_user(configured, "rival@other.com", role="manager", org="Rival Ltd")
    with Session(configured) as session:
        accounts_service.create_privileged_user(
            session, email="staff@uni.edu", display_name="Career Staff", password="integration-pass-42", role="staff"
        )
        session.commit()
    sign_in(client, "rival@other.com")
    assert client.get(f"/files/{delivered_file}").status_code == 404
    client.post("/auth/logout", headers=ORIGIN)
    sign_in(client, "staff@uni.edu")
    assert client.get(f"/files/{delivered_file}").content == PDF


def test_reflex_upload_endpoint_is_capped_before_the_body_is_read(client, monkeypatch):
    """The size limit wraps every path, Reflex's /_upload included (it has no limit of its own)."""
    monkeypatch.setenv("MICROGIGS_MAX_REQUEST_BYTES", "1000")
    settings.get_settings.cache_clear()
    body = b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.pdf"\r\n\r\n' + b"z" * 5000 + b"\r\n--b--\r\n"
    response = client.post("/_upload", content=body, headers={**ORIGIN, "content-type": "multipart/form-data; boundary=b"})
    assert response.status_code == 413
    assert "too large" in response.text

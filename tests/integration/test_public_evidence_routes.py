"""The public side of a finished gig over HTTP: a public deliverable's file downloads without
signing in only when the employer allowed it and the student chose to show it; the
conversion CSV (try before you hire) holds exactly what the database holds."""

import csv
import io

import pytest
from sqlmodel import Session, func, select

from microgigs.models import Credential, Engagement, Gig, Organization, Skill, SubmissionFile, User
from microgigs.services import accounts, applications, engagements, evidence, gigs, hiring
from tests.integration.conftest import PASSWORD, make_user, market_scan, sign_in

REPORT = b"%PDF-1.4 the final report"


@pytest.fixture
def approved(configured):
    """An approved engagement with one file; returns (engagement id, public id, file id, manager id, student id)."""
    manager_id = make_user(configured, "boss@acme.com", role="manager", org="Acme")
    student_id = make_user(configured, "sam@uni.edu")
    with Session(configured, expire_on_commit=False) as session:
        session.add(Skill(name="Research"))
        accounts.create_privileged_user(session, email="staff@uni.edu", display_name="Staff", password=PASSWORD, role="staff")
        manager, student = session.get(User, manager_id), session.get(User, student_id)
        gig = gigs.create_gig(
            session,
            manager,
            market_scan("Market scan"),
        )
        application = applications.apply(session, student, gig.id, applications.ApplicationInput(note="I love research"))
        engagement = applications.accept(session, manager, application.id)
        submission = engagements.submit_deliverable(
            session, student, engagement.id, "Here is the scan.", files=[engagements.UploadedFile("report.pdf", REPORT)]
        )
        engagements.approve(session, manager, engagement.id)
        session.commit()
        public_id = session.exec(select(Credential.public_id).where(Credential.engagement_id == engagement.id)).one()
        file_id = session.exec(select(SubmissionFile.id).where(SubmissionFile.submission_id == submission.id)).one()
        return engagement.id, public_id, file_id, manager_id, student_id


def _turn(engine, user_id: int, engagement_id: int, key: str, value: bool) -> None:
    with Session(engine) as session:
        actor = session.get(User, user_id)
        if key == "employer":
            evidence.set_employer_permission(session, actor, engagement_id, value)
        else:
            evidence.set_student_choice(session, actor, engagement_id, value)
        session.commit()


def test_a_public_file_downloads_for_anyone_only_with_both_keys(client, configured, approved):
    engagement_id, public_id, file_id, manager_id, student_id = approved
    url = f"/evidence/{public_id}/files/{file_id}"
    assert client.get(url).status_code == 404  # private by default
    _turn(configured, manager_id, engagement_id, "employer", True)
    assert client.get(url).status_code == 404  # the student has not chosen to show it
    _turn(configured, student_id, engagement_id, "student", True)
    response = client.get(url)
    assert response.status_code == 200 and response.content == REPORT
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.headers["x-content-type-options"] == "nosniff"
    # The same file under another credential's id, or a made-up one, is not found.
    assert client.get(f"/evidence/nope/files/{file_id}").status_code == 404
    assert client.get(f"/evidence/{public_id}/files/abc").status_code == 404
    # Either side can close it again.
    _turn(configured, manager_id, engagement_id, "employer", False)
    assert client.get(url).status_code == 404
    # The signed-in route still serves the people on the engagement.
    sign_in(client, "sam@uni.edu")
    assert client.get(f"/files/{file_id}").status_code == 200


def test_conversion_csv_matches_the_database(client, configured, approved):
    engagement_id, _public_id, _file_id, manager_id, _student_id = approved
    with Session(configured) as session:
        hiring.invite_to_interview(session, session.get(User, manager_id), engagement_id)
        session.commit()
    sign_in(client, "staff@uni.edu")
    response = client.get("/staff/insights/conversion_by_employer.csv")
    assert response.status_code == 200
    header, *rows = list(csv.reader(io.StringIO(response.text)))
    assert header == ["employer", "finished", "interviews", "offers", "interview_rate", "offer_rate"]
    with Session(configured) as session:
        expected = [
            [name, str(finished), str(invited), str(offers)]
            for name, finished, invited, offers in session.exec(
                select(
                    Organization.name,
                    func.count(Engagement.id),
                    func.count(Engagement.interview_invited_at),
                    func.count(Engagement.offer_made_at),
                )
                .join(Gig, Gig.organization_id == Organization.id)
                .join(Engagement, Engagement.gig_id == Gig.id)
                .where(Engagement.status.in_(("approved", "paid")))
                .group_by(Organization.name)
            )
        ]
    assert [r[:4] for r in rows] == expected == [["Acme", "1", "1", "0"]]
    assert rows[0][4:] == ["100%", "0%"]

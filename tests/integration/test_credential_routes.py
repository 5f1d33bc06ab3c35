"""The public credential routes: key set, verification endpoint, JSON download."""

import pytest
from sqlmodel import Session, select

from microgigs.models import Credential, Skill, User
from microgigs.services import accounts, applications, credentials, engagements, gigs
from tests.integration.conftest import make_user, market_scan


@pytest.fixture
def credential(configured) -> Credential:
    manager_id = make_user(configured, "boss@acme.com", role="manager", org="Acme")
    student_id = make_user(configured, "sam@uni.edu")
    with Session(configured, expire_on_commit=False) as session:
        session.add(Skill(name="Research"))
        manager, student = session.get(User, manager_id), session.get(User, student_id)
        gig = gigs.create_gig(
            session,
            manager,
            market_scan("Market scan", skills=["Research"]),
        )
        application = applications.apply(session, student, gig.id, applications.ApplicationInput(note="I love research"))
        engagement = applications.accept(session, manager, application.id)
        engagements.submit_deliverable(session, student, engagement.id, "Here is the scan.", "https://example.com/scan")
        engagements.approve(session, manager, engagement.id)
        session.commit()
        return session.exec(select(Credential)).one()


def test_the_key_set_is_public_and_has_no_private_parts(client, credential):
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    assert [k["kid"] for k in keys] == [credential.key_id]
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(keys[0])


def test_the_verify_endpoint_answers_valid_invalid_and_revoked(client, configured, credential):
    valid = client.post("/api/credentials/verify", content=credential.jwt).json()
    assert valid["status"] == "valid" and valid["title"] == "Market scan" and valid["skills"] == ["Research"]
    assert client.post("/api/credentials/verify", content=credential.jwt[:-10]).json()["status"] == "invalid"
    assert client.post("/api/credentials/verify", content=b"\xff\xfe garbage").json()["status"] == "invalid"
    with Session(configured) as session:
        staff = credentials_staff(session)
        credentials.revoke(session, staff, credential.public_id, "Issued by mistake")
        session.commit()
    revoked = client.post("/api/credentials/verify", content=credential.jwt).json()
    assert revoked["status"] == "revoked" and revoked["revoked_reason"] == "Issued by mistake"


def credentials_staff(session) -> User:
    return accounts.create_privileged_user(session, email="staff@uni.edu", display_name="Staff", password="staff-password-42", role="staff")


def test_the_download_is_the_jwt_and_the_readable_credential(client, credential):
    response = client.get(f"/credentials/{credential.public_id}/download.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    document = response.json()
    assert document["jwt"] == credential.jwt
    assert document["credential"]["type"][-1] == "OpenBadgeCredential"
    assert document["verify"].endswith(f"/verify?id={credential.public_id}")
    assert client.get("/credentials/nope/download.json").status_code == 404

"""Credentials: issued and signed on approval, verified, revoked, and still valid after key rotation."""

import base64
import json

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlmodel import select

from microgigs.models import AuditEvent, Credential
from microgigs.services import credentials, engagements
from microgigs.services.errors import DomainError, NotAllowed


@pytest.fixture
def approved(session, make):
    hired = make.hired(title="Survey cleanup")
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    return hired


def issued(session, hired) -> Credential:
    return credentials.engagement_credential(session, hired.engagement.id)


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_approval_issues_one_signed_open_badge(session, approved):
    row = issued(session, approved)
    assert row is not None and row.student_id == approved.student.id
    document = credentials.credential_json(row)["credential"]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["credentialSubject"]["achievement"]["name"] == "Survey cleanup"
    assert document["credentialSubject"]["achievement"]["creator"]["name"] == approved.employer.org.name
    assert document["evidence"][0]["id"].endswith(f"/evidence/{row.public_id}")
    header = json.loads(base64.urlsafe_b64decode(row.jwt.split(".")[0] + "=="))
    assert header == {"alg": "RS256", "typ": "JWT", "kid": row.key_id}
    # Issuing again returns the same credential: one per engagement.
    assert credentials.issue_for_engagement(session, approved.engagement).id == row.id
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "credential.issued")).one()


def test_a_genuine_credential_verifies_as_valid_with_its_details(session, approved):
    row = issued(session, approved)
    for text in (row.jwt, json.dumps(credentials.credential_json(row)), f"  {row.jwt}\n"):
        result = credentials.verify(session, text)
        assert result.status == "valid", result.message
        assert result.title == "Survey cleanup" and result.student == approved.student.display_name
    assert credentials.verify_public_id(session, row.public_id).status == "valid"


def test_a_tampered_credential_is_invalid(session, approved):
    row = issued(session, approved)
    header, payload, signature = row.jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["vc"]["credentialSubject"]["achievement"]["name"] = "CEO of everything"
    result = credentials.verify(session, ".".join((header, b64(claims), signature)))
    assert result.status == "invalid" and "signature does not match" in result.message


def test_malformed_and_truncated_input_is_invalid_not_an_error(session, approved):
    row = issued(session, approved)
    for text in ("", "hello", row.jwt[: len(row.jwt) // 2], "a.b", "{not json", '{"jwt": 5}', "x" * 30_000, "!!!.???.###"):
        result = credentials.verify(session, text)
        assert result.status == "invalid", text[:20]
        assert result.message.startswith("Not valid:")


def test_alg_none_and_a_key_we_never_had_are_refused(session, approved):
    row = issued(session, approved)
    payload = row.jwt.split(".")[1]
    unsigned = f"{b64({'alg': 'none', 'typ': 'JWT', 'kid': row.key_id})}.{payload}."
    assert "not signed with RS256" in credentials.verify(session, unsigned).message
    stranger = RSAKey.generate_key(2048, parameters={"kid": row.key_id}, private=True)
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged = jwt.encode({"alg": "RS256", "kid": row.key_id}, claims, stranger)
    assert "signature does not match" in credentials.verify(session, forged).message
    unknown_kid = jwt.encode({"alg": "RS256", "kid": "someone-else"}, claims, stranger)
    assert "key this career center does not know" in credentials.verify(session, unknown_kid).message


def test_staff_revoke_with_a_reason_and_verification_says_revoked(session, make, approved):
    row = issued(session, approved)
    with pytest.raises(NotAllowed):
        credentials.revoke(session, approved.employer.manager, row.public_id, "nope")
    with pytest.raises(NotAllowed):
        credentials.revoke(session, approved.student, row.public_id, "nope")
    staff = make.staff()
    with pytest.raises(DomainError, match="Say why"):
        credentials.revoke(session, staff, row.public_id, "   ")
    credentials.revoke(session, staff, row.public_id, "Work was plagiarised")
    result = credentials.verify(session, row.jwt)
    assert result.status == "revoked" and "Work was plagiarised" in result.message
    with pytest.raises(DomainError, match="already revoked"):
        credentials.revoke(session, staff, row.public_id, "again")


def test_old_credentials_still_verify_after_key_rotation(session, make, approved):
    old = issued(session, approved)
    new_kid = credentials.key_store().rotate()
    assert new_kid != old.key_id
    later = make.hired()
    make.submit(later)
    engagements.approve(session, later.employer.manager, later.engagement.id)
    new = issued(session, later)
    assert new.key_id == new_kid
    assert credentials.verify(session, old.jwt).status == "valid"
    assert credentials.verify(session, new.jwt).status == "valid"
    kids = {k["kid"] for k in credentials.key_store().public_key_set()["keys"]}
    assert kids == {old.key_id, new_kid}
    assert all("d" not in k for k in credentials.key_store().public_key_set()["keys"])  # no private parts


def test_a_credential_we_did_not_record_is_invalid(session, approved):
    row = issued(session, approved)
    claims = json.loads(base64.urlsafe_b64decode(row.jwt.split(".")[1] + "=="))
    claims["jti"] = claims["jti"] + "-copy"
    token, _ = credentials.key_store().sign(claims)
    assert "no record" in credentials.verify(session, token).message


def test_students_list_only_their_own(session, make, approved):
    assert [c.engagement_id for c in credentials.credentials_of_student(session, approved.student)] == [approved.engagement.id]
    assert credentials.credentials_of_student(session, make.student()) == []
    with pytest.raises(NotAllowed):
        credentials.credentials_of_student(session, approved.employer.manager)


def test_approval_can_leave_the_credential_to_a_second_step_or_the_job(session, make):
    """The workspace signs the credential just after the approval's commit (so the student's page
    is pushed first); a process that stops in between leaves it to the credentials job."""
    from microgigs import jobs

    first, second = make.hired(title="First"), make.hired(title="Second")
    for hired in (first, second):
        make.submit(hired)
        engagements.approve(session, hired.employer.manager, hired.engagement.id, credential_now=False)
        assert issued(session, hired) is None
    # Only someone who may approve signs it; the student or another employer's manager may not.
    with pytest.raises(NotAllowed):
        engagements.issue_credential(session, first.student, first.engagement.id)
    with pytest.raises(DomainError, match="not found"):
        engagements.issue_credential(session, second.employer.manager, first.engagement.id)
    engagements.issue_credential(session, first.employer.manager, first.engagement.id)
    engagements.issue_credential(session, first.employer.manager, first.engagement.id)  # a repeat: nothing more
    assert issued(session, first) is not None and issued(session, second) is None
    # The job issues what is missing, once.
    assert credentials.issue_missing(session) == 1
    assert issued(session, second) is not None
    assert credentials.issue_missing(session) == 0
    assert len(session.exec(select(Credential)).all()) == 2
    assert any(job.run is credentials.issue_missing for job in jobs.JOBS)


def test_a_parsed_signing_key_is_reused_until_its_file_changes(session, monkeypatch):
    """Parsing a PEM private key costs tens of ms (the RSA key check): each key file is parsed once."""
    from microgigs.integrations import signing

    store = credentials.key_store()
    store.signing_key()
    calls = []
    real = RSAKey.import_key
    monkeypatch.setattr(signing.RSAKey, "import_key", lambda *a, **k: calls.append(1) or real(*a, **k))
    signing._import_key.cache_clear()
    for _ in range(3):
        token, _kid = store.sign({"hello": "world"})
        assert store.verify(token) == {"hello": "world"}
    assert len(calls) == 1
    # A new key (rotation) is a new file: parsed once too, and the old tokens still verify.
    store.rotate()
    store.sign({"n": 1})
    store.sign({"n": 2})
    assert len(calls) == 2
    assert store.verify(token) == {"hello": "world"}

"""Issue 14, point 7: /api/credentials/verify answers input it cannot read with a 400 and a
message a person can act on, never a 500: JSON nested thousands deep (which made the parser
raise RecursionError), JSON that does not parse, JSON with no credential in it, nothing at all.
A credential it could read is still judged with a 200 (valid, invalid, revoked)."""

import base64

from sqlmodel import Session

from microgigs.services import credentials

VERIFY = "/api/credentials/verify"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_json_nested_thousands_deep_is_a_400_with_a_readable_message(client, configured):
    body = '{"jwt": ' + "[" * 15_000  # under the size limits, far past the parser's recursion limit
    response = client.post(VERIFY, content=body)
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"
    assert response.json()["message"] == "Not valid: that JSON is nested far too deeply to be a credential."


def test_a_body_of_brackets_far_past_any_credential_is_refused_as_too_long(client, configured):
    response = client.post(VERIFY, content="[" * 100_000)
    assert response.status_code == 413
    assert response.json()["message"] == "Not valid: that is far too long to be a credential."


def test_a_token_whose_header_is_nested_thousands_deep_is_judged_invalid_not_a_crash(client, configured):
    token = f"{b64url(b'[' * 12_000)}.{b64url(b'{}')}.c2ln"
    response = client.post(VERIFY, content=token)
    assert response.status_code == 200
    assert response.json() == {
        **response.json(),
        "status": "invalid",
        "message": "Not valid: its header cannot be read (the text is truncated or damaged).",
    }


def test_other_unreadable_bodies_are_400s_that_say_what_is_wrong(client, configured):
    cases = {
        b"": "Not valid: nothing that looks like a credential was given.",
        b"   \n ": "Not valid: nothing that looks like a credential was given.",
        b'{"jwt": ': "Not valid: that JSON cannot be read (expecting value on line 1).",
        b'{"jwt": 5}': 'Not valid: that JSON has no "jwt" field holding the signed credential.',
        b'{"proof": {"type": "x"}}': 'Not valid: that JSON has no "jwt" field holding the signed credential.',
        b"x" * 30_000: "Not valid: that is far too long to be a credential.",
    }
    for body, message in cases.items():
        response = client.post(VERIFY, content=body)
        assert (response.status_code, response.json()["message"]) == (400, message), body[:40]
        assert response.json()["readable"] is False


def test_the_verify_page_gets_the_same_message_for_nested_json(configured):
    """The /verify page calls the same service with pasted text."""
    with Session(configured) as session:
        result = credentials.verify(session, '{"a": ' + "[" * 5_000)
    assert (result.status, result.message) == ("invalid", "Not valid: that JSON is nested far too deeply to be a credential.")

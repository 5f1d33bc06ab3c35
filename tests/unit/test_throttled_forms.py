"""Throttles on the page forms anyone can repeat: invitations (per client, inviter and address)
and the public credential check (per client). The HTTP forms' throttles are tested through the
routes (tests/integration)."""

from sqlmodel import func, select

from microgigs.models import OutboxMail
from microgigs.services import throttle
from microgigs.state.credentials import VerifyState
from microgigs.state.organization import OrganizationState
from tests.unit.state_harness import run_handler, session_token, state_for


def _mails_to(session, address: str) -> int:
    return session.exec(select(func.count()).select_from(OutboxMail).where(OutboxMail.to_address == address)).one()


def test_an_owner_cannot_flood_one_address_with_invitations(app_db, make):
    owner = make.employer("Northwind")
    page = state_for(OrganizationState, "/organization", session_token(app_db, owner.manager), client_address="203.0.113.5")
    for _ in range(throttle.INVITE_PER_ADDRESS.max_hits):
        run_handler("invite", page, {"email": "target@elsewhere.example"})
        assert page.error_email == "" and page.notice.startswith("We have sent an invitation")
    run_handler("invite", page, {"email": "Target@Elsewhere.example"})
    assert page.error_email.startswith("Too many requests like this one. Wait") and page.notice == ""
    assert _mails_to(app_db, "target@elsewhere.example") == throttle.INVITE_PER_ADDRESS.max_hits
    # Another address is still fine.
    run_handler("invite", page, {"email": "colleague@northwind.example"})
    assert page.error_email == ""


def test_the_public_credential_check_is_throttled_per_client(app_db):
    visitor = state_for(VerifyState, "/verify", client_address="198.51.100.23")
    for _ in range(throttle.CREDENTIAL_CHECK_PER_CLIENT.max_hits):
        run_handler("check_pasted", visitor, {"credential": "not a credential"})
        assert visitor.result.status == "invalid"
    run_handler("check_pasted", visitor, {"credential": "not a credential"})
    assert visitor.result.status == "throttled" and "Wait" in visitor.result.message
    # Another client is answered.
    other = state_for(VerifyState, "/verify", client_address="198.51.100.24")
    run_handler("check_pasted", other, {"credential": "not a credential"})
    assert other.result.status == "invalid"

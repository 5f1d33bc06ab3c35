"""Inviting an address that already has an account, in the browser: the emailed link asks them to
sign in and brings them back to accept; the in-app notification leads to the same choice."""

import re
import secrets

from playwright.sync_api import expect

from tests.e2e.test_accounts import PHONE, last_link, loaded, sign_up

PASSPHRASE = "a long enough passphrase"


def _owner_invites(new_context, app_server, invitee: str) -> str:
    owner = new_context().new_page()
    org = f"Inviting Co {secrets.token_hex(3)}"
    sign_up(owner, app_server, f"owner-{secrets.token_hex(3)}@inviting.example", PASSPHRASE, employer=org)
    owner.goto("/organization")
    loaded(owner)
    owner.get_by_label("Email address of the new manager").fill(invitee)
    owner.get_by_role("button", name="Send invitation").click()
    expect(owner.get_by_role("status").filter(has_text=re.compile(f"invitation to {re.escape(invitee)}"))).to_be_visible()
    return org


def test_an_existing_manager_accepts_from_the_mail_after_signing_in_and_from_the_app(new_context, app_server, assert_accessible):
    invitee = f"existing-{secrets.token_hex(3)}@elsewhere.example"
    own_org = f"Own Co {secrets.token_hex(3)}"
    sign_up(new_context().new_page(), app_server, invitee, PASSPHRASE, employer=own_org)

    # 1. From the emailed link, signed out: no sign-up form, a way to sign in and come back.
    first_org = _owner_invites(new_context, app_server, invitee)
    page = new_context(viewport=PHONE).new_page()
    page.goto(last_link(app_server, invitee, r"https?://\S+/join\?token=[\w-]+"))
    loaded(page)
    expect(page.get_by_text(first_org)).to_be_visible()
    expect(page.get_by_label("Choose a password")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Sign in to accept").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("Email address").fill(invitee)
    page.get_by_label("Password").fill(PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/join/?\?token="))
    loaded(page)
    page.get_by_role("button", name="Join the team").click()
    expect(page).to_have_url(re.compile(r"/organization"))
    loaded(page)
    expect(page.get_by_text(first_org, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=own_org)).to_be_visible()  # still on their own team too
    assert_accessible(page)

    # 2. From the in-app notification, already signed in.
    second_org = _owner_invites(new_context, app_server, invitee)
    page.goto("/notifications")
    loaded(page)
    page.get_by_role("link", name=f"{second_org} invites you to manage its gigs").click()
    expect(page).to_have_url(re.compile(r"/join/?\?invitation=\d+"))
    loaded(page)
    expect(page.get_by_text(second_org)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Join the team").click()
    expect(page).to_have_url(re.compile(r"/organization"))
    loaded(page)
    expect(page.get_by_text(second_org, exact=True)).to_be_visible()

"""Accounts and employer onboarding in a real browser: the confirmation link from the mailbox (a
real SMTP server the app delivers to), forgot/reset password, staff approving a pending employer,
an unconfirmed account that can do nothing else, and the pages' accessibility."""

import re
import secrets

from playwright.sync_api import Page, expect

from tests.e2e.conftest import goto_ready, mail_link, open_menu

DEMO_PASSWORD = "demo-password-2026"
STAFF = "staff@demo.microgigs.test"
PHONE = {"width": 375, "height": 812}
# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def loaded(page: Page) -> None:
    expect(page.get_by_text(re.compile(r"^(Loading|Checking)"))).to_have_count(0)


def last_link(app_server, to: str, pattern: str) -> str:
    """The app link in the newest mail to `to`, as its mailbox got it."""
    return mail_link(app_server, to, pattern)


def sign_in(page: Page, email: str, password: str) -> None:
    goto_ready(page, "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard"))


VERIFY_LINK = r"https?://\S+/verify-email\?token=[\w-]+"


def confirm_with_link(page: Page, link: str) -> None:
    """Open the mailed link and press its button: that post confirms the address and signs in."""
    page.goto(link)
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_role("status").filter(has_text=re.compile("email address is confirmed"))).to_be_visible()


def finish_sign_up(page: Page, app_server, email: str) -> None:
    """Sign-up only mails a link (it must not tell whether the address was free); following
    the link and confirming signs in."""
    expect(page).to_have_url(re.compile(r"/check-email"))
    confirm_with_link(page, last_link(app_server, email, VERIFY_LINK))
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/dashboard"))


def sign_up(page: Page, app_server, email: str, password: str, *, employer: str = "", website: str = "") -> None:
    page.goto("/signup")
    if employer:
        page.get_by_role("radio", name="hiring for an employer").check()
        page.get_by_label("Organization name").fill(employer)
        if website:
            page.get_by_label("Website").fill(website)
    page.get_by_label("Your name").fill("New Person")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()
    finish_sign_up(page, app_server, email)


def fill_sign_up(page: Page, email: str, password: str) -> None:
    page.goto("/signup")
    page.get_by_label("Your name").fill("New Person")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/check-email"))


def test_sign_up_answers_alike_for_a_taken_address_and_the_emailed_link_signs_in(new_context, app_server, assert_accessible):
    page = new_context(viewport=PHONE).new_page()
    email = f"verify-{secrets.token_hex(3)}@example.edu"
    fill_sign_up(page, email, "a long enough passphrase")
    expect(page.get_by_role("heading", level=1, name="Check your email")).to_be_visible()
    answer = page.get_by_role("main").inner_text()
    assert_accessible(page)
    # Not signed in until the link is followed.
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login"))

    # Someone else tries the same address: the very same page; the owner gets a note instead.
    other = new_context().new_page()
    fill_sign_up(other, email, "somebody else's passphrase")
    assert other.get_by_role("main").inner_text() == answer
    assert last_link(app_server, email, r"https?://\S+/forgot-password")

    link = mail_link(app_server, email, VERIFY_LINK, nth=0)
    page.goto(link)
    expect(page.get_by_role("button", name="Confirm my email address")).to_be_visible()
    assert_accessible(page)
    confirm_with_link(page, link)
    assert_accessible(page)
    page.goto("/account")
    loaded(page)
    expect(page.get_by_text("Confirmed.", exact=True)).to_be_visible()

    # The same link a second time is refused with a readable message, and offers no button.
    page.goto(link)
    expect(page.get_by_role("alert")).to_have_text(re.compile("already been used"))
    expect(page.get_by_role("button", name="Confirm my email address")).to_have_count(0)


def test_forgot_password_then_reset_then_sign_in_with_the_new_one(new_context, app_server, assert_accessible):
    setup = new_context().new_page()
    email = f"reset-{secrets.token_hex(3)}@example.edu"
    sign_up(setup, app_server, email, "the first passphrase")

    page = new_context(viewport=PHONE).new_page()
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page).to_have_url(re.compile(r"/forgot-password"))
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("status").filter(has_text=re.compile("If an account uses that address"))).to_be_visible()

    link = last_link(app_server, email, r"https?://\S+/reset-password\?token=[\w-]+")
    page.goto(link)
    loaded(page)
    assert_accessible(page)
    page.get_by_role("textbox", name="New password").fill("short")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("textbox", name="New password")).to_have_accessible_description(re.compile("at least 10 characters", re.I))
    page.get_by_role("textbox", name="New password").fill("the second passphrase")
    page.get_by_role("button", name="Set new password").click()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("status").filter(has_text=re.compile("password is changed"))).to_be_visible()

    sign_in(page, email, "the second passphrase")
    # The other device was signed out by the reset.
    setup.goto("/account")
    expect(setup).to_have_url(re.compile(r"/login"))
    # The link works once.
    page.goto(link)
    loaded(page)
    expect(page.get_by_role("alert")).to_have_text(re.compile("already been used"))


def test_staff_approve_a_pending_employer_who_can_then_see_it(new_context, app_server, assert_accessible):
    employer = new_context().new_page()
    org = f"Acme Labs {secrets.token_hex(3)}"
    sign_up(
        employer,
        app_server,
        f"owner-{secrets.token_hex(3)}@gmail.com",
        "a long enough passphrase",
        employer=org,
        website="https://acme.example",
    )

    staff = new_context(viewport=PHONE).new_page()
    sign_in(staff, STAFF, DEMO_PASSWORD)
    # On a phone the header's menu leads to the staff hub (which lists Employers).
    expect(open_menu(staff).get_by_role("link", name="Staff", exact=True)).to_have_attribute("href", "/staff")
    staff.goto("/staff/employers")
    loaded(staff)
    card = staff.get_by_role("article", name=org)
    expect(card.get_by_text("differs from the website")).to_be_visible()
    assert_accessible(staff)
    card.get_by_role("button", name=f"Approve {org}").click()
    expect(staff.get_by_role("status").filter(has_text=re.compile(f"{org} is approved"))).to_be_visible()
    expect(staff.get_by_role("article", name=org)).to_have_count(0)

    employer.goto("/organization")
    loaded(employer)
    expect(employer.get_by_text(re.compile(r"^approved$", re.I))).to_be_visible()
    assert_accessible(employer)


def test_account_profile_and_staff_pages_are_accessible(new_context, assert_accessible):
    student = new_context(viewport=PHONE).new_page()
    sign_in(student, "student3@demo.microgigs.test", DEMO_PASSWORD)
    student.goto("/profile")
    loaded(student)
    student.get_by_label("Hours available per week").fill("many")
    student.get_by_role("button", name="Save profile").click()
    expect(student.get_by_label("Hours available per week")).to_have_accessible_description(re.compile("whole number"))
    assert_accessible(student)
    student.get_by_label("Hours available per week").fill("12")
    student.get_by_label("Time zone").select_option("America/Argentina/Buenos_Aires")
    student.get_by_role("button", name="Save profile").click()
    expect(student.get_by_role("status").filter(has_text=re.compile("profile is saved"))).to_be_visible()
    student.reload()
    loaded(student)
    expect(student.get_by_label("Time zone")).to_have_value("America/Argentina/Buenos_Aires")
    # The list is the only way to choose; a forged value (any client can send one) is refused by the service.
    student.get_by_label("Time zone").evaluate("s => { s.add(new Option('Mars/Base', 'Mars/Base')); s.value = 'Mars/Base'; }")
    student.get_by_role("button", name="Save profile").click()
    expect(student.get_by_label("Time zone")).to_have_accessible_description(re.compile("not a time zone we know"))

    # A photo: a file that is not the image its name says is refused next to the field; a real PNG is kept.
    student.get_by_label("Photo", exact=True).set_input_files(
        files=[{"name": "me.png", "mimeType": "image/png", "buffer": b"not really a png"}]
    )
    student.get_by_role("button", name="Upload photo").click()
    expect(student.get_by_role("button", name="Choose a photo")).to_have_accessible_description(re.compile("not the image"))
    student.get_by_label("Photo", exact=True).set_input_files(files=[{"name": "me.png", "mimeType": "image/png", "buffer": PNG}])
    student.get_by_role("button", name="Upload photo").click()
    expect(student.get_by_role("img", name="Your current photo")).to_be_visible()
    assert_accessible(student)

    staff = new_context().new_page()
    sign_in(staff, STAFF, DEMO_PASSWORD)
    for path in ("/staff/skills", "/staff/audit"):
        staff.goto(path)
        loaded(staff)
        assert_accessible(staff)
    staff.get_by_label("Subject type").fill("user")
    staff.get_by_role("button", name="Search the log").click()
    expect(staff.get_by_role("article").first).to_be_visible()


def test_owner_invites_a_manager_who_joins_from_the_emailed_link_and_is_removed(new_context, app_server, assert_accessible):
    owner = new_context().new_page()
    org = f"Team Co {secrets.token_hex(3)}"
    sign_up(owner, app_server, f"owner-{secrets.token_hex(3)}@teamco.example", "a long enough passphrase", employer=org)
    owner.get_by_role("link", name="Team").click()
    loaded(owner)
    invitee = f"invitee-{secrets.token_hex(3)}@teamco.example"
    owner.get_by_label("Email address of the new manager").fill(invitee)
    owner.get_by_role("button", name="Send invitation").click()
    expect(owner.get_by_role("status").filter(has_text=re.compile(f"invitation to {re.escape(invitee)}"))).to_be_visible()
    assert_accessible(owner)

    joiner = new_context(viewport=PHONE).new_page()
    joiner.goto(last_link(app_server, invitee, r"https?://\S+/join\?token=[\w-]+"))
    loaded(joiner)
    expect(joiner.get_by_text(org)).to_be_visible()
    assert_accessible(joiner)
    joiner.get_by_label("Your name").fill("Invited Manager")
    joiner.get_by_label("Choose a password").fill("another long passphrase")
    joiner.get_by_role("button", name="Join the team").click()
    expect(joiner).to_have_url(re.compile(r"/organization"))
    loaded(joiner)
    expect(joiner.get_by_role("article", name="Invited Manager")).to_be_visible()
    expect(joiner.get_by_text("Only the owner can invite or remove managers.")).to_be_visible()

    owner.goto("/organization")
    loaded(owner)
    owner.get_by_role("button", name="Remove Invited Manager").click()
    expect(owner.get_by_role("status").filter(has_text=re.compile("Removed from the team"))).to_be_visible()
    expect(owner.get_by_role("article", name="Invited Manager")).to_have_count(0)


def test_sign_out_everywhere_ends_every_session(new_context, app_server):
    email = f"everywhere-{secrets.token_hex(3)}@example.edu"
    phone = new_context(viewport=PHONE).new_page()
    sign_up(phone, app_server, email, "a long enough passphrase")
    laptop = new_context().new_page()
    sign_in(laptop, email, "a long enough passphrase")
    laptop.goto("/account")
    loaded(laptop)
    laptop.get_by_role("button", name="Sign out everywhere").click()
    expect(laptop).to_have_url(re.compile(r"/login"))
    expect(laptop.get_by_role("status").filter(has_text=re.compile("signed out on every device"))).to_be_visible()
    phone.goto("/account")
    expect(phone).to_have_url(re.compile(r"/login"))


def test_an_unconfirmed_account_can_only_confirm_ask_for_a_new_link_or_leave(new_context, app_server, assert_accessible):
    email = f"unconfirmed-{secrets.token_hex(3)}@example.edu"
    fill_sign_up(new_context().new_page(), email, "a long enough passphrase")
    first_link = last_link(app_server, email, VERIFY_LINK)
    # Signing in with the password works, but the account is sent to its account page.
    page = new_context(viewport=PHONE).new_page()
    goto_ready(page, "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("a long enough passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/account"))
    loaded(page)
    expect(page.get_by_text(re.compile("^Confirm your email address to apply"))).to_be_visible()
    nav = open_menu(page).get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Account")).to_be_visible()
    expect(nav.get_by_role("link", name="Dashboard")).to_have_count(0)
    expect(nav.get_by_role("link", name="Saved")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", name="Change your password")).to_have_count(0)
    expect(page.get_by_role("form", name="Delete your account")).to_be_visible()
    assert_accessible(page)
    for path in ("/dashboard", "/profile", "/saved", "/earnings"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/account"))

    # A new link voids the first.
    page.get_by_role("button", name="Send a new confirmation link").click()
    expect(page.get_by_role("status").filter(has_text=re.compile("new confirmation link"))).to_be_visible()
    second_link = mail_link(app_server, email, VERIFY_LINK, nth=1)
    assert second_link != first_link
    page.goto(first_link)
    expect(page.get_by_role("alert")).to_have_text(re.compile("newer one was sent"))
    confirm_with_link(page, second_link)
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/dashboard"))
    expect(open_menu(page).get_by_role("navigation", name="Main").get_by_role("link", name="Saved")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_text(re.compile("^Confirm your email address to apply"))).to_have_count(0)


def test_staff_reading_the_outbox_never_see_a_working_link(new_context, app_server, assert_accessible):
    email = f"masked-{secrets.token_hex(3)}@example.edu"
    sign_up(new_context().new_page(), app_server, email, "a long enough passphrase")
    # A staff member asks for this student's password reset...
    staff = new_context().new_page()
    staff.goto("/forgot-password")
    staff.get_by_label("Email address").fill(email)
    staff.get_by_role("button", name="Send me a link").click()
    expect(staff.get_by_role("status").filter(has_text=re.compile("If an account uses that address"))).to_be_visible()
    real_link = last_link(app_server, email, r"https?://\S+/reset-password\?token=[\w-]+")
    # ...and reads the outbox: the link is masked there.
    sign_in(staff, STAFF, DEMO_PASSWORD)
    staff.goto("/admin/outbox")
    expect(staff.get_by_text("Loading mail…")).to_have_count(0)
    mail = staff.get_by_role("listitem").filter(has_text="Choose a new MicroGigs password").first
    mail.get_by_text("Show the message").click()
    text = mail.locator("pre").inner_text()
    assert email in mail.inner_text() and "reset-password?token=••••••••" in text
    assert real_link.split("token=")[1] not in staff.content()
    expect(mail.get_by_text(re.compile("^Sent "))).to_be_visible()
    assert_accessible(staff)
    staff.goto(re.search(r"https?://\S+/reset-password\?token=\S+", text).group(0))
    loaded(staff)
    expect(staff.get_by_role("alert")).to_have_text(re.compile("not valid"))

"""/admin/settings in the browser: an admin changes the center's settings on a phone-sized
screen (a too-light brand colour is refused next to its field, nothing saved; a good save shows
at once in every page's header; a logo is uploaded and previewed); staff may not open it.

The app server is shared by the whole browser session: whatever this test changes it puts back
(a blank field is the environment's default again), so other tests see "MicroGigs" as ever."""

import re
import secrets
import struct
import zlib

from playwright.sync_api import Page, expect
from sqlmodel import select

from microgigs.models import CenterSettings
from microgigs.services import accounts
from tests.e2e.app_data import DEMO_PASSWORD, app_session
from tests.e2e.conftest import goto_ready
from tests.e2e.test_accounts import sign_in

PHONE = {"width": 375, "height": 812}
ADMIN_PASSWORD = "settings admin passphrase 2026"
NEW_NAME = "Northfield Career Hub"


def small_png() -> bytes:
    """A real 2 x 2 PNG (dark blue)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\x1d\x4e\xd8" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def make_admin(app_server) -> str:
    email = f"settings-admin-{secrets.token_hex(3)}@example.edu"
    with app_session(app_server.data_dir) as session:
        accounts.create_privileged_user(session, email=email, display_name="Settings Admin", password=ADMIN_PASSWORD, role="admin")
        session.commit()
    return email


def stored_row(app_server) -> CenterSettings | None:
    with app_session(app_server.data_dir) as session:
        return session.exec(select(CenterSettings)).first()


def open_settings(page: Page) -> None:
    goto_ready(page, "/admin/settings")
    expect(page.get_by_role("heading", name="Center settings", level=1)).to_be_visible()
    expect(page.get_by_label("Center name")).to_be_visible()


def save(page: Page) -> None:
    page.get_by_role("button", name="Save settings").click()


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


def put_back(page: Page) -> None:
    """Blank name and colour (the environment's again) and no logo."""
    open_settings(page)
    remove = page.get_by_role("button", name="Remove logo")
    if remove.count():
        remove.click()
        expect(page.get_by_role("status").filter(has_text=re.compile("The logo is removed"))).to_be_visible()
    page.get_by_label("Center name").fill("")
    page.get_by_label("Brand colour", exact=True).fill("")
    page.get_by_label("Currency").fill("USD")
    save(page)
    expect(page.get_by_role("status").filter(has_text=re.compile("saved"))).to_be_visible()
    expect(page.locator(".site-header")).to_contain_text("MicroGigs")


def test_an_admin_changes_the_centers_settings_and_staff_may_not(app_server, new_context, assert_accessible):
    admin_email = make_admin(app_server)
    admin = new_context(viewport=PHONE).new_page()
    sign_in(admin, admin_email, ADMIN_PASSWORD)
    try:
        # The staff hub leads admins to the settings.
        admin.goto("/staff")  # only read, nothing clicked: no need to wait for the app's first answer
        expect(admin.get_by_role("main").get_by_role("link", name="Settings")).to_have_attribute("href", "/admin/settings")
        open_settings(admin)
        for heading in ("Identity", "Pages", "Money", "Work", "Sign-up"):
            expect(admin.get_by_role("heading", name=heading, level=2)).to_be_visible()
        # Each field at its default says where that comes from.
        expect(admin.get_by_label("Platform fee (percent)")).to_have_accessible_description(
            re.compile(r"Default: MICROGIGS_PLATFORM_FEE_PERCENT = 10")
        )
        assert_accessible(admin)
        no_horizontal_scroll(admin)

        # A colour white text cannot be read on: refused next to its field, nothing saved, nothing typed lost.
        admin.get_by_label("Center name").fill(NEW_NAME)
        admin.get_by_label("Brand colour", exact=True).fill("#777777")
        expect(admin.locator("#brand-color-contrast")).to_have_text(re.compile(r"4\.47:1, too light"))
        save(admin)
        expect(admin.get_by_label("Brand colour", exact=True)).to_have_accessible_description(
            re.compile(r"contrast ratio of 4\.47:1.*Pick a darker colour")
        )
        expect(admin.get_by_role("alert")).to_have_text(re.compile("Nothing was saved"))
        expect(admin.get_by_label("Center name")).to_have_value(NEW_NAME)
        assert stored_row(app_server) is None or stored_row(app_server).name is None
        assert_accessible(admin)

        # A darker one saves, and every page's header shows the new name at once.
        admin.get_by_label("Brand colour", exact=True).fill("#1d4ed8")
        save(admin)
        expect(admin.get_by_role("status").filter(has_text=re.compile("settings are saved"))).to_be_visible()
        row = stored_row(app_server)
        assert (row.name, row.brand_color) == (NEW_NAME, "#1d4ed8")
        goto_ready(admin, "/dashboard")
        expect(admin.locator(".site-header")).to_contain_text(NEW_NAME)
        expect(admin).to_have_title(f"Dashboard · {NEW_NAME}")  # and every page's title

        # A logo: uploaded, then shown in the preview.
        open_settings(admin)
        admin.get_by_label("Logo", exact=True).set_input_files(files=[{"name": "logo.png", "mimeType": "image/png", "buffer": small_png()}])
        admin.get_by_role("button", name="Upload logo").click()
        expect(admin.get_by_role("status").filter(has_text=re.compile("new logo is saved"))).to_be_visible()
        preview = admin.get_by_role("img", name="The center's logo")
        expect(preview).to_be_visible()
        admin.wait_for_function("(img) => img.complete && img.naturalWidth === 2", arg=preview.element_handle())
        assert_accessible(admin)
        no_horizontal_scroll(admin)

        # Career-center staff may not open the page, nor see its link.
        staff = new_context(viewport=PHONE).new_page()
        sign_in(staff, "staff@demo.microgigs.test", DEMO_PASSWORD)
        staff.goto("/staff")
        expect(staff.get_by_role("main").get_by_role("link", name="Outbox")).to_be_visible()
        expect(staff.get_by_role("main").get_by_role("link", name="Settings")).to_have_count(0)
        goto_ready(staff, "/admin/settings")
        expect(staff.get_by_role("alert")).to_have_text(re.compile("Only admins can change the center's settings"))
        expect(staff.get_by_label("Center name")).to_have_count(0)
        assert_accessible(staff)
    finally:
        put_back(admin)

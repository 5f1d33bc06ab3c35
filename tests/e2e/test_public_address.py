"""The demo opened by another address than its public URL (http://127.0.0.1:<port> while the
public URL says localhost), in the real browser: it simply works, sign-in and the live page
included, where it used to show only "Cannot connect to server: websocket error"."""

import re

from playwright.sync_api import expect

from tests.e2e.app_data import DEMO_PASSWORD


def test_the_demo_works_at_127_0_0_1_too(app_server, new_context):
    assert app_server.url.startswith("http://localhost:")
    page = new_context(base_url=f"http://127.0.0.1:{app_server.port}").new_page()
    failed_sockets: list[str] = []
    page.on("websocket", lambda socket: socket.on("socketerror", lambda error: failed_sockets.append(str(error))))

    page.goto("/login")
    page.get_by_label("Email address").fill("student3@demo.microgigs.test")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/dashboard"))
    # The student's name comes only in the websocket's answer: the event connection was accepted.
    expect(page.get_by_text("Aisha Bello").first).to_be_visible()
    expect(page.get_by_text("Cannot connect to server")).to_have_count(0)
    assert failed_sockets == []

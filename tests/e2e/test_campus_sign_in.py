"""Campus single sign-on in a real browser against a real OpenID provider on loopback,
and the built app's CORS: only the configured public URL may call it from a browser."""

import re

import httpx
from playwright.sync_api import expect

from tests.e2e.conftest import open_menu

PHONE = {"width": 375, "height": 812}


def test_student_signs_in_with_the_campus_provider_end_to_end(new_context, assert_accessible):
    context = new_context(viewport=PHONE)
    page = context.new_page()
    page.goto("/login?next=/dashboard")
    campus = page.get_by_role("link", name="Sign in with Test University")
    expect(campus).to_be_visible()
    assert_accessible(page)

    campus.click()
    # The provider's own (development) login form: any password for a known login.
    page.get_by_placeholder("Enter any login").fill("ada")
    page.get_by_placeholder("and password").fill("any-password")
    page.get_by_role("button", name="Sign-in").click()

    page.wait_for_url(re.compile(r"/dashboard/?$"))
    # On a phone the signed-in name is in the header's menu.
    expect(open_menu(page).get_by_text("Ada Campus")).to_be_visible()
    page.keyboard.press("Escape")
    cookies = [c for c in context.cookies() if c["name"] == "microgigs_session"]
    assert len(cookies) == 1 and cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Lax"
    assert_accessible(page)


def test_a_forged_campus_callback_shows_a_message_on_the_sign_in_page(new_context, assert_accessible):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/auth/oidc/campus/callback?code=made-up&state=forged")
    page.wait_for_url(re.compile(r"/login"))
    expect(page.get_by_role("alert")).to_have_text(re.compile("could not be completed"))
    assert_accessible(page)


def test_cors_refuses_other_origins_and_allows_the_public_url(app_server):
    preflight = {"access-control-request-method": "POST"}
    evil = httpx.options(f"{app_server.url}/_upload", headers={"origin": "https://evil.example", **preflight}, timeout=10)
    assert evil.headers.get("access-control-allow-origin") not in ("*", "https://evil.example")
    ours = httpx.options(f"{app_server.url}/_upload", headers={"origin": app_server.url, **preflight}, timeout=10)
    assert ours.headers.get("access-control-allow-origin") == app_server.url
    # The event websocket's upgrade from another origin is refused; from ours it is accepted.
    assert _websocket_upgrade_status(app_server.url, "https://evil.example") in (400, 403)
    assert _websocket_upgrade_status(app_server.url, app_server.url) == 101


def _websocket_upgrade_status(url: str, origin: str) -> int:
    """The status line of a raw websocket handshake to Reflex's event endpoint."""
    import base64
    import os
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    request = (
        "GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: {origin}\r\n\r\n"
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request.encode())
        status_line = sock.recv(1024).split(b"\r\n", 1)[0].decode()
    return int(status_line.split()[1])

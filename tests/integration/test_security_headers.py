"""Issue 14, point 7: security headers on every HTTP response, through the same ASGI stack as in
production (microgigs.py): our routes, the board's first page, the built /assets/ files and
errors. A page gets a Content-Security-Policy that allows exactly its inline scripts (by hash)
and no eval; anything else gets `default-src 'none'`; a policy a route set itself is kept.
(The browser side, that no page of the real build meets a refusal, is tests/e2e/test_security_headers.py.)"""

import re

import pytest
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from microgigs import settings
from microgigs.http.app import build_api
from microgigs.http.assets import serve_built_assets
from microgigs.http.board_first_page import REMOVE_SCRIPT, serve_board_first_page
from microgigs.http.limits import limit_request_size
from microgigs.http.security_headers import NOT_A_PAGE_POLICY, WORKER_POLICY, add_security_headers, inline_script_hashes, script_hash
from microgigs.models import User
from microgigs.services import profiles
from tests.integration.conftest import make_user, sign_in

THEME_SCRIPT = "document.documentElement.classList.add('light');"
CONTEXT_SCRIPT = 'window.__reactRouterContext = {"basename":"/"};'
MODULE_SCRIPT = 'import "/assets/entry.client-abc.js";'
SHELL = (
    "<!DOCTYPE html><html><head>"
    f"<script>{THEME_SCRIPT}</script>"
    '<script type="module" src="/assets/entry.client-abc.js"></script>'
    '</head><body><div id="board-loading">Loading gigs…</div>'
    f'<script>{CONTEXT_SCRIPT}</script><script type="module" async="">{MODULE_SCRIPT}</script>'
    "</body></html>"
)


@pytest.fixture
def build(tmp_path):
    """A production build's folder: the board's shell, another page, one hashed asset."""
    folder = tmp_path / "build"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text(SHELL)
    (folder / "login.html").write_text("<html><head><script>window.loginPage = 1;</script></head><body></body></html>")
    (folder / "assets" / "entry.client-abc.js").write_text("console.log('app');")
    return folder


def production_stack(configured, build):
    """The app as microgigs.py assembles it around Reflex (Reflex's own app is not here)."""
    inner = limit_request_size(build_api())
    inner = serve_board_first_page(inner, shell=lambda: build / "index.html", engine=configured)
    inner = serve_built_assets(inner, folder=lambda: build / "assets")
    return add_security_headers(inner, pages=lambda: build)


@pytest.fixture
def client(configured, build):
    with TestClient(production_stack(configured, build), base_url="http://testserver", follow_redirects=False) as c:
        yield c


def directives(policy: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in policy.split(";"))}


def inline_scripts(html: str) -> list[str]:
    return [m[2] for m in re.finditer(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL) if "src=" not in m[1]]


def test_the_board_page_allows_exactly_its_own_inline_scripts_and_no_eval(client):
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = directives(response.headers["content-security-policy"])
    scripts = inline_scripts(response.text)
    assert REMOVE_SCRIPT in scripts and THEME_SCRIPT in scripts  # the build's and the board's own
    assert all(script_hash(body) in policy["script-src"] for body in scripts)
    assert script_hash("window.loginPage = 1;") in policy["script-src"]  # every built page's, from the build
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]  # Radix and emotion style as they draw
    assert {"'self'", "http://testserver", "ws://testserver"} <= set(policy["connect-src"])
    assert policy["form-action"] == ["'self'"]  # demo payments: no other origin
    assert policy["worker-src"] == ["'self'"] and policy["manifest-src"] == ["'self'"]  # installable, from us only
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" not in response.headers  # http here
    assert response.headers["cache-control"] == "no-cache"  # the route's own header is kept


def test_responses_that_are_not_pages_may_load_nothing(client, configured):
    for path in (
        "/healthz",
        "/.well-known/jwks.json",
        "/assets/entry.client-abc.js",
        "/files/1",
        "/no/such/route",
        "/manifest.webmanifest",
    ):
        response = client.get(path)
        assert response.headers["content-security-policy"] == NOT_A_PAGE_POLICY, path
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["x-frame-options"] == "DENY", path
    assert client.get("/assets/entry.client-abc.js").headers["cache-control"].endswith("immutable")


def test_the_service_worker_may_fetch_from_our_origin_only(client):
    # The worker's script carries the worker's own policy: it fetches the built files it keeps.
    response = client.get("/sw.js")
    assert response.headers["content-security-policy"] == WORKER_POLICY == "default-src 'none'; connect-src 'self'"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_refused_upload_carries_the_headers(client, monkeypatch):
    monkeypatch.setenv("MICROGIGS_MAX_REQUEST_BYTES", "1000")
    settings.get_settings.cache_clear()
    refused = client.post("/auth/login", content=b"x" * 5000, headers={"content-type": "application/x-www-form-urlencoded"})
    assert refused.status_code == 413
    assert refused.headers["content-security-policy"] == NOT_A_PAGE_POLICY


def test_a_stored_files_own_sandbox_policy_is_kept_and_ours_added(client, configured):
    uid = make_user(configured, "fa@uni.edu")
    with Session(configured) as session:
        profiles.set_photo(session, session.get(User, uid), "me.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 10)
        session.commit()
    sign_in(client, "fa@uni.edu")
    photo = client.get(f"/photos/{uid}")
    assert photo.status_code == 200
    assert photo.headers.get_list("content-security-policy") == ["sandbox", NOT_A_PAGE_POLICY]
    assert photo.headers["cache-control"] == "private, no-store"


def test_urls_carrying_a_one_time_token_never_send_it_to_another_origin(client):
    for path in ("/auth/verify?token=abc", "/auth/oidc/campus/callback?code=x&state=y"):
        assert client.get(path).headers["referrer-policy"] == "no-referrer", path
    for path in ("/auth/reset-password", "/auth/join"):
        assert client.post(path, data={"token": "abc"}).headers["referrer-policy"] == "no-referrer", path
    # Pages whose forms post to us: same-origin (no-referrer would make the browser send
    # `Origin: null`, which the same-origin check of our form routes refuses).
    for path in ("/reset-password?token=abc", "/join?token=abc", "/join/?token=abc"):
        assert client.get(path).headers["referrer-policy"] == "same-origin", path
    assert client.get("/login").headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_an_unhandled_error_still_carries_the_headers(configured, build):
    def boom(_request):
        raise RuntimeError("a bug")

    app = add_security_headers(Starlette(routes=[Route("/boom", boom)]), pages=lambda: build)
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-security-policy"] == NOT_A_PAGE_POLICY
    assert response.headers["x-frame-options"] == "DENY"


def test_hsts_only_when_the_public_address_is_https(configured, build, monkeypatch):
    monkeypatch.setenv("MICROGIGS_PUBLIC_URL", "https://gigs.example.edu")
    settings.get_settings.cache_clear()
    with TestClient(production_stack(configured, build), base_url="https://gigs.example.edu") as c:
        response = c.get("/healthz")
        page = c.get("/")
    assert response.headers["strict-transport-security"] == "max-age=31536000"
    assert {"https://gigs.example.edu", "wss://gigs.example.edu"} <= set(directives(page.headers["content-security-policy"])["connect-src"])


def test_with_stripe_forms_may_lead_to_stripes_pages_only(configured, build, monkeypatch):
    monkeypatch.setenv("MICROGIGS_PAYMENT_GATEWAY", "stripe")
    settings.get_settings.cache_clear()
    with TestClient(production_stack(configured, build)) as c:
        assert directives(c.get("/").headers["content-security-policy"])["form-action"] == [
            "'self'",
            "https://checkout.stripe.com",
            "https://connect.stripe.com",
        ]
    monkeypatch.setenv("MICROGIGS_STRIPE_API_BASE", "http://127.0.0.1:4242/v1")  # the test fake serves its own pages
    settings.get_settings.cache_clear()
    with TestClient(production_stack(configured, build)) as c:
        assert directives(c.get("/").headers["content-security-policy"])["form-action"] == ["'self'", "http://127.0.0.1:4242"]


def test_inline_script_hashes_skip_scripts_loaded_from_a_file():
    html = '<script src="/a.js"></script><script>one()</script><SCRIPT type="module">two()</SCRIPT><script>one()</script>'
    assert inline_script_hashes([html]) == [script_hash("one()"), script_hash("two()")]


def test_a_not_modified_answer_leaves_the_kept_pages_policy_alone(build):
    """A 304 has no content type; the browser applies its headers to the page it kept, so a
    "not a page" policy there would replace the page's own and block all of its scripts."""
    app = add_security_headers(Starlette(routes=[Route("/page", lambda _r: PlainTextResponse("", status_code=304))]), pages=lambda: build)
    with TestClient(app) as c:
        response = c.get("/page")
    assert response.status_code == 304
    assert "content-security-policy" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"

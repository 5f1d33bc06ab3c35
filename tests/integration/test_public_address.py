"""Opening MicroGigs by another address than MICROGIGS_PUBLIC_URL: on a real install a page says
which address to open and which setting names it; checks answer by any name; in demo mode it
simply works, the event websocket accepting a page of its own origin (and still no other site's)."""

import pytest
from starlette.testclient import TestClient

from microgigs.http.app import build_api
from microgigs.http.public_address import explain_wrong_host
from microgigs.http.security_headers import add_security_headers
from tests.smtp_server import use_settings


@pytest.fixture
def served(configured, monkeypatch):
    use_settings(monkeypatch, {"MICROGIGS_PUBLIC_URL": "https://gigs.uni.test", "MICROGIGS_DEMO_MODE": "false"})
    with TestClient(add_security_headers(explain_wrong_host(build_api())), follow_redirects=False) as client:
        yield client


def test_a_page_opened_by_another_host_name_says_which_address_to_open(served):
    response = served.get("/auth/login", headers={"host": "10.0.0.7:3000"})

    assert response.status_code == 421
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<a href="https://gigs.uni.test/">https://gigs.uni.test</a>' in page
    assert "MICROGIGS_PUBLIC_URL=http://10.0.0.7:3000" in page
    assert "<h1>Open MicroGigs at its own address</h1>" in page
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]  # our headers still on it


def test_the_public_address_is_served_whatever_its_case_or_default_port(served):
    for host in ("gigs.uni.test", "GIGS.uni.test", "gigs.uni.test:443"):
        assert served.get("/healthz", headers={"host": host}).status_code == 200
        assert served.get("/auth/login", headers={"host": host}).status_code != 421, host


def test_what_the_host_header_says_is_shown_escaped(served):
    response = served.get("/", headers={"host": "<script>x</script>"})

    assert response.status_code == 421
    assert "<script>x</script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_checks_answer_by_any_name(served):
    assert served.get("/healthz", headers={"host": "10.0.0.7:3000"}).status_code == 200


def test_only_pages_are_explained_posts_go_on(served):
    # A form post by the wrong name meets the route's own same-origin rule instead.
    response = served.post("/auth/login", headers={"host": "10.0.0.7:3000"}, data={"email": "a@b.c", "password": "x"})

    assert response.status_code != 421


def test_in_demo_mode_any_address_simply_works(served, monkeypatch):
    use_settings(monkeypatch, {"MICROGIGS_DEMO_MODE": "true"})

    assert served.get("/auth/login", headers={"host": "127.0.0.1:3000"}).status_code != 421


@pytest.mark.parametrize(
    ("demo", "origin", "host", "accepted"),
    [
        (False, "https://gigs.uni.test", "gigs.uni.test", True),  # the public address
        (False, "http://127.0.0.1:3000", "127.0.0.1:3000", False),  # a real install: the public address only
        (True, "http://127.0.0.1:3000", "127.0.0.1:3000", True),  # the demo, opened by another name
        (True, "http://192.168.1.20:3000", "192.168.1.20:3000", True),  # ... or by the LAN address
        (True, "https://evil.example", "127.0.0.1:3000", False),  # another site's page, never
    ],
)
def test_the_event_websocket_accepts_origins(configured, monkeypatch, demo, origin, host, accepted):
    from microgigs.microgigs import app

    use_settings(monkeypatch, {"MICROGIGS_PUBLIC_URL": "https://gigs.uni.test", "MICROGIGS_DEMO_MODE": str(demo).lower()})
    # What engine.io asks before it lets a socket.io connection in (its cors_allowed_origins check).
    allowed = app.sio.eio._cors_allowed_origins({"HTTP_ORIGIN": origin, "HTTP_HOST": host, "wsgi.url_scheme": "http"})

    assert (origin in allowed) is accepted

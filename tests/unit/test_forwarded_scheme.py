"""Behind a trusted proxy that ends TLS, addresses the app builds from a request name https://
(http/forwarded_scheme.py): Starlette's own folder redirect, as the built pages' mount makes."""

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from microgigs.http.forwarded_scheme import trust_forwarded_scheme


def _app():
    async def page(request):
        return PlainTextResponse(str(request.url))

    async def folder(request):
        return RedirectResponse(str(request.url) + "/")

    return trust_forwarded_scheme(Starlette(routes=[Route("/page", page), Route("/login", folder)]))


def _client(peer: str) -> TestClient:
    return TestClient(_app(), base_url="http://gigs.example.edu", client=(peer, 40000), follow_redirects=False)


def test_a_trusted_proxys_https_is_the_scheme_of_the_request(set_setting):
    set_setting("trusted_proxies", "127.0.0.1")
    client = _client("127.0.0.1")
    assert client.get("/page", headers={"X-Forwarded-Proto": "https"}).text == "https://gigs.example.edu/page"
    assert client.get("/login", headers={"X-Forwarded-Proto": "https"}).headers["location"] == "https://gigs.example.edu/login/"
    # Through two proxies the first value is what the client used.
    assert client.get("/page", headers={"X-Forwarded-Proto": "HTTPS, http"}).text == "https://gigs.example.edu/page"


def test_anyone_elses_header_is_ignored(set_setting):
    set_setting("trusted_proxies", "127.0.0.1")
    assert _client("203.0.113.9").get("/page", headers={"X-Forwarded-Proto": "https"}).text == "http://gigs.example.edu/page"


def test_without_trusted_proxies_or_with_nonsense_nothing_changes(set_setting):
    set_setting("trusted_proxies", "")
    assert _client("127.0.0.1").get("/page", headers={"X-Forwarded-Proto": "https"}).text == "http://gigs.example.edu/page"
    set_setting("trusted_proxies", "127.0.0.1")
    assert _client("127.0.0.1").get("/page", headers={"X-Forwarded-Proto": "gopher"}).text == "http://gigs.example.edu/page"
    assert _client("127.0.0.1").get("/page").text == "http://gigs.example.edu/page"

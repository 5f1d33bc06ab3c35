"""Installable (issue 19 point 7): every page links a manifest that parses, Chromium registers
the service worker, and from then on the built JS comes from the worker while pages and the
API never do; offline, a signed-in student's dashboard is not shown from the device."""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from microgigs.demo.logins import DEMO_PASSWORD, demo_email
from tests.e2e.test_accounts import loaded, sign_in

STUDENT = demo_email("student1")
STUDENT_NAME = "Maya Chen"  # student1 of the demo (microgigs/demo/content.py)

# The URLs in every cache of the origin (the page's own view of CacheStorage).
CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return urls;
}"""


def wait_for_worker(page) -> str:
    """Until the page's service worker is active; its script's URL."""
    return page.evaluate("async () => (await navigator.serviceWorker.ready).active.scriptURL")


def test_the_manifest_link_resolves_and_the_worker_registers(new_context, app_server):
    context = new_context()
    page = context.new_page()
    page.goto("/")
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    assert href == "/manifest.webmanifest"
    assert page.locator('meta[name="theme-color"]').get_attribute("content")
    assert page.locator('link[rel="apple-touch-icon"]').get_attribute("href") == "/icons/apple-touch-icon.png"

    answer = page.request.get(href)
    assert answer.ok and answer.headers["content-type"] == "application/manifest+json"
    manifest = answer.json()
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    for icon in manifest["icons"]:
        image = page.request.get(icon["src"])
        assert image.ok and image.headers["content-type"] == "image/png", icon

    assert wait_for_worker(page) == f"{app_server.url}/sw.js"
    assert [worker.url for worker in context.service_workers] == [f"{app_server.url}/sw.js"]


def test_after_a_reload_built_files_come_from_the_worker_and_pages_never_do(new_context):
    context = new_context()
    page = context.new_page()
    page.goto("/")
    wait_for_worker(page)

    responses = []

    def keep(response) -> None:
        responses.append(response)

    page.on("response", keep)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Loading gigs…")).to_have_count(0)
    # A GET of our API, and a POST, from the page pass the worker by.
    with page.expect_response(re.compile(r"/api/center/logo/")) as api:
        page.evaluate("() => fetch('/api/center/logo/logo-0123456789abcdef0123456789abcdef.png')")
    with page.expect_response(re.compile(r"/api/credentials/verify")) as posted:
        page.evaluate("() => fetch('/api/credentials/verify', { method: 'POST', body: 'not a credential' })")
    page.remove_listener("response", keep)

    def path(response) -> str:
        return re.sub(r"^https?://[^/]+", "", response.url)

    scripts = [r for r in responses if path(r).startswith("/assets/") and path(r).endswith(".js")]
    assert scripts and all(r.from_service_worker for r in scripts), [(path(r), r.from_service_worker) for r in scripts]
    document = next(r for r in responses if r.request.resource_type == "document")
    assert path(document) == "/" and not document.from_service_worker
    assert api.value.status == 404 and not api.value.from_service_worker
    assert posted.value.request.method == "POST" and not posted.value.from_service_worker

    # What the worker kept: built files and icons, nothing else.
    kept = page.evaluate(CACHED_URLS)
    assert kept and all(url.startswith(("/assets/", "/icons/")) for url in kept), kept


def test_offline_a_signed_in_students_dashboard_is_not_shown_from_the_device(new_context):
    context = new_context()
    page = context.new_page()
    sign_in(page, STUDENT, DEMO_PASSWORD)
    wait_for_worker(page)
    page.reload()  # now under the worker
    loaded(page)
    expect(page.get_by_text(STUDENT_NAME).first).to_be_visible()
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    kept = page.evaluate(CACHED_URLS)
    assert kept and not [url for url in kept if not url.startswith(("/assets/", "/icons/"))], kept

    context.set_offline(True)
    # Had the worker kept the page, these would show it.
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
        page.reload()
    page.wait_for_load_state()
    expect(page.locator("body")).not_to_contain_text(STUDENT_NAME)
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
        context.new_page().goto("/dashboard")
    context.set_offline(False)

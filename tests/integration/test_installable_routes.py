"""The routes that make MicroGigs installable (http/installable.py, http/service_worker.py):
the manifest names the center as an admin set it, the icons it lists are real PNGs of their
stated sizes, and the service worker keeps only the built files (its behaviour in Chromium:
tests/e2e/test_installable.py)."""

import dataclasses
import struct
from pathlib import Path

from sqlmodel import Session

from microgigs.http import installable, service_worker
from microgigs.http.security_headers import WORKER_POLICY
from microgigs.operations import app_icons
from microgigs.services import accounts, center_settings
from microgigs.settings import get_settings
from tests.integration.conftest import PASSWORD

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_is_served_as_a_manifest_with_the_centers_name(client):
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/manifest+json"
    assert answer.headers["cache-control"] == "no-cache"
    manifest = answer.json()
    assert manifest["name"] == get_settings().center_name
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    assert manifest["theme_color"] == installable.DEFAULT_THEME_COLOR
    assert manifest["background_color"] == "#ffffff"
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes


def test_an_admins_new_name_and_brand_colour_are_in_the_next_manifest(client, configured):
    with Session(configured) as session:
        admin = accounts.create_privileged_user(session, email="admin@example.edu", display_name="Admin", password=PASSWORD, role="admin")
        form = center_settings.form_values(session, admin)
        center_settings.save(session, admin, dataclasses.replace(form, name="Riverside Career Center", brand_color="#7a1f5c"))
        session.commit()
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["name"] == "Riverside Career Center"
    assert manifest["short_name"] == "Riverside"  # cut at a word, to fit under an icon
    assert manifest["theme_color"] == "#7a1f5c"


def test_short_names_fit_under_an_icon():
    assert installable.short_name("MicroGigs") == "MicroGigs"
    assert installable.short_name("Career Hub of the North") == "Career Hub"
    assert installable.short_name("Universitätskarrierezentrum") == "Universitäts"


def test_every_listed_icon_is_a_real_png_of_its_stated_size():
    for icon in installable.ICONS:
        data = (ASSETS / icon["src"].lstrip("/")).read_bytes()
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert png_size(data) == (width, height), icon["src"]
    assert png_size((ASSETS / installable.APPLE_TOUCH_ICON.lstrip("/")).read_bytes()) == (180, 180)


def test_the_committed_icons_are_what_the_generator_draws(tmp_path):
    # A changed drawing (or a hand-edited icon) shows here: regenerate with
    # `python -m microgigs.operations.app_icons`.
    for path in app_icons.write_icons(tmp_path):
        assert path.read_bytes() == (ASSETS / "icons" / path.name).read_bytes(), path.name


def test_the_service_worker_is_served_from_the_root_never_kept_and_may_fetch_only_from_us(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/javascript; charset=utf-8"
    assert answer.headers["cache-control"] == "no-cache"
    assert WORKER_POLICY == "default-src 'none'; connect-src 'self'"
    script = answer.text
    # Only GETs of files directly in the built folders are answered; everything else (pages,
    # the API, posts) is left to the network: no navigation is ever kept.
    assert "if (request.method !== 'GET') { return false; }" in script
    assert "var CACHED_FOLDERS = ['/assets/', '/icons/'];" in script
    assert "if (!isBuiltFile(event.request)) { return; }" in script
    assert "navigate" not in script and "sync" not in script  # no navigation fallback, no queued writes


def test_the_cache_name_changes_with_the_build(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "icons").mkdir()
    (tmp_path / "assets" / "entry.client-abc.js").write_text("1")
    (tmp_path / "icons" / "icon-192.png").write_bytes(b"one")
    first = service_worker.cache_version(tmp_path)
    assert service_worker.cache_version(tmp_path) == first
    (tmp_path / "assets" / "entry.client-def.js").write_text("2")
    second = service_worker.cache_version(tmp_path)
    (tmp_path / "icons" / "icon-192.png").write_bytes(b"two")
    third = service_worker.cache_version(tmp_path)
    assert len({first, second, third}) == 3
    script = service_worker.worker_script(third)
    assert f"var CACHE = 'microgigs-assets-{third}';" in script
    # The worker deletes the older caches of ours when it takes over.
    assert "name.indexOf(CACHE_PREFIX) === 0 && name !== CACHE" in script

"""The service worker at /sw.js (scope "/") and the script in every page that registers it.

It exists for quick repeat visits, and does only that: it answers GET requests for the built
frontend's files (/assets/<name>, whose names carry a hash of their content) and the home-screen
icons (/icons/<name>) from its cache, fetching and keeping them the first time. Everything else
(pages, /_event's websocket, /api, /auth, /files, uploads, every POST) it leaves alone: the
browser goes to the network as if there were no worker. So a page with someone's data is never
kept on the device nor shown offline, and nothing is written or queued while offline.

The cache's name carries a hash of the build's asset names and of the icons: a new build gives
a new worker script (the browser compares it byte for byte, asking again each time:
`Cache-Control: no-cache`), and the new worker deletes the older caches when it takes over.
"""

import functools
import hashlib
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

WORKER_PATH = "/sw.js"
CACHE_PREFIX = "microgigs-assets-"
CACHED_FOLDERS = ("/assets/", "/icons/")  # flat folders of files that never change under one name

# Plain ES5 without "<", ">" or "&", as React writes it into the built HTML as a <script>'s text.
# Secure contexts only (https, or localhost), where browsers allow a service worker at all.
REGISTER_SCRIPT = """
(function () {
  if (!window.isSecureContext || !('serviceWorker' in navigator)) { return; }
  window.addEventListener('load', function () {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {});
  });
})();
"""

WORKER_SCRIPT = """// MicroGigs' service worker (microgigs/http/service_worker.py): built files only, never pages.
'use strict';
var CACHE = '__CACHE__';
var CACHE_PREFIX = '__CACHE_PREFIX__';
var CACHED_FOLDERS = __CACHED_FOLDERS__;

// A GET of our own origin for a file directly in one of the cached folders, without a query.
function isBuiltFile(request) {
  if (request.method !== 'GET') { return false; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.search) { return false; }
  return CACHED_FOLDERS.some(function (folder) {
    var name = url.pathname.slice(folder.length);
    return url.pathname.indexOf(folder) === 0 && name !== '' && name.indexOf('/') === -1;
  });
}

self.addEventListener('install', function () {
  self.skipWaiting();
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(CACHE_PREFIX) === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener('fetch', function (event) {
  // Not answered here: the browser goes to the network itself (pages, the API, posts, ...).
  if (!isBuiltFile(event.request)) { return; }
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(event.request).then(function (kept) {
      if (kept) { return kept; }
      return fetch(event.request).then(function (response) {
        if (response.ok && response.type === 'basic') { cache.put(event.request, response.clone()); }
        return response;
      });
    });
  }));
});
"""


def cache_version(built_dir: Path) -> str:
    """A hash of the build's asset names (each carries its content's hash) and the icons' bytes."""
    digest = hashlib.sha256()
    assets, icons = built_dir / "assets", built_dir / "icons"
    for path in sorted(assets.iterdir()) if assets.is_dir() else ():
        digest.update(b"asset:" + path.name.encode() + b"\n")
    for path in sorted(icons.iterdir()) if icons.is_dir() else ():
        digest.update(b"icon:" + path.name.encode() + b"\n" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def worker_script(version: str) -> str:
    folders = "[" + ", ".join(f"'{folder}'" for folder in CACHED_FOLDERS) + "]"
    return (
        WORKER_SCRIPT.replace("__CACHE__", CACHE_PREFIX + version)
        .replace("__CACHE_PREFIX__", CACHE_PREFIX)
        .replace("__CACHED_FOLDERS__", folders)
    )


def _built_dir() -> Path:
    from microgigs.http.assets import built_assets_dir

    return built_assets_dir().parent


@functools.cache
def _script_of_this_build() -> str:  # the build does not change while the app runs
    return worker_script(cache_version(_built_dir()))


async def service_worker(_request: Request) -> Response:
    return Response(
        _script_of_this_build(),
        media_type="text/javascript",
        # The browser asks again at each visit, so a new build's worker is found at once.
        headers={"Cache-Control": "no-cache"},
    )


routes = [Route(WORKER_PATH, service_worker, methods=["GET"])]

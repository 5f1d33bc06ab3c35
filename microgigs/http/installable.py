"""What lets a phone add MicroGigs to its home screen: the web app manifest at
/manifest.webmanifest (every page's <head> links to it: components/installable_head.py).

The manifest is a route, not a static file, because its name and colour are the center's own
(services/center.py: an admin renames the center or sets a brand colour at /admin/settings, and
the next fetch of the manifest says so). The icons are the committed ones under assets/icons/
(operations/app_icons.py): an uploaded logo is any shape and size, a home-screen icon is not,
so a center's logo does not replace them. The <meta name="theme-color"> in the built pages is
the default colour (the build cannot know a later setting); the manifest's is the center's.
"""

import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from microgigs.http.unit_of_work import off_the_loop
from microgigs.services import center
from microgigs.services.center import Center

MANIFEST_PATH = "/manifest.webmanifest"
MANIFEST_TYPE = "application/manifest+json"
DEFAULT_THEME_COLOR = "#3e63dd"  # Radix's indigo 9, the pages' accent colour (and the icons' background)
BACKGROUND_COLOR = "#ffffff"  # the pages' own background, shown while the app opens
ICONS = (
    {"src": "/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {"src": "/icons/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
)
APPLE_TOUCH_ICON = "/icons/apple-touch-icon.png"
SHORT_NAME_LENGTH = 12  # about what a home screen shows under an icon


def short_name(name: str) -> str:
    """The center's name, cut at a word to fit under an icon (the whole first word if need be)."""
    if len(name) <= SHORT_NAME_LENGTH:
        return name
    words, kept = name.split(), ""
    for word in words:
        if len(kept) + len(word) + (1 if kept else 0) > SHORT_NAME_LENGTH:
            break
        kept = f"{kept} {word}" if kept else word
    return kept or name[:SHORT_NAME_LENGTH]


def manifest(settings: Center) -> dict:
    color = settings.brand_color or DEFAULT_THEME_COLOR
    return {
        "id": "/",
        "name": settings.name,
        "short_name": short_name(settings.name),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOR,
        "theme_color": color,
        "icons": [dict(icon) for icon in ICONS],
    }


async def web_app_manifest(_request: Request) -> Response:
    settings = await off_the_loop(center.current)
    return Response(
        json.dumps(manifest(settings), ensure_ascii=False),
        media_type=MANIFEST_TYPE,
        # Asked again on each use: a renamed center shows its new name.
        headers={"Cache-Control": "no-cache"},
    )


routes = [Route(MANIFEST_PATH, web_app_manifest, methods=["GET"])]

"""The tags in every page's <head> that make MicroGigs installable: the web app manifest
(http/installable.py), the bar colour, the iOS home-screen icon, and the small script that
registers the service worker (http/service_worker.py)."""

import reflex as rx

from microgigs.http.installable import APPLE_TOUCH_ICON, DEFAULT_THEME_COLOR, MANIFEST_PATH
from microgigs.http.service_worker import REGISTER_SCRIPT


def installable_head() -> list[rx.Component]:
    return [
        rx.el.link(rel="manifest", href=MANIFEST_PATH),
        rx.el.meta(name="theme-color", content=DEFAULT_THEME_COLOR),
        rx.el.link(rel="apple-touch-icon", href=APPLE_TOUCH_ICON),
        rx.el.script(REGISTER_SCRIPT),
    ]

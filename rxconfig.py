"""Reflex config only: app name, database URL from our settings, plugins."""

import reflex as rx

from microgigs.data_folder import secure_data_folder
from microgigs.settings import get_settings
from microgigs.state_store import state_store_options

settings = get_settings()

# SQLite creates the file but not its folder, and `reflex db migrate` opens it before our code
# runs: the data folder is made here, owner-only (0700), and tightened if it was looser.
secure_data_folder(settings)


class RadixThemesWithoutDynamicImport(rx.plugins.RadixThemesPlugin):
    """Radix Themes, not offered whole to dynamic components (which we don't use).

    Reflex registers a plugin's frontend packages for `window.__reflex`; for Radix Themes that
    is an import of its whole namespace, which stops the bundler from dropping unused
    components: every page then loads all of Radix Themes (~280 kB) before it can draw. The
    package itself is still installed, as every Radix component names it.
    """

    def get_frontend_dependencies(self, **context) -> tuple[str, ...]:
        return ()


config = rx.Config(
    app_name="microgigs",
    db_url=settings.sqlalchemy_url,
    telemetry_enabled=False,
    # No sticky "Built with Reflex" badge: it links off-site and sits outside every landmark (axe "region").
    show_built_with_reflex=False,
    # Only our own origin may open the event websocket or call the API from a browser.
    cors_allowed_origins=[settings.public_url.rstrip("/")],
    # Reflex 0.10 wants Radix Themes opted into explicitly; the theme lives here, not in rx.App.
    plugins=[
        RadixThemesWithoutDynamicImport(
            theme=rx.theme(accent_color="indigo", radius="medium", has_background=True),
        ),
    ],
    # Every page would otherwise import all of Radix Themes (and the other libraries) for
    # dynamic components, which we don't use: ~300 kB more JavaScript before a first page draws.
    frontend_lazy_bundled_libraries=True,
    # The sitemap plugin is on by default; we don't publish one (most pages need a sign-in).
    disable_plugins=[rx.plugins.SitemapPlugin],
    # In memory for one worker; Redis, with Reflex's opportunistic lock, for several.
    **state_store_options(),
)

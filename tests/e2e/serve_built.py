"""Serve the app on one port with the frontend that is ALREADY BUILT in REFLEX_WEB_WORKDIR.

`reflex run --env prod` always compiles and builds the frontend (minutes); `--backend-only`
skips the build but then does not serve the built pages. This is Reflex's own prod backend
start (reflex.utils.exec.run_backend_prod) with both: no compile, the built frontend mounted.
The browser tests use it to restart the session's app with other settings (e.g. the Stripe
gateway) on the SAME port and web dir: the built pages name the backend by its port, so
the same build works unchanged.

    python tests/e2e/serve_built.py PORT    (cwd: the project root; env as for `reflex run`)
"""

import sys

from reflex_base import constants
from reflex_base.config import get_config
from reflex_base.environment import environment


def main(port: int) -> None:
    from reflex.utils import exec, prerequisites

    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)  # never rewrite the web dir
    prerequisites.assert_in_reflex_dir()
    static = prerequisites.get_web_dir() / constants.Dirs.STATIC
    if not static.is_dir():
        raise SystemExit(f"No built frontend in {static}: start the app once with `reflex run --env prod`.")
    config = get_config()
    config._set_persistent(frontend_port=port, backend_port=port)
    exec.run_backend_prod(config.backend_host, port, config.loglevel.subprocess_level(), mount_frontend_compiled_app=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))

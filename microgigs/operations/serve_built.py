"""Serve the frontend that is ALREADY BUILT, without building it again: `microgigs start --no-build`.

`reflex run --env prod` compiles and builds the frontend at every start (a minute or two, and
it rewrites the web folder); `--backend-only` skips the build but then serves no pages. This is
Reflex's own production start (reflex.utils.exec.run_backend_prod) with both: no compile, the
built pages mounted beside the app on one port. A second app process on the same machine (or
a restart) can so serve what the first start built, in the same web folder
(REFLEX_WEB_WORKDIR, `.web` by default), while the first keeps serving from it.

    python -m microgigs.operations.serve_built HOST PORT   (cwd: the project; env as for `reflex run`)
"""

from __future__ import annotations

import sys
from pathlib import Path


def built_pages() -> Path:
    """Where a production build leaves the pages (REFLEX_WEB_WORKDIR/build/client)."""
    from reflex_base import constants
    from reflex_base.environment import environment

    return environment.REFLEX_WEB_WORKDIR.get() / constants.Dirs.STATIC


def is_built() -> bool:
    return (built_pages() / "index.html").is_file()


def main(host: str, port: int) -> None:
    from reflex.utils import exec, prerequisites
    from reflex_base import constants
    from reflex_base.config import get_config
    from reflex_base.environment import environment

    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)  # never rewrite the web folder another process serves
    prerequisites.assert_in_reflex_dir()
    if not is_built():
        raise SystemExit(f"No built frontend in {built_pages()}: start once without --no-build (it builds).")
    config = get_config()
    config._set_persistent(frontend_port=port, backend_port=port)
    exec.run_backend_prod(host, port, config.loglevel.subprocess_level(), mount_frontend_compiled_app=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

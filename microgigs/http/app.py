"""The Starlette app that carries our routes; Reflex mounts it via api_transformer."""

from starlette.applications import Starlette

from microgigs.http import auth, files, health, oidc


def build_api() -> Starlette:
    return Starlette(routes=[*auth.routes, *oidc.routes, *files.routes, *health.routes])

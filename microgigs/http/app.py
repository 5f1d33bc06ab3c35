"""The Starlette app that carries our routes; Reflex mounts it via api_transformer."""

from starlette.applications import Starlette

from microgigs.http import account, auth, branding, credentials, files, health, insights, metrics, oidc, payments, unsubscribe


def build_api() -> Starlette:
    return Starlette(
        routes=[
            *auth.routes,
            *oidc.routes,
            *account.routes,
            *files.routes,
            *branding.routes,
            *health.routes,
            *metrics.routes,
            *credentials.routes,
            *insights.routes,
            *payments.routes,
            *unsubscribe.routes,
        ]
    )

"""The Starlette app that carries our routes; Reflex mounts it via api_transformer."""

from starlette.applications import Starlette

from microgigs.http import (
    account,
    auth,
    branding,
    calendar,
    credentials,
    files,
    health,
    i18n,
    insights,
    installable,
    metrics,
    oidc,
    payments,
    service_worker,
    unsubscribe,
)


def build_api() -> Starlette:
    return Starlette(
        routes=[
            *auth.routes,
            *oidc.routes,
            *account.routes,
            *files.routes,
            *branding.routes,
            *calendar.routes,
            *health.routes,
            *i18n.routes,
            *metrics.routes,
            *credentials.routes,
            *insights.routes,
            *payments.routes,
            *installable.routes,
            *service_worker.routes,
            *unsubscribe.routes,
        ]
    )

"""Campus OpenID Connect providers: configuration from settings and Authlib's Starlette client.

MICROGIGS_OIDC_PROVIDERS is a JSON list of
{"name": "campus", "issuer": "https://login.example.edu", "client_id": "...",
 "client_secret": "...", "label": "Sign in with Example University", "enabled": true}.
Discovery (issuer + /.well-known/openid-configuration), PKCE S256 and a nonce are always on.
"""

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from authlib.integrations.starlette_client import OAuth

from microgigs.settings import get_settings

log = logging.getLogger("microgigs.oidc")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    label: str
    enabled: bool = True


def _parse(raw: str) -> tuple[Provider, ...]:
    if not raw.strip():
        return ()
    try:
        items = json.loads(raw)
    except json.JSONDecodeError:
        log.error("MICROGIGS_OIDC_PROVIDERS is not valid JSON; campus sign-in is off")
        return ()
    providers = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        name = str(item.get("name", "")).strip().lower()
        issuer = str(item.get("issuer", "")).strip().rstrip("/")
        client_id = str(item.get("client_id", "")).strip()
        if not _NAME.match(name) or not issuer.startswith(("https://", "http://")) or not client_id:
            # Never log the item itself: it holds the client secret.
            log.error("ignoring an OIDC provider without a valid name, issuer or client_id (name=%r)", name)
            continue
        providers.append(
            Provider(
                name=name,
                issuer=issuer,
                client_id=client_id,
                client_secret=str(item.get("client_secret", "")),
                label=str(item.get("label") or f"Sign in with {name}")[:80],
                enabled=bool(item.get("enabled", True)),
            )
        )
    return tuple(providers)


def configured_providers() -> tuple[Provider, ...]:
    return _parse(get_settings().oidc_providers)


def enabled_provider(name: str) -> Provider | None:
    for provider in configured_providers():
        if provider.name == name and provider.enabled:
            return provider
    return None


@lru_cache(maxsize=16)
def _registry(raw: str, timeout: float) -> OAuth:
    oauth = OAuth()
    for provider in _parse(raw):
        oauth.register(
            provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "timeout": timeout},
        )
    return oauth


def client_for(provider: Provider):
    """Authlib's Starlette OAuth2 app for this provider (metadata fetched on first use)."""
    settings = get_settings()
    return _registry(settings.oidc_providers, settings.oidc_timeout_seconds).create_client(provider.name)

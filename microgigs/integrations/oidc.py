"""Campus OpenID Connect providers: configuration from settings and Authlib's Starlette client.

Two ways to configure them, usable together (README, "Campus sign-in"):
- MICROGIGS_OIDC_PROVIDERS, a JSON list of
  {"name": "campus", "issuer": "https://login.example.edu", "client_id": "...",
   "client_secret": "...", "label": "Sign in with Example University", "enabled": true};
- numbered variables, one set per provider: MICROGIGS_OIDC_1_ISSUER, MICROGIGS_OIDC_1_CLIENT_ID,
  MICROGIGS_OIDC_1_CLIENT_SECRET (required), MICROGIGS_OIDC_1_LABEL, MICROGIGS_OIDC_1_NAME
  (default "oidc1"; it is part of the callback URL), MICROGIGS_OIDC_1_ENABLED (default true).
A provider with something missing or wrong is left out and the log says exactly what to fix
(never a secret). Discovery (issuer + /.well-known/openid-configuration), PKCE S256 and a nonce
are always on.
"""

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from authlib.integrations.starlette_client import OAuth

from microgigs.settings import OIDC_NUMBERED_VARIABLE, get_settings

log = logging.getLogger("microgigs.oidc")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
NUMBERED_FIELDS = ("ISSUER", "CLIENT_ID", "CLIENT_SECRET", "LABEL", "NAME", "ENABLED")
NUMBERED_REQUIRED = ("ISSUER", "CLIENT_ID", "CLIENT_SECRET")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    label: str
    enabled: bool = True


@dataclass(frozen=True)
class ProviderSettings:
    providers: tuple[Provider, ...]
    # What is wrong with the configuration, one sentence each, naming the variable to fix.
    problems: tuple[str, ...]


def _valid_issuer(issuer: str) -> bool:
    return issuer.startswith(("https://", "http://")) and len(issuer) > len("https://")


def _from_json(raw: str, problems: list[str]) -> list[Provider]:
    if not raw.strip():
        return []
    try:
        items = json.loads(raw)
    except json.JSONDecodeError:
        problems.append("MICROGIGS_OIDC_PROVIDERS is not valid JSON: it must be a list of providers.")
        return []
    if not isinstance(items, list):
        problems.append("MICROGIGS_OIDC_PROVIDERS must be a JSON list of providers.")
        return []
    providers = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(f"MICROGIGS_OIDC_PROVIDERS entry {position} is not an object; it is ignored.")
            continue
        name = str(item.get("name", "")).strip().lower()
        issuer = str(item.get("issuer", "")).strip().rstrip("/")
        client_id = str(item.get("client_id", "")).strip()
        if not _NAME.match(name) or not _valid_issuer(issuer) or not client_id:
            # Never the item itself: it holds the client secret.
            problems.append(
                f"MICROGIGS_OIDC_PROVIDERS entry {position} (name={name!r}) needs a name of letters, digits, - or _, "
                "an issuer URL starting with https:// and a client_id; it is ignored."
            )
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
    return providers


def _from_numbered(variables: dict[str, str], problems: list[str]) -> list[Provider]:
    by_number: dict[int, dict[str, str]] = {}
    for variable, value in variables.items():
        match = OIDC_NUMBERED_VARIABLE.match(variable)
        if match is None:
            continue
        number, field = int(match.group(1)), match.group(2)
        if field not in NUMBERED_FIELDS:
            problems.append(
                f"{variable} is not a setting; use one of {', '.join(f'MICROGIGS_OIDC_{number}_{f}' for f in NUMBERED_FIELDS)}."
            )
            continue
        by_number.setdefault(number, {})[field] = value.strip()
    providers = []
    for number in sorted(by_number):
        fields, prefix = by_number[number], f"MICROGIGS_OIDC_{number}"
        missing = [f"{prefix}_{field}" for field in NUMBERED_REQUIRED if not fields.get(field)]
        if missing:
            problems.append(f"Campus sign-in provider {number} is half configured: set {' and '.join(missing)}. It is off until then.")
            continue
        issuer = fields["ISSUER"].rstrip("/")
        name = (fields.get("NAME") or f"oidc{number}").lower()
        enabled_text = (fields.get("ENABLED") or "true").lower()
        wrong = []
        if not _valid_issuer(issuer):
            wrong.append(f"{prefix}_ISSUER must be a URL starting with https://")
        if not _NAME.match(name):
            wrong.append(f"{prefix}_NAME may hold only letters, digits, - and _ (at most 40)")
        if enabled_text not in _TRUE | _FALSE:
            wrong.append(f"{prefix}_ENABLED must be true or false")
        if wrong:
            problems.append(f"Campus sign-in provider {number}: {'; '.join(wrong)}. It is off until then.")
            continue
        providers.append(
            Provider(
                name=name,
                issuer=issuer,
                client_id=fields["CLIENT_ID"],
                client_secret=fields["CLIENT_SECRET"],
                label=(fields.get("LABEL") or f"Sign in with {name}")[:80],
                enabled=enabled_text in _TRUE,
            )
        )
    return providers


def parse_providers(json_list: str, numbered: dict[str, str]) -> ProviderSettings:
    """Every provider from both sources (the JSON list first); a name used twice keeps the first."""
    problems: list[str] = []
    providers: list[Provider] = []
    for provider in _from_json(json_list, problems) + _from_numbered(numbered, problems):
        if any(p.name == provider.name for p in providers):
            problems.append(f"Two campus sign-in providers are named {provider.name!r}; only the first is used.")
            continue
        providers.append(provider)
    return ProviderSettings(tuple(providers), tuple(problems))


@lru_cache(maxsize=16)
def _parsed(json_list: str, numbered: tuple[tuple[str, str], ...]) -> ProviderSettings:
    """Parsed once per configuration, so each problem is logged once, not at every page load."""
    result = parse_providers(json_list, dict(numbered))
    for problem in result.problems:
        log.error("%s", problem)
    return result


def provider_settings() -> ProviderSettings:
    settings = get_settings()
    return _parsed(settings.oidc_providers, tuple(sorted(settings.oidc_numbered.items())))


def configured_providers() -> tuple[Provider, ...]:
    return provider_settings().providers


def enabled_provider(name: str) -> Provider | None:
    for provider in configured_providers():
        if provider.name == name and provider.enabled:
            return provider
    return None


@lru_cache(maxsize=16)
def _registry(providers: tuple[Provider, ...], timeout: float) -> OAuth:
    oauth = OAuth()
    for provider in providers:
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
    return _registry(configured_providers(), settings.oidc_timeout_seconds).create_client(provider.name)

"""Campus sign-in routes: GET /auth/oidc/{name}/start and GET /auth/oidc/{name}/callback.

Start: discovery, then a redirect to the provider with PKCE (S256), state and nonce. The
state, nonce and verifier are kept server-side (services/sso.py, table oidcflow); the
browser only gets the state in a short-lived HttpOnly cookie that ties the callback to it.
Callback: the state must match both, the code is exchanged with the verifier, the ID
token's signature, issuer, audience and nonce are checked by Authlib, then the rules in
services/sso.py decide which account this is. Any failure: a message on /login, nothing
half-created (one transaction). The database steps run off the loop (http/unit_of_work.py).
"""

import logging
from urllib.parse import urlencode

import httpx
from authlib.integrations.base_client import OAuthError
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from microgigs import i18n
from microgigs.http.auth import begin_session, with_sign_in
from microgigs.http.forms import safe_next
from microgigs.http.unit_of_work import off_the_loop, visitor_language
from microgigs.i18n import Text, _
from microgigs.integrations import oidc
from microgigs.services import sso
from microgigs.services.errors import DomainError
from microgigs.settings import get_settings

log = logging.getLogger("microgigs.oidc")
FLOW_COOKIE = "microgigs_oidc_state"
PROVIDER_UNAVAILABLE = _("Campus sign-in is not available right now. Try again later or contact the career center.")
PROVIDER_UNKNOWN = _("That campus sign-in is not offered here.")


def _to_login(request: Request, message: str) -> Response:
    """Back to the sign-in page with `message` (a msgid, or a service's Text) in the visitor's language."""
    shown = i18n.translate(visitor_language(request), message if isinstance(message, Text) else Text(message))
    response = RedirectResponse("/login?" + urlencode({"error": shown}), status_code=303)
    response.delete_cookie(FLOW_COOKIE, path="/auth/oidc", httponly=True, samesite="lax", secure=get_settings().secure_cookies)
    return response


def callback_url(name: str) -> str:
    return f"{get_settings().public_url.rstrip('/')}/auth/oidc/{name}/callback"


async def start(request: Request) -> Response:
    provider = oidc.enabled_provider(request.path_params["name"])
    if provider is None:
        return _to_login(request, PROVIDER_UNKNOWN)
    try:
        data = await oidc.client_for(provider).create_authorization_url(callback_url(provider.name))
    except (httpx.HTTPError, OAuthError, ValueError, RuntimeError) as error:
        log.warning("campus provider %s unavailable at start: %s", provider.name, type(error).__name__)
        return _to_login(request, PROVIDER_UNAVAILABLE)
    next_path = safe_next(request.query_params.get("next"))
    await off_the_loop(
        lambda session: sso.begin_flow(session, provider.name, data["state"], data["nonce"], data["code_verifier"], next_path)
    )
    response = RedirectResponse(data["url"], status_code=302)
    response.set_cookie(
        FLOW_COOKIE,
        data["state"],
        max_age=int(sso.FLOW_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
        path="/auth/oidc",
    )
    return response


async def callback(request: Request) -> Response:
    name = request.path_params["name"]
    provider = oidc.enabled_provider(name)
    if provider is None:
        return _to_login(request, PROVIDER_UNKNOWN)
    params = request.query_params
    # The flow is spent whatever happens next (single use), in its own transaction.
    try:
        flow = await off_the_loop(
            lambda session: sso.take_flow(session, provider.name, params.get("state"), request.cookies.get(FLOW_COOKIE))
        )
    except DomainError as error:
        return _to_login(request, error.message)
    if params.get("error"):
        log.info("campus provider %s answered %s", provider.name, params.get("error"))
        return _to_login(request, _("The campus sign-in was cancelled or refused. You can try again."))
    client = oidc.client_for(provider)
    try:
        token = await client.fetch_access_token(
            redirect_uri=callback_url(provider.name), code=params.get("code", ""), code_verifier=flow.code_verifier
        )
        claims = await client.parse_id_token(token, nonce=flow.nonce)
        if claims and "email" not in claims:
            # Many providers keep scope claims for the userinfo endpoint; its sub must match.
            extra = await client.userinfo(token=token)
            if extra.get("sub") != claims.get("sub"):
                raise ValueError("userinfo sub differs from the ID token's")
            claims = {**dict(extra), **dict(claims)}
    except (httpx.HTTPError, OSError) as error:
        log.warning("campus provider %s unavailable at callback: %s", provider.name, type(error).__name__)
        return _to_login(request, PROVIDER_UNAVAILABLE)
    except (OAuthError, JoseError, ValueError, KeyError, TypeError) as error:
        # Wrong nonce, bad signature, wrong audience/issuer, expired, refused code...
        log.warning("campus sign-in via %s refused: %s", provider.name, type(error).__name__)
        return _to_login(request, sso.FLOW_FAILED)
    if not claims:
        return _to_login(request, sso.FLOW_FAILED)
    language = visitor_language(request)  # a new account keeps the language it signed up in
    try:
        signed_in = await off_the_loop(
            lambda session: begin_session(session, request, sso.account_for_identity(session, provider.name, dict(claims), language))
        )
    except DomainError as error:
        return _to_login(request, error.message)
    response = RedirectResponse(flow.next_path or "/dashboard", status_code=303)
    response.delete_cookie(FLOW_COOKIE, path="/auth/oidc", httponly=True, samesite="lax", secure=get_settings().secure_cookies)
    return with_sign_in(response, signed_in)


routes = [
    Route("/auth/oidc/{name}/start", start, methods=["GET"]),
    Route("/auth/oidc/{name}/callback", callback, methods=["GET"]),
]

"""Account routes: email confirmation, password change and reset, sign-out everywhere,
data export and account deletion, joining an employer's team, profile photos.

Like /auth/login they are plain form posts (Origin checked) that answer with a 303 back
to a page, carrying a message per field in the query string (never a password). The work
(argon2, the database, files) runs in a worker thread, off the event loop.
"""

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from microgigs.db import session_scope
from microgigs.http import client_address
from microgigs.http.auth import _redirect, begin_session, foreign_form, remember_this_browser, same_origin, too_many, with_sign_in
from microgigs.http.files import STORED_FILE_CACHING
from microgigs.http.session_cookie import clear_session_cookie, device_from_cookie_header, token_from_cookie_header
from microgigs.services import account_security, accounts, organizations, policy, privacy, profiles, sso, throttle
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed, parse_id


def _token(request: Request) -> str | None:
    return token_from_cookie_header(request.headers.get("cookie"))


def _field_errors(error: DomainError) -> dict[str, str]:
    if isinstance(error, ValidationFailed):
        return {f"error_{k}": v for k, v in error.errors.items()}
    return {"error": error.message}


async def _form_token(request: Request) -> str:
    form = await request.form()
    return str(form.get("token", ""))[:200]


# --- confirming the address --------------------------------------------------------------


async def verify_link(request: Request) -> Response:
    """An older confirmation link (…/auth/verify?token=…): a GET changes nothing, it leads to
    the page whose button confirms (a link that signs in on a GET could sign anyone in as
    someone else: login CSRF)."""
    return _redirect("/verify-email", {"token": request.query_params.get("token", "")[:200]})


def _confirm(request: Request, raw: str) -> Response:
    signed_in = None
    try:
        with session_scope() as session:
            user = account_security.verify_email(session, raw)
            try:
                sso.check_local_sign_in(user)
                signed_in = begin_session(session, request, user)
            except sso.SsoRequired:
                pass  # the address is confirmed; this person signs in through the campus
    except DomainError as error:
        return _redirect("/verify-email", {"error": error.message})
    response = _redirect("/verify-email", {"notice": "Thank you: your email address is confirmed."})
    return with_sign_in(response, signed_in) if signed_in else response


async def verify(request: Request) -> Response:
    """Confirm the address (the button on /verify-email) and sign its owner in."""
    if not same_origin(request):
        return foreign_form()
    return await run_in_threadpool(_confirm, request, await _form_token(request))


def _resend(request: Request) -> Response:
    try:
        with session_scope() as session:
            actor = accounts.user_for_session_token(session, _token(request))
            account_security.resend_verification(session, actor, client_address.of_request(request))
    except throttle.Throttled as error:
        return too_many(error, "/account", "Back to your account")
    except DomainError as error:
        return _redirect("/account", {"error": error.message})
    return _redirect("/account", {"notice": "We have sent you a new confirmation link. Links sent before it no longer work."})


async def resend_verification(request: Request) -> Response:
    if not same_origin(request):
        return foreign_form()
    return await run_in_threadpool(_resend, request)


# --- passwords and sessions -----------------------------------------------------------------


def _change_password(request: Request, current: str, new: str) -> Response:
    token = _token(request)
    try:
        with session_scope() as session:
            actor = accounts.user_for_session_token(session, token)
            account_security.change_password(session, actor, current, new, keep_token=token)
    except DomainError as error:
        return _redirect("/account", _field_errors(error))
    return _redirect("/account", {"notice": "Your password is changed. Your other devices are signed out."})


async def change_password(request: Request) -> Response:
    if not same_origin(request):
        return foreign_form()
    form = await request.form()
    limit = accounts.MAX_PASSWORD_LENGTH + 1
    return await run_in_threadpool(
        _change_password, request, str(form.get("current_password", ""))[:limit], str(form.get("new_password", ""))[:limit]
    )


def _sign_out_everywhere(request: Request) -> Response:
    try:
        with session_scope() as session:
            account_security.sign_out_everywhere(session, accounts.user_for_session_token(session, _token(request)))
    except DomainError as error:
        return _redirect("/login", {"error": error.message})
    response = _redirect("/login", {"notice": "You are signed out on every device."})
    clear_session_cookie(response)
    return response


async def sign_out_everywhere(request: Request) -> Response:
    if not same_origin(request):
        return foreign_form()
    return await run_in_threadpool(_sign_out_everywhere, request)


def _forgot(request: Request, email: str) -> Response:
    try:
        with session_scope() as session:
            message = account_security.request_password_reset(session, email, client_address.of_request(request))
    except throttle.Throttled as error:
        return too_many(error, "/forgot-password", "Back")
    except DomainError as error:
        return _redirect("/forgot-password", {**_field_errors(error), "email": email})
    return _redirect("/forgot-password", {"notice": message})


async def forgot_password(request: Request) -> Response:
    if not same_origin(request):
        return foreign_form()
    form = await request.form()
    return await run_in_threadpool(_forgot, request, str(form.get("email", ""))[:254])


def _reset(request: Request, raw: str, password: str) -> Response:
    try:
        with session_scope() as session:
            user = account_security.reset_password(session, raw, password)
            # The mailed link proved this browser's person owns the account.
            device = throttle.remember_device(session, user, device_from_cookie_header(request.headers.get("cookie")))
    except ValidationFailed as error:
        return _redirect("/reset-password", {"token": raw, **_field_errors(error)})
    except DomainError as error:
        return _redirect("/reset-password", {"error": error.message})
    response = _redirect("/login", {"notice": "Your password is changed. Sign in with it now."})
    clear_session_cookie(response)
    return remember_this_browser(response, device)


async def reset_password(request: Request) -> Response:
    if not same_origin(request):
        return foreign_form()
    form = await request.form()
    raw = str(form.get("token", ""))[:200]
    return await run_in_threadpool(_reset, request, raw, str(form.get("password", ""))[: accounts.MAX_PASSWORD_LENGTH + 1])


# --- your data and your account ----------------------------------------------------------------


def _export(request: Request) -> Response:
    with session_scope() as session:
        actor = accounts.user_for_session_token(session, _token(request))
        if actor is None:
            return PlainTextResponse("Sign in to download your data.", status_code=401)
        try:
            data = privacy.export_user_data(session, actor)
        except DomainError as error:
            return PlainTextResponse(error.message, status_code=403)
    return JSONResponse(
        json.loads(json.dumps(data, default=str)),
        headers={"Content-Disposition": 'attachment; filename="microgigs-my-data.json"', "Cache-Control": "no-store"},
    )


async def export_data(request: Request) -> Response:
    return await run_in_threadpool(_export, request)


def _delete(request: Request, password: str) -> Response:
    try:
        with session_scope() as session:
            actor = accounts.user_for_session_token(session, _token(request))
            privacy.delete_account(session, actor, password)
    except DomainError as error:
        return _redirect("/account", _field_errors(error) if isinstance(error, ValidationFailed) else {"error": error.message})
    response = _redirect("/", {})
    clear_session_cookie(response)
    return response


async def delete_account(request: Request) -> Response:
    if not same_origin(request):
        return foreign_form()
    form = await request.form()
    return await run_in_threadpool(_delete, request, str(form.get("delete_password", ""))[: accounts.MAX_PASSWORD_LENGTH + 1])


def _join(request: Request, raw: str, invitation_id: int, name: str, password: str) -> Response:
    back = {"invitation": str(invitation_id)} if invitation_id else {"token": raw}
    signed_in = None
    try:
        with session_scope() as session:
            actor = accounts.user_for_session_token(session, _token(request))
            joining_as_themself = policy.is_active_user(actor)
            joined = organizations.check_invitation(session, raw, actor=actor, invitation_id=invitation_id).organization_id
            user = organizations.accept_invitation(session, actor, raw, invitation_id=invitation_id, display_name=name, password=password)
            if not joining_as_themself:
                # A new account, or one this link just made theirs: sign it in on this browser.
                signed_in = begin_session(session, request, user)
    except ValidationFailed as error:
        return _redirect("/join", {**back, "display_name": name, **_field_errors(error)})
    except DomainError as error:
        return _redirect("/join", {**back, "error": error.message})
    response = _redirect("/organization", {"organization": str(joined), "notice": "Welcome to the team."})
    return with_sign_in(response, signed_in) if signed_in else response


async def join(request: Request) -> Response:
    """Accept an invitation: as the signed-in account, or by creating a manager account."""
    if not same_origin(request):
        return foreign_form()
    form = await request.form()
    invitation = str(form.get("invitation_id", ""))[:12]
    return await run_in_threadpool(
        _join,
        request,
        str(form.get("token", ""))[:200],
        parse_id(invitation) or 0,
        str(form.get("display_name", ""))[:1000],
        str(form.get("password", ""))[: accounts.MAX_PASSWORD_LENGTH + 1],
    )


def _photo(request: Request, user_id: int) -> Response:
    with session_scope() as session:
        actor = accounts.user_for_session_token(session, _token(request))
        try:
            path, content_type = profiles.photo_for(session, actor, user_id)
        except (DomainError, ValueError):
            return PlainTextResponse("That photo was not found.", status_code=404)
    if not path.is_file():
        return PlainTextResponse("That photo was not found.", status_code=404)
    return FileResponse(
        path,
        media_type=content_type,
        headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox", "Cache-Control": STORED_FILE_CACHING},
    )


async def photo(request: Request) -> Response:
    try:
        user_id = int(request.path_params["user_id"])
    except ValueError:
        return PlainTextResponse("That photo was not found.", status_code=404)
    return await run_in_threadpool(_photo, request, user_id)


routes = [
    Route("/auth/join", join, methods=["POST"]),
    Route("/photos/{user_id}", photo, methods=["GET"]),
    Route("/auth/verify", verify_link, methods=["GET"]),
    Route("/auth/verify", verify, methods=["POST"]),
    Route("/auth/resend-verification", resend_verification, methods=["POST"]),
    Route("/auth/change-password", change_password, methods=["POST"]),
    Route("/auth/logout-everywhere", sign_out_everywhere, methods=["POST"]),
    Route("/auth/forgot-password", forgot_password, methods=["POST"]),
    Route("/auth/reset-password", reset_password, methods=["POST"]),
    Route("/account/export.json", export_data, methods=["GET"]),
    Route("/account/delete", delete_account, methods=["POST"]),
]

"""Account routes: email verification, password change and reset, sign-out everywhere,
data export and account deletion.

Like /auth/login they are plain form posts (Origin checked) that answer with a 303 back
to a page, carrying a message per field in the query string (never a password).
"""

import json

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from microgigs.db import session_scope
from microgigs.http.auth import _redirect, _rotate_session, same_origin
from microgigs.http.files import STORED_FILE_CACHING
from microgigs.http.session_cookie import clear_session_cookie, token_from_cookie_header
from microgigs.http.session_cookie import set_session_cookie
from microgigs.services import account_security, accounts, organizations, privacy, profiles, sso
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed

FOREIGN_FORM = "This form must be sent from MicroGigs itself."


def _token(request: Request) -> str | None:
    return token_from_cookie_header(request.headers.get("cookie"))


def _field_errors(error: DomainError) -> dict[str, str]:
    if isinstance(error, ValidationFailed):
        return {f"error_{k}": v for k, v in error.errors.items()}
    return {"error": error.message}


async def verify(request: Request) -> Response:
    """Confirm the address and sign its owner in: sign-up itself no longer does (it must not
    tell whether the address was free), so the emailed link is the way in."""
    token = None
    try:
        with session_scope() as session:
            user = account_security.verify_email(session, request.query_params.get("token"))
            try:
                sso.check_local_sign_in(user)
                token = _rotate_session(session, request, user)
            except sso.SsoRequired:
                pass  # the address is confirmed; this person signs in through the campus
    except DomainError as error:
        return _redirect("/verify-email", {"error": error.message})
    response = _redirect("/verify-email", {"notice": "Thank you: your email address is confirmed."})
    if token:
        set_session_cookie(response, token)
    return response


async def resend_verification(request: Request) -> Response:
    if not same_origin(request):
        return PlainTextResponse(FOREIGN_FORM, status_code=403)
    try:
        with session_scope() as session:
            account_security.resend_verification(session, accounts.user_for_session_token(session, _token(request)))
    except DomainError as error:
        return _redirect("/account", {"error": error.message})
    return _redirect("/account", {"notice": "We have sent you a new confirmation link."})


async def change_password(request: Request) -> Response:
    if not same_origin(request):
        return PlainTextResponse(FOREIGN_FORM, status_code=403)
    form = await request.form()
    token = _token(request)
    try:
        with session_scope() as session:
            actor = accounts.user_for_session_token(session, token)
            account_security.change_password(
                session, actor, str(form.get("current_password", "")), str(form.get("new_password", "")), keep_token=token
            )
    except DomainError as error:
        return _redirect("/account", _field_errors(error))
    return _redirect("/account", {"notice": "Your password is changed. Your other devices are signed out."})


async def sign_out_everywhere(request: Request) -> Response:
    if not same_origin(request):
        return PlainTextResponse(FOREIGN_FORM, status_code=403)
    try:
        with session_scope() as session:
            account_security.sign_out_everywhere(session, accounts.user_for_session_token(session, _token(request)))
    except DomainError as error:
        return _redirect("/login", {"error": error.message})
    response = _redirect("/login", {"notice": "You are signed out on every device."})
    clear_session_cookie(response)
    return response


async def forgot_password(request: Request) -> Response:
    if not same_origin(request):
        return PlainTextResponse(FOREIGN_FORM, status_code=403)
    form = await request.form()
    email = str(form.get("email", ""))[:254]
    try:
        with session_scope() as session:
            message = account_security.request_password_reset(session, email)
    except DomainError as error:
        return _redirect("/forgot-password", {**_field_errors(error), "email": email})
    return _redirect("/forgot-password", {"notice": message})


async def reset_password(request: Request) -> Response:
    if not same_origin(request):
        return PlainTextResponse(FOREIGN_FORM, status_code=403)
    form = await request.form()
    raw = str(form.get("token", ""))[:200]
    try:
        with session_scope() as session:
            account_security.reset_password(session, raw, str(form.get("password", "")))
    except ValidationFailed as error:
        return _redirect("/reset-password", {"token": raw, **_field_errors(error)})
    except DomainError as error:
        return _redirect("/reset-password", {"error": error.message})
    response = _redirect("/login", {"notice": "Your password is changed. Sign in with it now."})
    clear_session_cookie(response)
    return response


async def export_data(request: Request) -> Response:
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


async def delete_account(request: Request) -> Response:
    if not same_origin(request):
        return PlainTextResponse(FOREIGN_FORM, status_code=403)
    form = await request.form()
    try:
        with session_scope() as session:
            actor = accounts.user_for_session_token(session, _token(request))
            privacy.delete_account(session, actor, str(form.get("delete_password", "")))
    except DomainError as error:
        return _redirect("/account", _field_errors(error) if isinstance(error, ValidationFailed) else {"error": error.message})
    response = _redirect("/", {})
    clear_session_cookie(response)
    return response


async def join(request: Request) -> Response:
    """Accept an invitation: as the signed-in account, or by creating a manager account."""
    if not same_origin(request):
        return PlainTextResponse(FOREIGN_FORM, status_code=403)
    form = await request.form()
    raw = str(form.get("token", ""))[:200]
    invitation = str(form.get("invitation_id", ""))[:12]
    invitation_id = int(invitation) if invitation.isdigit() else 0
    name = str(form.get("display_name", ""))[:1000]
    back = {"invitation": str(invitation_id)} if invitation_id else {"token": raw}
    new_token = None
    try:
        with session_scope() as session:
            actor = accounts.user_for_session_token(session, _token(request))
            joined = organizations.check_invitation(session, raw, actor=actor, invitation_id=invitation_id).organization_id
            user = organizations.accept_invitation(
                session, actor, raw, invitation_id=invitation_id, display_name=name, password=str(form.get("password", ""))
            )
            if actor is None:
                new_token = accounts.start_session(session, user, request.headers.get("user-agent", ""), request.client.host if request.client else "")
    except ValidationFailed as error:
        return _redirect("/join", {**back, "display_name": name, **_field_errors(error)})
    except DomainError as error:
        return _redirect("/join", {**back, "error": error.message})
    response = _redirect("/organization", {"organization": str(joined), "notice": "Welcome to the team."})
    if new_token:
        set_session_cookie(response, new_token)
    return response


async def photo(request: Request) -> Response:
    try:
        user_id = int(request.path_params["user_id"])
    except ValueError:
        return PlainTextResponse("That photo was not found.", status_code=404)
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


routes = [
    Route("/auth/join", join, methods=["POST"]),
    Route("/photos/{user_id}", photo, methods=["GET"]),
    Route("/auth/verify", verify, methods=["GET"]),
    Route("/auth/resend-verification", resend_verification, methods=["POST"]),
    Route("/auth/change-password", change_password, methods=["POST"]),
    Route("/auth/logout-everywhere", sign_out_everywhere, methods=["POST"]),
    Route("/auth/forgot-password", forgot_password, methods=["POST"]),
    Route("/auth/reset-password", reset_password, methods=["POST"]),
    Route("/account/export.json", export_data, methods=["GET"]),
    Route("/account/delete", delete_account, methods=["POST"]),
]

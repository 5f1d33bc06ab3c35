"""Account routes: email confirmation, password change and reset, sign-out everywhere,
data export and account deletion, joining an employer's team, profile photos.

Like /auth/login they are plain form posts (Origin checked) that answer with a 303 back
to a page, carrying a message per field in the query string (never a password). The work
(argon2, the database, files) runs in a worker thread through http/unit_of_work.py.
"""

import json

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from microgigs import i18n
from microgigs.http.auth import begin_session, remember_this_browser, with_sign_in
from microgigs.http.files import STORED_FILE_CACHING
from microgigs.http.forms import PASSWORD_CHARS, redirect
from microgigs.http.session_cookie import clear_session_cookie
from microgigs.http.unit_of_work import Unit, answer_language, back_to, refusal_language, route, translated_errors, visitor_language
from microgigs.i18n import _, gettext
from microgigs.services import account_security, organizations, policy, privacy, profiles, sso, throttle
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed, parse_id

# --- confirming the address --------------------------------------------------------------


async def verify_link(request: Request) -> Response:
    """An older confirmation link (…/auth/verify?token=…): a GET changes nothing, it leads to
    the page whose button confirms (a link that signs in on a GET could sign anyone in as
    someone else: login CSRF)."""
    return redirect("/verify-email", {"token": request.query_params.get("token", "")[:200]})


@route(form=True, refused=back_to("/verify-email"))
def verify(unit: Unit) -> Response:
    """Confirm the address (the button on /verify-email) and sign its owner in."""
    user = account_security.verify_email(unit.session, unit.text("token", 200))
    notice = gettext(answer_language(unit, user), "Thank you: your email address is confirmed.")
    confirmed = redirect("/verify-email", {"notice": notice})
    try:
        sso.check_local_sign_in(unit.session, user)
    except sso.SsoRequired:
        return confirmed  # the address is confirmed; this person signs in through the campus
    return with_sign_in(confirmed, begin_session(unit.session, unit.request, user))


@route(button=True, refused=back_to("/account", throttled_link_text=_("Back to your account")))
def resend_verification(unit: Unit) -> Response:
    account_security.resend_verification(unit.session, unit.actor, unit.client)
    notice = gettext(answer_language(unit), "We have sent you a new confirmation link. Links sent before it no longer work.")
    return redirect("/account", {"notice": notice})


# --- passwords and sessions -----------------------------------------------------------------


@route(form=True, refused=back_to("/account"))
def change_password(unit: Unit) -> Response:
    current, new = unit.text("current_password", PASSWORD_CHARS), unit.text("new_password", PASSWORD_CHARS)
    account_security.change_password(unit.session, unit.actor, current, new, keep_token=unit.session_token)
    return redirect("/account", {"notice": gettext(answer_language(unit), "Your password is changed. Your other devices are signed out.")})


@route(button=True, refused=back_to("/login"))
def sign_out_everywhere(unit: Unit) -> Response:
    account_security.sign_out_everywhere(unit.session, unit.actor)
    response = redirect("/login", {"notice": gettext(answer_language(unit), "You are signed out on every device.")})
    clear_session_cookie(response)
    return response


def _forgot_form_again(unit: Unit, error: DomainError) -> dict[str, str]:
    return {**translated_errors(unit, error), "email": unit.text("email", 254)}


@route(form=True, refused=back_to("/forgot-password", _forgot_form_again, throttled_link_text=_("Back")))
def forgot_password(unit: Unit) -> Response:
    message = account_security.request_password_reset(unit.session, unit.text("email", 254), unit.client)
    return redirect("/forgot-password", {"notice": i18n.translate(answer_language(unit), message)})


def _reset_form_again(unit: Unit, error: DomainError) -> dict[str, str]:
    # Wrong input keeps the link's token (the person fixes the password); a bad link does not.
    if isinstance(error, ValidationFailed):
        return {"token": unit.text("token", 200), **translated_errors(unit, error)}
    return {"error": i18n.translate(refusal_language(unit), error.message)}


@route(form=True, refused=back_to("/reset-password", _reset_form_again))
def reset_password(unit: Unit) -> Response:
    user = account_security.reset_password(unit.session, unit.text("token", 200), unit.text("password", PASSWORD_CHARS))
    # The mailed link proved this browser's person owns the account.
    device = throttle.remember_device(unit.session, user, unit.device_token)
    response = redirect("/login", {"notice": gettext(answer_language(unit, user), "Your password is changed. Sign in with it now.")})
    clear_session_cookie(response)
    return remember_this_browser(response, device)


# --- your data and your account ----------------------------------------------------------------


def _export_refused(unit: Unit, error: DomainError) -> Response:
    return PlainTextResponse(i18n.translate(refusal_language(unit), error.message), status_code=403)


@route(refused=_export_refused)
def export_data(unit: Unit) -> Response:
    nobody = gettext(visitor_language(unit.request), "Sign in to download your data.")
    actor = unit.signed_in_or(PlainTextResponse(nobody, status_code=401))
    data = privacy.export_user_data(unit.session, actor)
    return JSONResponse(
        json.loads(json.dumps(data, default=str)),
        headers={"Content-Disposition": 'attachment; filename="microgigs-my-data.json"', "Cache-Control": "no-store"},
    )


@route(form=True, refused=back_to("/account"))
def delete_account(unit: Unit) -> Response:
    privacy.delete_account(unit.session, unit.actor, unit.text("delete_password", PASSWORD_CHARS))
    response = redirect("/")
    clear_session_cookie(response)
    return response


def _invitation_id(unit: Unit) -> int:
    return parse_id(unit.text("invitation_id", 12)) or 0


def _join_form_again(unit: Unit, error: DomainError) -> dict[str, str]:
    """The join page again for the same invitation (by its id, or by the mailed token)."""
    invitation_id = _invitation_id(unit)
    back = {"invitation": str(invitation_id)} if invitation_id else {"token": unit.text("token", 200)}
    if isinstance(error, ValidationFailed):
        return {**back, "display_name": unit.text("display_name", 1000), **translated_errors(unit, error)}
    return {**back, "error": i18n.translate(refusal_language(unit), error.message)}


@route(form=True, refused=back_to("/join", _join_form_again))
def join(unit: Unit) -> Response:
    """Accept an invitation: as the signed-in account, or by creating a manager account."""
    raw, invitation_id = unit.text("token", 200), _invitation_id(unit)
    joining_as_themself = policy.is_active_user(unit.actor)
    joined = organizations.check_invitation(unit.session, raw, actor=unit.actor, invitation_id=invitation_id).organization_id
    user = organizations.accept_invitation(
        unit.session,
        unit.actor,
        raw,
        invitation_id=invitation_id,
        display_name=unit.text("display_name", 1000),
        password=unit.text("password", PASSWORD_CHARS),
    )
    notice = gettext(answer_language(unit, user), "Welcome to the team.")
    response = redirect("/organization", {"organization": str(joined), "notice": notice})
    if joining_as_themself:
        return response
    # A new account, or one this link just made theirs: sign it in on this browser.
    return with_sign_in(response, begin_session(unit.session, unit.request, user))


def _no_photo(*_refusal) -> Response:
    return PlainTextResponse("That photo was not found.", status_code=404)  # i18n: not shown (an image's URL, never a page)


# A user id that is not a number (ValueError) is a photo not found, like one nobody may see.
@route(refused=_no_photo, refusals=(DomainError, ValueError))
def photo(unit: Unit) -> Response:
    path, content_type = profiles.photo_for(unit.session, unit.actor, int(unit.request.path_params["user_id"]))
    if not path.is_file():
        return _no_photo()
    return FileResponse(
        path,
        media_type=content_type,
        headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox", "Cache-Control": STORED_FILE_CACHING},
    )


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

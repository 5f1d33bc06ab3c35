"""What the sign-in and sign-up pages remember: the messages and typed values our
HTTP routes sent back in the query string after a refused form post.

The forms themselves are plain browser posts to /auth/login and /auth/signup (the
routes set the HttpOnly cookie); these states only read the answer back.
Passwords never travel in the URL, so they are never refilled.
"""

import hashlib
from collections.abc import Mapping

import reflex as rx

from microgigs.demo.logins import DEMO_DOMAIN, DEMO_PASSWORD
from microgigs.i18n import gettext, ngettext
from microgigs.services import sso
from microgigs.settings import get_settings
from microgigs.state.session import SessionState

SIGN_UP_FIELDS = ("role", "display_name", "email", "password", "organization_name", "organization_website")


def safe_next(value: str | None) -> str:
    """Only a path on this site may be passed on as the place to return to."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value[:500]
    return ""


def values_key(*values: str) -> str:
    """A key for a form that shows these values: "" while all are empty, else a digest.

    The form is an uncontrolled element keyed by this, so it remounts (taking the
    new default values) only when the values really change, never while someone
    types into a blank form that a slow on_load has not touched.
    """
    if not any(values):
        return ""
    return hashlib.sha1("\x1f".join(values).encode()).hexdigest()[:16]


def _text(params: Mapping[str, str], name: str, limit: int = 300) -> str:
    return (params.get(name) or "")[:limit]


class LoginState(SessionState):
    error: str = ""
    notice: str = ""  # good news from an account route (password reset, signed out everywhere)
    email: str = ""
    next_path: str = ""
    form_key: str = ""
    # Campus sign-in buttons: [{"label": ..., "href": "/auth/oidc/<name>/start"}].
    sso_options: list[dict[str, str]] = []
    # The demo accounts to try, only in demo mode (a real install never shows a password).
    demo_hint: str = ""

    @rx.event
    def load_login(self):
        params = self.router.url.query_parameters
        self._show_who_is_signed_in()
        self.sso_options = [{"label": o.label, "href": f"/auth/oidc/{o.name}/start"} for o in sso.sign_in_options()]
        self.demo_hint = (
            gettext(
                self.language,
                "Demo: {student} or {manager}, password {password}",
                student="student1@" + DEMO_DOMAIN,
                manager="manager1@" + DEMO_DOMAIN,
                password=DEMO_PASSWORD,
            )
            if get_settings().demo_mode
            else ""
        )
        self.error = _text(params, "error")
        self.notice = _text(params, "notice")
        self.email = _text(params, "email", 254)
        self.next_path = safe_next(params.get("next"))
        self.form_key = values_key(self.email, self.error)


class SignupState(SessionState):
    role: str = "student"
    display_name: str = ""
    email: str = ""
    organization_name: str = ""
    organization_website: str = ""
    error: str = ""
    errors: dict[str, str] = {}
    form_key: str = ""

    @rx.var
    def is_employer(self) -> bool:
        return self.role == "manager"

    @rx.var
    def error_count_text(self) -> str:
        n = len(self.errors)
        if n == 0:
            return ""
        return ngettext(self.language, "There is a problem with {count} field below.", "There are problems with {count} fields below.", n)

    @rx.event
    def load_signup(self):
        params = self.router.url.query_parameters
        self._show_who_is_signed_in()
        # Without ?role= keep what the radio already says: a click made before this on_load ran
        # (a slow connection) must not be undone, or the employer fields vanish under the cursor.
        role = params.get("role") or self.role
        self.role = role if role in ("student", "manager") else "student"
        self.display_name = _text(params, "display_name", 100)
        self.email = _text(params, "email", 254)
        self.organization_name = _text(params, "organization_name", 120)
        self.organization_website = _text(params, "organization_website", 300)
        self.error = _text(params, "error")
        self.errors = {name: _text(params, f"error_{name}") for name in SIGN_UP_FIELDS if params.get(f"error_{name}")}
        self.form_key = values_key(
            # Only a role from the URL remounts the form; a click already shows its own choice.
            "" if self.role == "student" or not params.get("role") else self.role,
            self.display_name,
            self.email,
            self.organization_name,
            self.organization_website,
            self.error,
            *self.errors.values(),
        )

    @rx.event
    def set_role(self, role: str):
        """Show or hide the employer fields (the form post carries the choice itself)."""
        self.role = role if role in ("student", "manager") else "student"

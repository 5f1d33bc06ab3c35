"""What the account pages remember: the person's account facts, and the messages our
account routes sent back in the query string after a form post (never a password)."""

from typing import ClassVar
from urllib.parse import urlencode

import reflex as rx

from microgigs.services import account_security, organizations, policy
from microgigs.services.validation import parse_id
from microgigs.state.auth_forms import values_key
from microgigs.state.session import Audience, SessionState
from microgigs.state.url_object import ShownForUrl


def _q(state: rx.State, name: str, limit: int = 300) -> str:
    return (state.router.url.query_parameters.get(name) or "")[:limit]


class AccountState(SessionState):
    loaded: bool = False
    email: str = ""
    email_verified: bool = False
    may_delete: bool = False
    notice: str = ""
    error: str = ""
    error_current_password: str = ""
    error_new_password: str = ""
    error_delete_password: str = ""
    form_key: str = ""

    def _load(self, session, account) -> None:
        self.email = account.email
        self.email_verified = account.email_verified
        self.may_delete = policy.may_delete_own_account(account)

    @rx.event
    def load_account(self):
        # The one page an unconfirmed account sees: confirming, a new link, deleting it.
        redirect = self._read(self._load, Audience.ACCOUNT)
        if redirect is not None:
            return redirect
        self.notice = _q(self, "notice")
        self.error = _q(self, "error")
        self.error_current_password = _q(self, "error_current_password")
        self.error_new_password = _q(self, "error_new_password")
        self.error_delete_password = _q(self, "error_delete_password")
        self.form_key = values_key(
            self.notice, self.error, self.error_current_password, self.error_new_password, self.error_delete_password
        )
        self.loaded = True
        return None


class ForgotPasswordState(SessionState):
    notice: str = ""
    error_email: str = ""
    email: str = ""
    form_key: str = ""

    @rx.event
    def load_forgot(self):
        self._show_who_is_signed_in()
        self.notice = _q(self, "notice")
        self.error_email = _q(self, "error_email")
        self.email = _q(self, "email", 254)
        self.form_key = values_key(self.notice, self.error_email, self.email)


class ResetPasswordState(ShownForUrl, SessionState):
    object_in_query: ClassVar[bool] = True  # ?token=: one person's reset link

    loaded: bool = False
    token: str = ""
    link_error: str = ""
    error_password: str = ""
    form_key: str = ""

    @rx.event
    def load_reset(self):
        self.token = _q(self, "token", 200)
        self.error_password = _q(self, "error_password")
        self.link_error = _q(self, "error")
        if self.link_error:
            self._show_who_is_signed_in()
        else:
            # A check that may refuse: _act turns its refusal into the message (and writes nothing).
            checked = self._act(lambda session, actor: account_security.check_reset_token(session, self.token), Audience.ANYONE)
            self.link_error = self._tr(checked.error)
        self.form_key = values_key(self.token, self.error_password)
        self.loaded = True
        self._shown_for_this_url()


class VerifyEmailState(SessionState):
    """/verify-email: the mailed link opens it with ?token=; its button posts the token to
    /auth/verify, which confirms and signs in (a GET never does), then comes back here with
    ?notice= or ?error=."""

    loaded: bool = False
    token: str = ""
    notice: str = ""
    error: str = ""

    @rx.event
    def load_verify(self):
        self.token = _q(self, "token", 200)
        self.notice = _q(self, "notice")
        self.error = _q(self, "error")
        if self.token and not self.error:
            checked = self._act(lambda session, actor: account_security.check_verify_token(session, self.token), Audience.ANYONE)
            if not checked.ok:
                self.error, self.token = self._tr(checked.error), ""
        else:
            self._show_who_is_signed_in()
        self.loaded = True


class JoinState(ShownForUrl, SessionState):
    object_in_query: ClassVar[bool] = True  # ?token= or ?invitation=: one invitation

    loaded: bool = False
    token: str = ""
    invitation_id: str = ""  # the in-app link (/join?invitation=N) names the invitation instead
    organization: str = ""
    invited_email: str = ""
    has_account: bool = False
    link_error: str = ""
    error: str = ""
    display_name: str = ""
    error_display_name: str = ""
    error_password: str = ""
    form_key: str = ""

    @rx.var
    def sign_in_href(self) -> str:
        """Sign in, then come back to this invitation."""
        back = f"/join?invitation={self.invitation_id}" if self.invitation_id else f"/join?token={self.token}"
        return "/login?" + urlencode({"next": back})

    @rx.event
    def load_join(self):
        self.token = _q(self, "token", 200)
        invitation = _q(self, "invitation", 12)
        self.invitation_id = str(parse_id(invitation)) if parse_id(invitation) else ""
        self.error = _q(self, "error")
        self.display_name = _q(self, "display_name", 100)
        self.error_display_name = _q(self, "error_display_name")
        self.error_password = _q(self, "error_password")
        self.link_error = ""
        checked = self._act(self._check_invitation, Audience.ANYONE)
        if self.invitation_id and not (self.user_id and self.email_confirmed):
            # The in-app link works only for the invited account (signed in, confirmed): sign in first.
            return self._sign_in_redirect_with_query()
        view = checked.value
        self.link_error = self._tr(checked.error)
        self.organization, self.invited_email, self.has_account = (
            (view.organization, view.email, view.has_account) if view else ("", "", False)
        )
        self.form_key = values_key(
            self.token, self.invitation_id, self.error, self.display_name, self.error_display_name, self.error_password
        )
        self.loaded = True
        self._shown_for_this_url()
        return None

    def _check_invitation(self, session, actor):
        """The invitation this link names, as its page shows it (None for a visitor's in-app link:
        they are sent to sign in instead)."""
        if self.invitation_id and actor is None:
            return None
        return organizations.check_invitation(session, self.token, actor=actor, invitation_id=int(self.invitation_id or 0))

    def _sign_in_redirect_with_query(self):
        if self.user_id and not self.email_confirmed:
            return self._sign_in_redirect()  # signed in already: confirming the address comes first
        back = f"/join?invitation={self.invitation_id}"
        self.reset()  # like _sign_in_redirect: nothing of what this tab showed before
        return rx.redirect("/login?" + urlencode({"next": back}))

"""What every form of the workspace shares: its own errors and remount key, and one way to end a
handler (show the service's answer, then read the page again)."""

from collections.abc import Callable
from typing import Any

import reflex as rx

from microgigs.i18n import _, gettext
from microgigs.services.validation import MAX_ID
from microgigs.state.session import Acted
from microgigs.state.workspace.page import EngagementState

RELOAD = _("Reload the page and try again.")


def form_text(form_data: Any, name: str) -> str:
    """One field of a submitted form as text ("" when the event sent no such field, or no form)."""
    return str(form_data.get(name, "")) if isinstance(form_data, dict) else ""


def version_in(value: Any) -> int | None:
    """The version number a page sent (the one it showed), or None when it is not one."""
    try:
        number = int(value) if isinstance(value, int | str) else None
    except ValueError:
        return None
    return number if number is not None and 0 < number <= MAX_ID else None


class WorkspaceForm(rx.State, mixin=True):
    """Mixin for one form of the workspace, a substate of its page state:
    `class SubmitForm(WorkspaceForm, EngagementState)`. The form keeps its own errors by field
    ("form" for the whole form) and a key it bumps after a good submission, so the form (its
    uncontrolled inputs) is drawn anew, empty; the page keeps the view and the notice."""

    errors: dict[str, str] = {}
    form_key: int = 0

    def _page(self) -> EngagementState:
        return self.parent_state

    def _reload_page(self):
        return self._page()._reload()

    def _sign_in_redirect(self):
        # The whole page forgets what it showed (its reset reaches every form), not this form alone.
        return self._page()._sign_in_redirect()

    def _begin(self, *, keep_notice: bool = False) -> None:
        self.errors = {}
        if not keep_notice:
            self.notice = ""

    def _stale(self):
        """An event that names nothing this page showed (a forged one, or a page from before)."""
        self.errors = {"form": gettext(self.language, "Reload the page and try again.")}  # RELOAD
        return self._reload_page()

    def _finish(
        self,
        acted: Acted,
        done: str | Callable[[Any], str] | None = None,
        *,
        fresh_form: bool = False,
        errors: dict[str, str] | None = None,
    ):
        """After `_act`: the sign-in redirect, or `done` as the page's notice (a `msg(...)`, or a
        function of the service's value giving one, or None to leave the notice as it is) and a
        fresh form, or the refusal under this form's fields (`errors` when the form shows it
        otherwise); then the page again. Both are shown in the viewer's language."""
        if acted.redirect is not None:
            return acted.redirect
        if acted.ok:
            if done is not None:
                self.notice = self._tr(done(acted.value) if callable(done) else done)
            if fresh_form:
                self.form_key += 1
        else:
            self.errors = self._tr_all(acted.errors if errors is None else errors)
        return self._reload_page()

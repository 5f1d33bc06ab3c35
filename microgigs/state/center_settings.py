"""/admin/settings: the center's own settings. Loads the form through
services/center_settings.form_values and saves through .save / .save_logo / .remove_logo, which
check that the caller is an admin; this state only carries what the page shows."""

import reflex as rx

from microgigs.services import center, center_settings
from microgigs.services.center_settings import MAX_LOGO_BYTES, CenterSettingsForm
from microgigs.services.errors import DomainError
from microgigs.state.session import SessionState
from microgigs.state.upload_refusals import first_refusal

LOGO_UPLOAD_ID = "center-logo"
FORM_FIELDS = center.FIELDS
# The longest text a field may send (the service refuses past its own, smaller limits).
MAX_SENT = center_settings.MAX_PAGE_TEXT + 1000
# What each field's hint says first (the environment's default follows when it is at it).
HINTS = {
    "name": "Shown in every page's header and title, and in mail.",
    "contact_email": "Where people write with questions: shown on the help page and in mail. Leave it blank to show none.",
    "brand_color": "The header's and buttons' colour, as #RRGGBB. White text on it must be easy to read (WCAG AA).",
    "help_text": "Markdown. Leave it blank for MicroGigs' own general help.",
    "terms_text": "Markdown. Leave it blank for MicroGigs' own general terms.",
    "privacy_text": "Markdown. Leave it blank for MicroGigs' own general privacy notice.",
    "currency": "An ISO 4217 code, like USD, EUR or JPY. Gigs already posted keep their currency; only new gigs use a new one.",
    "platform_fee_percent": "Taken on each funded engagement, from 0 to 50.",
    "platform_fee_fixed_cents": "Added to the percent on each funded engagement.",
    "pay_floor_cents_per_hour": "A gig's estimated pay per hour may not be lower.",
    "auto_approve_days": "Days a manager may leave a submission unanswered before it is approved and paid. 0: never.",
    "revision_rounds": "How many times a manager may ask for changes before a new scope must be agreed.",
    "student_email_domains": "Students sign up only with these, comma-separated, like uni.edu, alumni.uni.edu. Blank: any domain.",
}
DEFAULT_SWATCH = "#1d4ed8"


class CenterSettingsState(SessionState):
    loaded: bool = False
    load_error: str = ""
    error: str = ""
    notice: str = ""
    errors: dict[str, str] = {}
    # The form's values (as shown, or as typed when a save was refused) and, for each field at
    # the environment's value, where that comes from.
    values: dict[str, str] = {}
    defaults: dict[str, str] = {}
    logo_url: str = ""
    currency_code: str = ""
    currency_name: str = ""
    # The brand colour as typed, for the live swatch.
    brand_color: str = ""
    form_key: int = 0
    logo_version: int = 0

    @rx.var
    def field_errors(self) -> dict:
        """Every field's message, "" when none (read by the page through `.to(dict[str, str])`)."""
        return {name: self.errors.get(name, "") for name in (*FORM_FIELDS, "logo")}

    @rx.var
    def field_hints(self) -> dict:
        """Each field's hint, with the environment's default when the field is at it."""
        return {name: HINTS[name] + (f" Default: {self.defaults[name]}" if name in self.defaults else "") for name in FORM_FIELDS}

    @rx.var
    def swatch_color(self) -> str:
        """The typed colour as "#rrggbb" for the swatch and the colour picker (the default look's
        blue while it is blank or not a colour yet)."""
        return center_settings.normalize_color(self.brand_color or "") or DEFAULT_SWATCH

    @rx.var
    def contrast_note(self) -> str:
        color = center_settings.normalize_color(self.brand_color or "")
        if color is None:
            return "" if not (self.brand_color or "").strip() else "Not a colour yet: write it as #RRGGBB."
        ratio = center_settings.contrast_with_white(color)
        verdict = "passes AA" if ratio >= center_settings.MIN_CONTRAST else "too light: it needs at least 4.5:1"
        return f"White text on {color}: {int(ratio * 100) / 100:.2f}:1, {verdict}."

    def _clear(self) -> None:
        """Nothing of the form on the page (a refused load: the tab may have shown an admin's)."""
        self.values, self.defaults, self.errors = {}, {}, {}
        self.logo_url = self.currency_code = self.currency_name = self.brand_color = ""
        self.notice = self.error = ""

    def _show(self, form: CenterSettingsForm) -> None:
        self.values = {name: getattr(form, name) for name in FORM_FIELDS}
        self.defaults = dict(form.defaults)
        self.logo_url = form.logo_url
        self.currency_code = form.currency
        self.currency_name = form.currency_name
        self.brand_color = form.brand_color

    def _load(self, session, actor) -> None:
        try:
            form = center_settings.form_values(session, actor)
        except DomainError as error:
            self._clear()
            self.load_error = error.message
            return
        self.load_error = ""
        self._show(form)

    @rx.event
    def load_settings(self):
        self.errors, self.error, self.notice = {}, "", ""
        return self._read_page()

    @rx.event
    def set_brand_color(self, value: str):
        """The colour typed or picked, for the live swatch (nothing is saved)."""
        self.brand_color = str(value or "")[:32]

    @rx.event
    def save(self, form_data: dict):
        form_data = form_data or {}
        typed = {name: str(form_data.get(name, "") or "")[:MAX_SENT] for name in FORM_FIELDS}
        self.errors, self.error, self.notice = {}, "", ""
        before = self.currency_code
        acted = self._act(lambda session, actor: center_settings.save(session, actor, CenterSettingsForm(**typed)))
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            # Nothing typed is lost: the form keeps its inputs, and its values stay what was typed.
            self.values = typed
            self.errors = acted.field_messages
            self.error = acted.form_error or "Nothing was saved: check the fields marked below."
            return None
        saved = acted.value
        self.notice = "The center's settings are saved and apply at once."
        if before and saved.currency.upper() != before:
            self.notice += f" New gigs use {saved.currency.upper()}; gigs already posted keep their currency."
        self.form_key += 1
        return self._read_page()

    @rx.event
    def logo_rejected(self, rejected: list):
        """The picker refused the chosen file (size, type or count) before anything was sent."""
        _, codes = first_refusal(rejected)
        self.notice = ""
        if "file-too-large" in codes:
            self.errors = {"logo": center_settings.LOGO_TOO_LARGE}
        elif "too-many-files" in codes:
            self.errors = {"logo": "Choose one image."}
        else:
            self.errors = {"logo": center_settings.LOGO_WRONG_TYPE}

    @rx.event
    async def upload_logo(self, files: list[rx.UploadFile]):
        self.errors, self.error, self.notice = {}, "", ""
        if not files:
            self.errors = {"logo": "Choose an image first."}
            return None
        upload = files[0]
        if upload.size is not None and upload.size > MAX_LOGO_BYTES:
            self.errors = {"logo": center_settings.LOGO_TOO_LARGE}  # not even read
            return None
        data = await upload.read(MAX_LOGO_BYTES + 1)  # the service refuses one byte past the limit
        name = upload.name or upload.filename or ""
        acted = self._act(lambda session, actor: center_settings.save_logo(session, actor, name, data))
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.errors = acted.field_messages or {"logo": acted.error}
            self.error = acted.form_error
            return None
        self.notice = "The new logo is saved and shown at once."
        self.logo_version += 1
        return self._read_page()

    @rx.event
    def remove_logo(self):
        self.errors, self.error, self.notice = {}, "", ""
        acted = self._act(lambda session, actor: center_settings.remove_logo(session, actor))
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.error = acted.error
            return None
        self.notice = "The logo is removed."
        return self._read_page()

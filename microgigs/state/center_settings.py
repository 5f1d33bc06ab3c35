"""/admin/settings: the center's own settings. Loads the form through
services/center_settings.form_values and saves through .save / .save_logo / .remove_logo, which
check that the caller is an admin; this state only carries what the page shows."""

import reflex as rx
from babel.numbers import format_decimal

from microgigs import i18n
from microgigs.i18n import gettext, msg
from microgigs.services import center, center_settings
from microgigs.services.center_settings import MAX_LOGO_BYTES, CenterSettingsForm
from microgigs.services.errors import DomainError
from microgigs.state.session import SessionState
from microgigs.state.upload_refusals import first_refusal

LOGO_UPLOAD_ID = "center-logo"
FORM_FIELDS = center.FIELDS
# The longest text a field may send (the service refuses past its own, smaller limits).
MAX_SENT = center_settings.MAX_PAGE_TEXT + 1000
# What each field's hint says first (the environment's default follows when it is at it), in English:
# shown in the viewer's language.
HINTS = {
    "name": msg("Shown in every page's header and title, and in mail."),
    "contact_email": msg("Where people write with questions: shown on the help page and in mail. Leave it blank to show none."),
    "brand_color": msg("The header's and buttons' colour, as #RRGGBB. White text on it must be easy to read (WCAG AA)."),
    "help_text": msg("Markdown. Leave it blank for MicroGigs' own general help."),
    "terms_text": msg("Markdown. Leave it blank for MicroGigs' own general terms."),
    "privacy_text": msg("Markdown. Leave it blank for MicroGigs' own general privacy notice."),
    "currency": msg("An ISO 4217 code, like USD, EUR or JPY. Gigs already posted keep their currency; only new gigs use a new one."),
    "platform_fee_percent": msg("Taken on each funded engagement, from 0 to 50."),
    "platform_fee_fixed_cents": msg("Added to the percent on each funded engagement."),
    "pay_floor_cents_per_hour": msg("A gig's estimated pay per hour may not be lower."),
    "auto_approve_days": msg("Days a manager may leave a submission unanswered before it is approved and paid. 0: never."),
    "revision_rounds": msg("How many times a manager may ask for changes before a new scope must be agreed."),
    "student_email_domains": msg("Students sign up only with these, comma-separated, like uni.edu, alumni.uni.edu. Blank: any domain."),
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
        hints = {name: self._tr(HINTS[name]) for name in FORM_FIELDS}
        return {
            name: gettext(self.language, "{hint} Default: {value}", hint=hint, value=self.defaults[name]) if name in self.defaults else hint
            for name, hint in hints.items()
        }

    @rx.var
    def swatch_color(self) -> str:
        """The typed colour as "#rrggbb" for the swatch and the colour picker (the default look's
        blue while it is blank or not a colour yet)."""
        return center_settings.normalize_color(self.brand_color or "") or DEFAULT_SWATCH

    @rx.var
    def contrast_note(self) -> str:
        color = center_settings.normalize_color(self.brand_color or "")
        if color is None:
            return "" if not (self.brand_color or "").strip() else gettext(self.language, "Not a colour yet: write it as #RRGGBB.")
        ratio = center_settings.contrast_with_white(color)
        shown = format_decimal(int(ratio * 100) / 100, "0.00", locale=i18n.language_or_default(self.language))
        if ratio >= center_settings.MIN_CONTRAST:
            return gettext(self.language, "White text on {color}: {ratio}:1, passes AA.", color=color, ratio=shown)
        return gettext(self.language, "White text on {color}: {ratio}:1, too light: it needs at least 4.5:1.", color=color, ratio=shown)

    def _clear(self) -> None:
        """Nothing of the form on the page (a refused load: the tab may have shown an admin's)."""
        self.values, self.defaults, self.errors = {}, {}, {}
        self.logo_url = self.currency_code = self.currency_name = self.brand_color = ""
        self.notice = self.error = ""

    def _show(self, form: CenterSettingsForm) -> None:
        self.values = {name: getattr(form, name) for name in FORM_FIELDS}
        self.defaults = self._tr_all(form.defaults)
        self.logo_url = form.logo_url
        self.currency_code = form.currency
        self.currency_name = form.currency_name
        self.brand_color = form.brand_color

    def _load(self, session, actor) -> None:
        try:
            form = center_settings.form_values(session, actor)
        except DomainError as error:
            self._clear()
            self.load_error = self._tr(error.message)
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
            self.errors = self._tr_all(acted.field_messages)
            self.error = self._tr(acted.form_error) or gettext(self.language, "Nothing was saved: check the fields marked below.")
            return None
        saved = acted.value
        self.notice = gettext(self.language, "The center's settings are saved and apply at once.")
        if before and saved.currency.upper() != before:
            self.notice += " " + gettext(
                self.language, "New gigs use {currency}; gigs already posted keep their currency.", currency=saved.currency.upper()
            )
        self.form_key += 1
        return self._read_page()

    @rx.event
    def logo_rejected(self, rejected: list):
        """The picker refused the chosen file (size, type or count) before anything was sent."""
        _, codes = first_refusal(rejected)
        self.notice = ""
        if "file-too-large" in codes:
            self.errors = {"logo": self._tr(center_settings.LOGO_TOO_LARGE)}
        elif "too-many-files" in codes:
            self.errors = {"logo": gettext(self.language, "Choose one image.")}
        else:
            self.errors = {"logo": self._tr(center_settings.LOGO_WRONG_TYPE)}

    @rx.event
    async def upload_logo(self, files: list[rx.UploadFile]):
        self.errors, self.error, self.notice = {}, "", ""
        if not files:
            self.errors = {"logo": gettext(self.language, "Choose an image first.")}
            return None
        upload = files[0]
        if upload.size is not None and upload.size > MAX_LOGO_BYTES:
            self.errors = {"logo": self._tr(center_settings.LOGO_TOO_LARGE)}  # not even read
            return None
        data = await upload.read(MAX_LOGO_BYTES + 1)  # the service refuses one byte past the limit
        name = upload.name or upload.filename or ""
        acted = self._act(lambda session, actor: center_settings.save_logo(session, actor, name, data))
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.errors = self._tr_all(acted.field_messages or {"logo": acted.error})
            self.error = self._tr(acted.form_error)
            return None
        self.notice = gettext(self.language, "The new logo is saved and shown at once.")
        self.logo_version += 1
        return self._read_page()

    @rx.event
    def remove_logo(self):
        self.errors, self.error, self.notice = {}, "", ""
        acted = self._act(lambda session, actor: center_settings.remove_logo(session, actor))
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.error = self._tr(acted.error)
            return None
        self.notice = gettext(self.language, "The logo is removed.")
        return self._read_page()

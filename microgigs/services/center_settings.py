"""Writing the career center's own settings (/admin/settings): admins only, every field checked
at once, one audit event per save, applied at once.

The settings in effect are services/center.py's: the CenterSettings row over the environment's
values, field by field. Here a blank field, or one typed equal to the environment's value, is
stored as null, so the environment stays that field's default (a later change of the variable
shows). Saving touches the `center` topic (center.row_for_update), so the kept settings are
dropped at commit and every page and rule reads the new ones without a restart.

The logo is checked from its bytes (PNG, JPEG or WebP by their magic numbers and their header's
size; never the name or the browser's type; never SVG, which can carry script) and stored by
integrations/branding_files.py under a name made of its hash.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel.core import get_global
from babel.numbers import get_territory_currencies
from sqlmodel import Session

from microgigs.i18n import Number, msg
from microgigs.integrations import branding_files, gateways
from microgigs.models import CenterSettings, User, utcnow
from microgigs.services import amounts, audit, center, images, policy
from microgigs.services.accounts import is_valid_email, normalize_email
from microgigs.services.center import Center
from microgigs.services.validation import ValidationFailed, clean_line, clean_text
from microgigs.settings import Settings, get_settings

NOT_ADMIN = msg("Only admins can change the center's settings.")
AUDIT_SUBJECT = "center_settings"
MAX_NAME = 80
MAX_PAGE_TEXT = 20_000
MAX_DOMAINS = 20
MAX_FEE_PERCENT = Decimal(50)
MAX_AUTO_APPROVE_DAYS = 90
MAX_REVISION_ROUNDS = 10
# Amounts typed in the currency's major units ("20.50"), at most this many of them.
MAX_AMOUNT_UNITS = 1_000_000
# White text on the brand colour must reach WCAG 2.x AA for normal text.
MIN_CONTRAST = 4.5
LONG_TEXTS = frozenset({"help_text", "terms_text", "privacy_text"})

MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_SIDE = 2048
LOGO_TOO_LARGE = msg("That logo is too large: at most {size} KB.", size=MAX_LOGO_BYTES // 1024)
LOGO_WRONG_TYPE = msg("Choose a PNG, JPEG or WebP image (SVG and GIF are not accepted).")


@dataclass
class CenterSettingsForm:
    """The form's fields as text (as typed, or the values in effect for the page to show).

    From `form_values` also: `defaults`, for each field at the environment's value, where that
    value comes from ("MICROGIGS_PLATFORM_FEE_PERCENT = 10"); the logo's URL ("" for none); the
    currency's name and minor units (2 for USD, 0 for JPY)."""

    name: str = ""
    contact_email: str = ""
    brand_color: str = ""
    help_text: str = ""
    terms_text: str = ""
    privacy_text: str = ""
    currency: str = ""
    platform_fee_percent: str = ""
    platform_fee_fixed_cents: str = ""  # typed in the currency's major units ("1.50")
    pay_floor_cents_per_hour: str = ""  # likewise ("20")
    auto_approve_days: str = ""
    revision_rounds: str = ""
    student_email_domains: str = ""
    defaults: dict[str, str] = field(default_factory=dict)
    logo_url: str = ""
    currency_name: str = ""
    minor_units: int = 2


# --- reading ---------------------------------------------------------------------------------


def form_values(session: Session, actor: User | None) -> CenterSettingsForm:
    """The settings in effect as the form shows them, and which are the environment's."""
    policy.require(policy.may_change_center_settings(actor), NOT_ADMIN)
    settings = center.merged(session.get(CenterSettings, center.ROW_ID))
    texts = _as_texts(settings)
    defaults = {name: _default_hint(name) for name in center.FIELDS if name not in settings.saved}
    return CenterSettingsForm(
        **texts,
        defaults=defaults,
        logo_url=settings.logo_url,
        currency_name=amounts.currency_name(settings.currency),
        minor_units=amounts.minor_units(settings.currency),
    )


def _as_texts(settings: Center) -> dict[str, str]:
    return {
        "name": settings.name,
        "contact_email": settings.contact_email,
        "brand_color": settings.brand_color,
        "help_text": settings.help_text,
        "terms_text": settings.terms_text,
        "privacy_text": settings.privacy_text,
        "currency": settings.currency.upper(),
        "platform_fee_percent": _decimal_text(settings.platform_fee_percent),
        "platform_fee_fixed_cents": amounts.plain_units(settings.platform_fee_fixed_cents, settings.currency),
        "pay_floor_cents_per_hour": amounts.plain_units(settings.pay_floor_cents_per_hour, settings.currency),
        "auto_approve_days": str(settings.auto_approve_days),
        "revision_rounds": str(settings.revision_rounds),
        "student_email_domains": ", ".join(settings.student_email_domains),
    }


def _default_hint(name: str) -> str:
    """Where a field's default comes from: "MICROGIGS_PLATFORM_FEE_PERCENT = 10"."""
    variable = f"MICROGIGS_{center.setting_name(name).upper()}"
    env = center.merged(None)
    value = _as_texts(env)[name]
    if name in LONG_TEXTS:
        if not value:
            return msg("{variable} (empty: MicroGigs' own text)", variable=variable)
        return msg("{variable} ({count} characters)", variable=variable, count=Number(len(value)))
    if name in ("platform_fee_fixed_cents", "pay_floor_cents_per_hour"):
        value = f"{getattr(env, name)} ({value} {env.currency.upper()})"  # the variable is in minor units
    return f"{variable} = {value}" if value else msg("{variable} (empty)", variable=variable)


def environment_problems(settings: Settings | None = None) -> dict[str, str]:
    """What the /admin/settings page would refuse in the environment's defaults of these fields,
    by variable ("MICROGIGS_BRAND_COLOR": message): `microgigs doctor` says it before anyone sees it."""
    settings = settings or get_settings()
    try:
        form = CenterSettingsForm(**_as_texts(center.merged(None, settings)))
        _checked(form, str(center.environment_value("currency", settings)).lower())
    except ValidationFailed as failed:
        return {f"MICROGIGS_{center.setting_name(name).upper()}": message for name, message in failed.errors.items()}
    except (ValueError, LookupError) as error:  # a currency Babel does not know, read as amounts
        return {"MICROGIGS_CURRENCY": f"Not a currency MicroGigs can show amounts in ({error})."}
    return {}


def _decimal_text(value: Decimal) -> str:
    """Decimal("10.0") -> "10", Decimal("2.90") -> "2.9" (never "1E+1")."""
    return format(value.normalize(), "f")


# --- the currency --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _current_currencies(today: date) -> frozenset[str]:
    """ISO 4217 codes some territory uses as legal tender today (Babel's CLDR data): no
    historic codes (DEM), no testing or fund codes (XTS, XXX)."""
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, today))
    return frozenset(codes)


def is_current_currency(code: str) -> bool:
    return code.upper() in _current_currencies(date.today())


# --- the brand colour ----------------------------------------------------------------------------

_HEX_COLOR = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def normalize_color(raw: str) -> str | None:
    """ "#ABC", "abc", "#AABBCC" -> "#aabbcc"; None when it is not a hex colour."""
    match = _HEX_COLOR.fullmatch(raw.strip())
    if match is None:
        return None
    digits = match[1].lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}"


def relative_luminance(color: str) -> float:
    """WCAG 2.x relative luminance of "#rrggbb" (0 black .. 1 white)."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(color[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(color: str) -> float:
    """The WCAG contrast ratio of white text on "#rrggbb" (1 .. 21)."""
    return 1.05 / (relative_luminance(color) + 0.05)


def _color_problem(raw: str) -> tuple[str | None, str | None]:
    """(the colour as stored, the message when it is refused)."""
    color = normalize_color(raw)
    if color is None:
        return None, msg("Enter a colour as #RRGGBB, for example #1d4ed8.")
    ratio = contrast_with_white(color)
    if ratio < MIN_CONTRAST:
        shown = math.floor(ratio * 100) / 100  # never rounded up to a passing 4.50
        return None, msg(
            "White text on {color} has a contrast ratio of {ratio}:1; it needs at least 4.5:1 (WCAG AA). Pick a darker colour.",
            color=color,
            ratio=f"{shown:.2f}",
        )
    return color, None


# --- the other fields ------------------------------------------------------------------------------

_PERCENT = re.compile(r"(\d{1,3})(?:\.(\d+))?")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def _percent(raw: str) -> tuple[Decimal | None, str | None]:
    text = raw.strip().removesuffix("%").strip()
    match = _PERCENT.fullmatch(text)
    message = msg("Enter the fee as a percent from 0 to 50, with at most two decimals, like 10 or 2.9.")
    if match is None or len(match[2] or "") > 2:
        return None, message
    value = Decimal(text)
    if value > MAX_FEE_PERCENT:
        return None, message
    return value, None


def _whole_number(raw: str, low: int, high: int, message: str) -> tuple[int | None, str | None]:
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6 or not low <= int(text) <= high:
        return None, message
    return int(text), None


def _amount(raw: str, currency: str, what: str) -> tuple[int | None, str | None]:
    """An amount typed in the currency's major units -> its minor units (None: blank)."""
    try:
        return amounts.parse_cents(raw, what, currency=currency, max_cents=MAX_AMOUNT_UNITS * 10 ** amounts.minor_units(currency)), None
    except amounts.MissingAmount:
        return None, None
    except amounts.AmountError as error:
        return None, error.args[0] if error.args else str(error)  # a msg() stays one (translated where shown)


def _domains(raw: str) -> tuple[str | None, str | None]:
    """ "Uni.edu, @alumni.uni.edu" -> "uni.edu,alumni.uni.edu" (each a DNS name), or the problem."""
    names: list[str] = []
    for part in re.split(r"[,\n]+", raw):
        part = part.strip().lower().lstrip("@")
        if not part:
            continue
        try:
            ascii_name = part.encode("idna").decode("ascii") if not part.isascii() else part
        except UnicodeError:
            return None, msg("{name} is not a domain name. Separate domains with commas, like uni.edu, alumni.uni.edu.", name=part)
        labels = ascii_name.removesuffix(".").split(".")
        if len(ascii_name) > 253 or len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
            return None, msg("{name} is not a domain name. Separate domains with commas, like uni.edu, alumni.uni.edu.", name=part)
        if ascii_name.removesuffix(".") not in names:
            names.append(ascii_name.removesuffix("."))
    if len(names) > MAX_DOMAINS:
        return None, msg("List at most {most} domains (you have {count}).", most=MAX_DOMAINS, count=len(names))
    return ",".join(names), None


# --- saving ---------------------------------------------------------------------------------------


def _checked(form: CenterSettingsForm, in_effect_currency: str) -> dict[str, object]:
    """Every field as it would be stored ("" where blank), or ValidationFailed with each wrong one."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}

    name = clean_line(form.name)
    if len(name) > MAX_NAME:
        errors["name"] = msg("Use at most {most} characters (you have {count}).", most=MAX_NAME, count=len(name))
    values["name"] = name

    email = normalize_email(clean_line(form.contact_email))
    if email and not is_valid_email(email):
        errors["contact_email"] = msg("Enter an email address like help@uni.edu, or leave it blank.")
    values["contact_email"] = email

    color = clean_line(form.brand_color)
    if color:
        color, problem = _color_problem(color)
        if problem:
            errors["brand_color"] = problem
    values["brand_color"] = color or ""

    for name_ in sorted(LONG_TEXTS):
        text = clean_text(getattr(form, name_))
        if len(text) > MAX_PAGE_TEXT:
            errors[name_] = msg("Use at most {most} characters (you have {count}).", most=Number(MAX_PAGE_TEXT), count=Number(len(text)))
        values[name_] = text

    currency = clean_line(form.currency).lower()
    if currency and not (len(currency) == 3 and currency.isascii() and currency.isalpha() and is_current_currency(currency)):
        errors["currency"] = msg("Enter a current ISO 4217 currency code, like USD, EUR or JPY.")
    elif currency and (refusal := gateways.gateway_supports(currency)):
        errors["currency"] = refusal  # the payment gateway cannot move money in it
    values["currency"] = currency
    # Amounts are typed in the currency the form names: blank is the environment's; while the
    # code typed is wrong, the one in effect (its own message says what to fix).
    if not currency:
        money_in = str(center.environment_value("currency")).lower()
    else:
        money_in = currency if "currency" not in errors else in_effect_currency

    percent_text = clean_line(form.platform_fee_percent)
    if percent_text:
        percent, problem = _percent(percent_text)
        if problem:
            errors["platform_fee_percent"] = problem
        values["platform_fee_percent"] = percent
    else:
        values["platform_fee_percent"] = None

    for name_, what in (("platform_fee_fixed_cents", msg("the fixed fee")), ("pay_floor_cents_per_hour", msg("the pay floor"))):
        minor, problem = _amount(clean_line(getattr(form, name_)), money_in, what)
        if problem:
            errors[name_] = problem
        values[name_] = minor

    for name_, high, message in (
        (
            "auto_approve_days",
            MAX_AUTO_APPROVE_DAYS,
            msg("Enter a whole number of days from 0 (never) to {most}.", most=MAX_AUTO_APPROVE_DAYS),
        ),
        ("revision_rounds", MAX_REVISION_ROUNDS, msg("Enter a whole number of rounds from 0 to {most}.", most=MAX_REVISION_ROUNDS)),
    ):
        text = clean_line(getattr(form, name_))
        number = None
        if text:
            number, problem = _whole_number(text, 0, high, message)
            if problem:
                errors[name_] = problem
        values[name_] = number

    domains, problem = _domains(clean_text(form.student_email_domains))  # one a line, or comma-separated
    if problem:
        errors["student_email_domains"] = problem
    values["student_email_domains"] = domains or ""

    if errors:
        raise ValidationFailed({name_: errors[name_] for name_ in center.FIELDS if name_ in errors})
    return values


def _stored(name: str, value: object) -> object:
    """The column's value: None (the environment's) for a blank field or one equal to the
    environment's value; else the value as the column holds it."""
    if value is None or value == "":
        return None
    env = center.environment_value(name)
    if name == "platform_fee_percent":
        return None if Decimal(str(env)) == value else _decimal_text(value)
    if name == "brand_color":
        env = normalize_color(str(env)) or ""
    elif name in ("currency", "contact_email"):
        env = str(env).strip().lower()
    elif name == "student_email_domains":
        env = ",".join(center.domains(str(env)))
    return None if value == env else value


def _shown(name: str, value: object) -> object:
    """A stored value for the audit log: None is the environment's; long texts are not copied."""
    if name in LONG_TEXTS and value is not None:
        return "(text)"
    return value


def save(session: Session, actor: User | None, form: CenterSettingsForm) -> Center:
    """Check every field (all wrong ones at once; nothing written then), store what differs from
    the environment, and record one audit event naming each changed field."""
    policy.require(policy.may_change_center_settings(actor), NOT_ADMIN)
    existing = session.get(CenterSettings, center.ROW_ID)
    values = _checked(form, center.merged(existing).currency)
    changed: dict[str, object] = {}
    new_values = {name: _stored(name, values[name]) for name in center.FIELDS}
    for name in center.FIELDS:
        old = getattr(existing, name) if existing is not None else None
        if old != new_values[name]:
            changed[name] = "changed" if name in LONG_TEXTS else {"from": _shown(name, old), "to": _shown(name, new_values[name])}
    if not changed:
        return center.merged(existing)
    row = center.row_for_update(session)
    for name, value in new_values.items():
        setattr(row, name, value)
    _stamp(row, actor)
    audit.record(session, actor, "center_settings.changed", AUDIT_SUBJECT, center.ROW_ID, changed=changed)
    session.flush()
    return center.merged(row)


def _stamp(row: CenterSettings, actor: User) -> None:
    row.updated_at = utcnow()
    row.updated_by_id = actor.id
    # (row_for_update added the row to the session; a changed attribute is flushed with it.)


# --- the logo ----------------------------------------------------------------------------------


def check_logo(content: bytes) -> tuple[str, str]:
    """(the real extension, its content type) of an acceptable logo; else ValidationFailed."""
    if not content:
        raise ValidationFailed({"logo": msg("That file is empty.")})
    if len(content) > MAX_LOGO_BYTES:
        raise ValidationFailed({"logo": LOGO_TOO_LARGE})
    found = images.type_and_size(content)
    if found is None:
        raise ValidationFailed({"logo": LOGO_WRONG_TYPE})
    extension, width, height = found
    if not width or not height:
        raise ValidationFailed({"logo": msg("That image has no width or height.")})
    if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
        raise ValidationFailed(
            {
                "logo": msg(
                    "That image is {width} × {height} pixels: at most {most} × {most} is accepted.",
                    width=width,
                    height=height,
                    most=MAX_LOGO_SIDE,
                )
            }
        )
    return extension, branding_files.CONTENT_TYPES[extension]


def save_logo(session: Session, actor: User | None, filename: str, content: bytes) -> Center:
    """Check and store a new logo (its type from its bytes: `filename` is only noted in the log)."""
    policy.require(policy.may_change_center_settings(actor), NOT_ADMIN)
    extension, content_type = check_logo(content)
    # Replaced logos are kept, not deleted: mail already sent shows its logo by its URL, and a
    # backup taken before a change names the old file (they are small, and named by their
    # contents, so uploading the same image again stores nothing new).
    stored = branding_files.store_logo(content, extension)
    row = center.row_for_update(session)
    old = row.logo_file
    row.logo_file, row.logo_content_type = stored, content_type
    _stamp(row, actor)
    uploaded_as = clean_line(filename)[:120]
    audit.record(session, actor, "center_settings.logo_changed", AUDIT_SUBJECT, center.ROW_ID, old=old, new=stored, uploaded_as=uploaded_as)
    session.flush()
    return center.merged(row)


def remove_logo(session: Session, actor: User | None) -> Center:
    """No logo any more (the file stays, for the mail and backups that name it)."""
    policy.require(policy.may_change_center_settings(actor), NOT_ADMIN)
    existing = session.get(CenterSettings, center.ROW_ID)
    if existing is None or not existing.logo_file:
        return center.merged(existing)
    row = center.row_for_update(session)
    old = row.logo_file
    row.logo_file = row.logo_content_type = None
    _stamp(row, actor)
    audit.record(session, actor, "center_settings.logo_removed", AUDIT_SUBJECT, center.ROW_ID, old=old)
    session.flush()
    return center.merged(row)

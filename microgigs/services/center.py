"""The career center's own settings as every rule and page reads them: the environment's values
(settings.py) with what an admin saved at /admin/settings (the CenterSettings row) on top,
field by field. Writing them is services/center_settings.py.

Read on every page load and by the rules that use them (the fee, the pay floor, ...), so the
merged value is kept in memory (services/kept_reads.py) until a change notice with the topic
`center` says the row changed: in this worker at commit, in the others through live's Redis
fan-out. A save is therefore applied at once, without a restart.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlmodel import Session

from microgigs.models import CenterSettings
from microgigs.services import changes
from microgigs.services.kept_reads import KeptReads
from microgigs.settings import Settings, get_settings

CENTER_TOPIC = changes.CENTER_TOPIC
ROW_ID = 1
# The route that serves the stored logo (http/branding.py); its name changes with its contents.
LOGO_ROUTE = "/api/center/logo"
# The fields an admin may set, in the page's order (each a CenterSettings column and a Settings field).
FIELDS = (
    "name",
    "contact_email",
    "brand_color",
    "help_text",
    "terms_text",
    "privacy_text",
    "currency",
    "platform_fee_percent",
    "platform_fee_fixed_cents",
    "pay_floor_cents_per_hour",
    "auto_approve_days",
    "revision_rounds",
    "student_email_domains",
)
# Settings' names where they differ from the row's.
_SETTING_NAMES = {"name": "center_name", "revision_rounds": "default_revision_rounds"}


@dataclass(frozen=True)
class Center:
    """The center's settings in effect. Amounts are in the currency's minor units."""

    name: str
    contact_email: str
    brand_color: str  # "" : the default look
    logo_url: str  # "" : no logo
    help_text: str  # Markdown; "": the pages show MicroGigs' own general text
    terms_text: str
    privacy_text: str
    currency: str  # ISO 4217, lower case
    platform_fee_percent: Decimal
    platform_fee_fixed_cents: int
    pay_floor_cents_per_hour: int
    auto_approve_days: int
    revision_rounds: int
    student_email_domains: tuple[str, ...]  # lower case, without "@"; empty: any domain
    # The fields an admin set (the others are the environment's).
    saved: frozenset[str] = field(default_factory=frozenset)


def setting_name(name: str) -> str:
    """The Settings field (and so the MICROGIGS_<NAME> variable) behind one of FIELDS."""
    return _SETTING_NAMES.get(name, name)


def environment_value(name: str, settings: Settings | None = None) -> object:
    """The environment's value of one field (its default when no admin set it)."""
    return getattr(settings or get_settings(), setting_name(name))


def domains(raw: str) -> tuple[str, ...]:
    """ "Uni.edu, @alumni.uni.edu" -> ("uni.edu", "alumni.uni.edu")."""
    return tuple(d.strip().lower().lstrip("@") for d in (raw or "").split(",") if d.strip())


def merged(row: CenterSettings | None, settings: Settings | None = None) -> Center:
    """The settings in effect: each field from the row when an admin set it, else the environment's."""
    settings = settings or get_settings()
    values = {}
    saved = set()
    for name in FIELDS:
        stored = getattr(row, name) if row is not None else None
        if stored is not None:
            saved.add(name)
        values[name] = stored if stored is not None else environment_value(name, settings)
    logo_url = f"{LOGO_ROUTE}/{row.logo_file}" if row is not None and row.logo_file else ""
    return Center(
        name=str(values["name"]),
        contact_email=str(values["contact_email"]),
        brand_color=str(values["brand_color"]).lower(),
        logo_url=logo_url,
        help_text=str(values["help_text"]),
        terms_text=str(values["terms_text"]),
        privacy_text=str(values["privacy_text"]),
        currency=str(values["currency"]).lower(),
        platform_fee_percent=Decimal(str(values["platform_fee_percent"])),
        platform_fee_fixed_cents=int(values["platform_fee_fixed_cents"]),
        pay_floor_cents_per_hour=int(values["pay_floor_cents_per_hour"]),
        auto_approve_days=int(values["auto_approve_days"]),
        revision_rounds=int(values["revision_rounds"]),
        student_email_domains=domains(str(values["student_email_domains"])),
        saved=frozenset(saved),
    )


_KEPT: KeptReads[tuple[Settings, Center]] = KeptReads("center settings", topic=CENTER_TOPIC, max_age=60.0, max_entries=8)


def current(session: Session) -> Center:
    """The settings in effect for this database, kept until a `center` change notice (or a minute)."""
    # Keyed by the settings object too, so environment values read afresh (get_settings.cache_clear(),
    # as tests do) are merged afresh; the kept pair holds that object, so its id is not reused meanwhile.
    settings = get_settings()
    key = (str(session.get_bind().url), id(settings))
    return _KEPT.get(key, lambda: (settings, merged(session.get(CenterSettings, ROW_ID), settings)))[1]


def clear() -> None:
    """Forget the kept value (tests that change the environment's defaults)."""
    _KEPT.clear()


def row_for_update(session: Session) -> CenterSettings:
    """The one settings row, made (all fields null: the environment's) on the first save."""
    row = session.get(CenterSettings, ROW_ID)
    if row is None:
        row = CenterSettings(id=ROW_ID)
        session.add(row)
    changes.touch(session, CENTER_TOPIC)
    return row

"""Every setting, typed, read once from MICROGIGS_* environment variables.

The defaults give the embedded setup: a SQLite file and stored files under var/,
the demo payment gateway and mail to an outbox table. Nothing here needs a key.
"""

import os
import re
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# MICROGIGS_OIDC_<n>_<FIELD>: campus providers as numbered variables (integrations/oidc reads them).
OIDC_NUMBERED_VARIABLE = re.compile(r"^MICROGIGS_OIDC_(\d{1,3})_([A-Z0-9_]+)$")


def _numbered_oidc_variables() -> dict[str, str]:
    return {name.upper(): value for name, value in os.environ.items() if OIDC_NUMBERED_VARIABLE.match(name.upper())}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MICROGIGS_", extra="ignore")

    # Where people reach the app; used for links in mail, CORS and the Secure cookie flag.
    public_url: str = "http://localhost:3000"
    # Demo mode (`make run` turns it on): the demo campus may be seeded, its accounts (known
    # password, @demo.microgigs.test) may sign in, and the sign-in page shows them. Off on a real
    # install: no demo data is seeded and a demo account that is there anyway cannot sign in.
    demo_mode: bool = False
    # SQLAlchemy URL. Empty means the embedded SQLite file under data_dir.
    database_url: str = ""
    # Folder for the SQLite file, stored deliverables and keys.
    data_dir: Path = PROJECT_ROOT / "var"
    # "demo" (no money moves) or "stripe".
    payment_gateway: str = "demo"
    # The center's own settings: these are the defaults; what an admin saves at /admin/settings
    # (stored in the database, services/center.py) wins over them, field by field.
    # The center's name: the header, the pages' titles, mail.
    center_name: str = "MicroGigs"
    # Where people write with questions (shown on the help page and in mail); empty: not shown.
    contact_email: str = ""
    # "#RRGGBB" for the header and buttons (white text on it must pass WCAG AA); empty: the default look.
    brand_color: str = ""
    # The help, terms and privacy pages' text (Markdown); empty: MicroGigs' own general text.
    help_text: str = ""
    terms_text: str = ""
    privacy_text: str = ""
    # ISO 4217 code of new gigs' money ("usd", "eur", "jpy"); amounts below are in its minor units.
    currency: str = "usd"
    # Platform fee on each funded engagement: percent of pay plus a fixed amount.
    platform_fee_percent: float = 10.0
    platform_fee_fixed_cents: int = 0
    # Fair-pay floor: estimated pay per hour may not be lower (cents per hour).
    pay_floor_cents_per_hour: int = 2000
    # Reverse proxies in front of the app (comma-separated addresses or networks, e.g.
    # "127.0.0.1,10.0.0.0/8"). Only a request that comes from one of them has its client address
    # taken from X-Forwarded-For; anyone else's header is ignored (throttles count real clients).
    trusted_proxies: str = ""
    # Addresses or networks (comma-separated) that may read /metrics without signing in: the
    # monitoring server. Signed-in admins may read it anyway; anyone else gets a 404.
    metrics_allow: str = ""
    # "text" (the default) or "json": one JSON object per log line, with the request's or event's id.
    log_format: str = "text"
    # Sign-in session lifetime.
    session_days: int = 14
    session_cookie_name: str = "microgigs_session"
    # The nightly reconciliation of the ledger with the gateway runs once a day from this UTC hour.
    reconcile_hour_utc: int = 3
    # Nightly backups (microgigs/operations/nightly_backup.py): empty means none. One archive a
    # UTC day from backup_hour_utc; the newest backup_keep are kept (0 keeps them all).
    backup_dir: str = ""
    backup_keep: int = 14
    backup_hour_utc: int = 2
    # Share of the pay a student keeps when the employer cancels after work has started.
    kill_fee_percent: float = 50.0
    # Largest deliverable file accepted, in bytes (checked before the body is kept).
    max_upload_bytes: int = 25 * 1024 * 1024
    # Largest request body of any kind (a submission's files together), in bytes.
    max_request_bytes: int = 101 * 1024 * 1024
    # Revision rounds a manager may request before a new scope must be agreed.
    default_revision_rounds: int = 2
    # Days of manager silence after a submission before it is approved automatically.
    auto_approve_days: int = 7
    # Reminders go out this many days before an application deadline, a due date or an auto-approval.
    reminder_days_before: int = 1
    # Mail: empty smtp_host means mail goes to the outbox table and the log.
    smtp_host: str = ""
    smtp_port: int = 587
    # STARTTLS is required (never a fall back to clear text); false sends in clear, and then
    # smtp_user/smtp_password are refused: credentials only ever travel encrypted.
    smtp_starttls: bool = True
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = "MicroGigs <no-reply@localhost>"
    # Implicit TLS from the first byte (usually port 465); STARTTLS is then not used.
    smtp_tls: bool = False
    # A PEM file of the certificate (or its CA) to trust for the SMTP server, instead of the
    # system's CAs: for a server with its own or a self-signed certificate. Its name is checked.
    smtp_ca_file: str = ""
    smtp_timeout_seconds: float = 15.0
    # Campus single sign-on: a JSON list of OpenID Connect providers, each
    # {"name", "issuer", "client_id", "client_secret", "label"} (optional "enabled": false),
    oidc_providers: str = ""
    # and/or numbered variables MICROGIGS_OIDC_1_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _LABEL, _NAME,
    # _ENABLED (then 2, 3, ...), gathered here as they are; README "Campus sign-in" lists them.
    oidc_numbered: dict[str, str] = Field(default_factory=_numbered_oidc_variables, exclude=True)
    # Comma-separated email domains students may sign up with (empty: any domain).
    student_email_domains: str = ""
    # When true, students sign in and sign up only through a campus provider.
    sso_only_for_students: bool = False
    oidc_timeout_seconds: float = 10.0
    # Stripe (payment_gateway="stripe"): the secret key and one signing secret per webhook route.
    stripe_secret_key: str = ""
    stripe_webhook_secret: str = ""  # /api/stripe/webhook (platform events)
    stripe_connect_webhook_secret: str = ""  # /api/stripe/connect-webhook (connected accounts' events)
    # Only for tests: where the Stripe API is (the loopback fake). Empty means Stripe itself.
    stripe_api_base: str = ""
    stripe_timeout_seconds: float = 20.0

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'microgigs.db'}"

    # Under data_dir, each 0700 (microgigs/data_folder.py): deliverables, photos, signing keys.
    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def photos_dir(self) -> Path:
        return self.data_dir / "photos"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    # The center's logo (services/center_settings.py), each file named by its contents' hash.
    @property
    def branding_dir(self) -> Path:
        return self.data_dir / "branding"

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")


def redis_url() -> str:
    """REFLEX_REDIS_URL: the Redis server several workers share (tabs' state, live updates); empty
    means one worker and no Redis. Reflex reads the same variable itself (rxconfig.py sets no URL
    of its own), so every part of MicroGigs asks here rather than reading the variable again."""
    return os.environ.get("REFLEX_REDIS_URL", "")


# How long a check of Redis (the doctor, /readyz) waits for its answer: probes wait 5-10 s in all.
REDIS_CHECK_SECONDS = 2.0


@lru_cache
def get_settings() -> Settings:
    return Settings()

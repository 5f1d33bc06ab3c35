"""`microgigs doctor`: the configuration, and the outside world it depends on, checked; each
finding said in plain words with what to do about it.

A finding is one of
- ok: fine (listed too, so whoever installs it sees what was checked);
- warning: worth knowing, nothing to fix for the install to work (e.g. http on this machine);
- problem: something to fix; the doctor exits 1;
- danger: serving like this puts people at risk; `microgigs start` refuses to serve.

The checks read the settings and reach out (SMTP, Stripe, Redis, the database) with short
timeouts; none of them changes anything.
"""

from __future__ import annotations

import ipaddress
import os
import stat
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from microgigs.operations import schema
from microgigs.services import center_settings
from microgigs.settings import REDIS_CHECK_SECONDS, Settings, get_settings, redis_url

Level = Literal["ok", "warning", "problem", "danger"]
LEVELS: tuple[Level, ...] = ("ok", "warning", "problem", "danger")
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class Finding:
    level: Level
    topic: str  # what was checked: "Public URL", "Mail", ...
    text: str  # what was found and, unless ok, what to do


def examine(settings: Settings | None = None) -> list[Finding]:
    """Every check, in the order a person would fix things."""
    settings = settings or get_settings()
    findings: list[Finding] = []
    for check in CHECKS:
        try:
            findings.extend(check(settings))
        except Exception as error:  # a check that breaks must not hide the others
            findings.append(
                Finding("problem", check.__name__.removeprefix("check_").replace("_", " "), f"The check itself failed: {error}")
            )
    return findings


def worst(findings: Iterable[Finding]) -> Level:
    return max((f.level for f in findings), key=LEVELS.index, default="ok")


def report(findings: Iterable[Finding]) -> str:
    marks = {"ok": "ok     ", "warning": "WARNING", "problem": "PROBLEM", "danger": "DANGER "}
    return "\n".join(f"{marks[f.level]}  {f.topic}: {f.text}" for f in findings)


# --- the checks ---------------------------------------------------------------------------------


def _is_local(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def public_url_problem(url: str) -> str | None:
    """Why MICROGIGS_PUBLIC_URL cannot be the address people open, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"MICROGIGS_PUBLIC_URL ({url!r}) is not a web address: set it to the address people open, like https://gigs.example.edu."
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        extra = "a path" if parts.path not in ("", "/") else "a query or fragment"
        return f"MICROGIGS_PUBLIC_URL ({url}) has {extra}; MicroGigs is served at the root of its own host name: use {parts.scheme}://{parts.netloc}."
    return None


def check_public_url(settings: Settings) -> list[Finding]:
    url = settings.public_url
    if problem := public_url_problem(url):
        return [Finding("problem", "Public URL", problem)]
    parts = urlsplit(url)
    if parts.scheme == "https":
        return [Finding("ok", "Public URL", f"{url} (https)")]
    if _is_local(parts.hostname or ""):
        return [Finding("warning", "Public URL", f"{url}: only this machine can open it. For students, set an https address.")]
    return [
        Finding(
            "problem",
            "Public URL",
            f"{url} is plain http: passwords and sign-in cookies would cross the network unencrypted. Put a "
            'TLS proxy in front (README, "Install for real") and set MICROGIGS_PUBLIC_URL to the https address.',
        )
    ]


def check_demo(settings: Settings) -> list[Finding]:
    from microgigs.db import session_scope
    from microgigs.models import User
    from microgigs.services.accounts import DEMO_EMAIL_DOMAIN

    https = settings.public_url.startswith("https://")
    findings: list[Finding] = []
    if settings.demo_mode:
        if https:
            findings.append(
                Finding(
                    "danger",
                    "Demo mode",
                    "MICROGIGS_DEMO_MODE=true on an https install: anyone may sign in to the demo accounts, whose "
                    "password is in the README, and mail is not sent. Set MICROGIGS_DEMO_MODE=false.",
                )
            )
        else:
            findings.append(
                Finding("warning", "Demo mode", "on: demo accounts may sign in and mail stays in the outbox (for trying it out).")
            )
    try:
        with session_scope() as session:
            demo_accounts = session.scalar(select(func.count()).select_from(User).where(User.email.like(f"%@{DEMO_EMAIL_DOMAIN}")))
    except SQLAlchemyError:
        return findings  # the database check says what is wrong with it
    if demo_accounts and https:
        findings.append(
            Finding(
                "danger",
                "Demo accounts",
                f"{demo_accounts} demo account(s) (@{DEMO_EMAIL_DOMAIN}, made by seed-demo) are in the database of an https "
                "install. Start from an empty database: a new MICROGIGS_DATA_DIR (SQLite) or MICROGIGS_DATABASE_URL.",
            )
        )
    elif not settings.demo_mode:
        findings.append(Finding("ok", "Demo accounts", "none" if not demo_accounts else f"{demo_accounts}, locked (demo mode is off)"))
    return findings


def check_mail(settings: Settings) -> list[Finding]:
    from microgigs.integrations import mail

    if not settings.smtp_host:
        if settings.demo_mode:
            return [Finding("ok", "Mail", "no SMTP server: in demo mode mail is kept in the outbox and the log.")]
        return [
            Finding(
                "problem",
                "Mail",
                "No SMTP server is set, so no mail leaves: sign-up confirmations and password resets wait in the "
                "outbox. Set MICROGIGS_SMTP_HOST (and _PORT, _USER, _PASSWORD) and MICROGIGS_MAIL_FROM.",
            )
        ]
    try:
        sender = mail.check_sender()
    except mail.DeliveryFailed as failure:
        return [Finding("problem", "Mail", str(failure))]
    return [Finding("ok", "Mail", f"{settings.smtp_host}:{settings.smtp_port} accepts {sender} as the sender.")]


def check_payments(settings: Settings) -> list[Finding]:
    if settings.payment_gateway != "stripe":
        if settings.demo_mode:
            return [Finding("ok", "Payments", "the demo gateway (no money moves).")]
        return [
            Finding(
                "warning",
                "Payments",
                "the demo gateway: payments are simulated and no money moves. For real payments set "
                "MICROGIGS_PAYMENT_GATEWAY=stripe with the Stripe keys.",
            )
        ]
    findings: list[Finding] = []
    key = settings.stripe_secret_key
    if not key:
        findings.append(Finding("problem", "Stripe", "MICROGIGS_STRIPE_SECRET_KEY is empty: set the secret key from Stripe's dashboard."))
    elif not key.startswith(("sk_", "rk_")):
        findings.append(
            Finding(
                "problem",
                "Stripe",
                "MICROGIGS_STRIPE_SECRET_KEY is not a secret key (sk_… or rk_…): a publishable key (pk_…) cannot be used here.",
            )
        )
    for name, secret, endpoint in (
        ("MICROGIGS_STRIPE_WEBHOOK_SECRET", settings.stripe_webhook_secret, "/api/stripe/webhook"),
        ("MICROGIGS_STRIPE_CONNECT_WEBHOOK_SECRET", settings.stripe_connect_webhook_secret, "/api/stripe/connect-webhook"),
    ):
        if not secret.startswith("whsec_"):
            findings.append(
                Finding(
                    "danger",
                    "Stripe",
                    f"{name} is {'empty' if not secret else 'not a webhook signing secret (whsec_…)'}: without it no payment "
                    f"is ever confirmed. Add a webhook endpoint at {settings.public_url.rstrip('/')}{endpoint} in Stripe's "
                    f"dashboard and set {name} to its signing secret.",
                )
            )
    if key.startswith(("sk_", "rk_")):
        findings.append(_stripe_key_accepted(settings))
    return findings


def _stripe_key_accepted(settings: Settings) -> Finding:
    import stripe

    from microgigs.integrations.stripe_gateway import StripeGateway

    try:
        account = StripeGateway.from_settings().client.v1.accounts.retrieve_current()
    except stripe.AuthenticationError:
        return Finding(
            "problem", "Stripe", "Stripe refused MICROGIGS_STRIPE_SECRET_KEY: copy the secret key again from Stripe's dashboard."
        )
    except stripe.StripeError as error:
        return Finding("problem", "Stripe", f"Stripe could not be asked about the key: {error.user_message or error}")
    mode = "test mode: no real money moves" if settings.stripe_secret_key.startswith(("sk_test_", "rk_test_")) else "live mode"
    return Finding("ok", "Stripe", f"Stripe accepts the key (account {account.id}, {mode}).")


def check_data_folder(settings: Settings) -> list[Finding]:
    folder = settings.data_dir
    if not folder.is_dir():
        return [Finding("problem", "Data folder", f"{folder} does not exist: set MICROGIGS_DATA_DIR to a folder this account owns.")]
    probe = folder / f".doctor-{uuid.uuid4().hex}"
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        probe.unlink()
    except OSError as error:
        return [
            Finding("problem", "Data folder", f"{folder} cannot be written to ({error.strerror}): give this account write access to it.")
        ]
    mode = stat.S_IMODE(folder.stat().st_mode)
    if mode & 0o077:
        return [
            Finding(
                "problem",
                "Data folder",
                f"{folder} can be read by other accounts on this server (mode {mode:o}); it holds the database, "
                f"files and signing keys: run chmod 700 {folder}.",
            )
        ]
    return [Finding("ok", "Data folder", f"{folder}: writable, owner only.")]


def check_migrations(settings: Settings) -> list[Finding]:
    try:
        current, head = schema.revision_of(settings.sqlalchemy_url), schema.head_revision()
    except SQLAlchemyError as error:
        return [Finding("problem", "Database", f"cannot be opened: {error.__class__.__name__}: {str(error).splitlines()[0]}")]
    if current == head:
        return [Finding("ok", "Database", f"reachable; migrations current ({head}).")]
    state = "empty (no migrations applied)" if current is None else f"at migration {current}"
    return [
        Finding("problem", "Database", f"{state}; this version needs {head}. `microgigs start` migrates it (or run `reflex db migrate`).")
    ]


def check_redis(settings: Settings) -> list[Finding]:
    url = redis_url()
    workers = os.environ.get("GRANIAN_WORKERS", "1")
    if not url:
        if workers.isdigit() and int(workers) > 1:
            return [
                Finding("problem", "Redis", f"GRANIAN_WORKERS={workers} but REFLEX_REDIS_URL is not set: several workers must share Redis.")
            ]
        return [Finding("ok", "Redis", "not used (one worker keeps its tabs in memory).")]
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=REDIS_CHECK_SECONDS, socket_timeout=REDIS_CHECK_SECONDS)
    try:
        client.ping()
    except redis.RedisError as error:
        return [Finding("problem", "Redis", f"REFLEX_REDIS_URL ({_without_password(url)}) cannot be reached: {error}")]
    finally:
        client.close()
    return [Finding("ok", "Redis", f"{_without_password(url)} answers.")]


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":•••@", 1)


def check_center_defaults(settings: Settings) -> list[Finding]:
    """The center's settings from the environment (name, colour, currency, fee, ...): the defaults
    of /admin/settings, held to the same rules the page holds an admin to."""
    problems = center_settings.environment_problems(settings)
    if not problems:
        return [Finding("ok", "Center settings", "The defaults from the environment are valid (admins change them at /admin/settings).")]
    return [Finding("problem", "Center settings", f"{variable}: {message}") for variable, message in problems.items()]


def check_signing_keys(settings: Settings) -> list[Finding]:
    from microgigs.db import session_scope
    from microgigs.models import Credential

    keys = sorted(settings.keys_dir.glob("*.pem")) if settings.keys_dir.is_dir() else []
    try:
        with session_scope() as session:
            issued = session.scalar(select(func.count()).select_from(Credential)) or 0
    except SQLAlchemyError:
        issued = 0  # the database check says what is wrong with it
    if keys:
        return [Finding("ok", "Signing keys", f"{len(keys)} key(s) in {settings.keys_dir}.")]
    if issued:
        return [
            Finding(
                "danger",
                "Signing keys",
                f"{issued} credential(s) were issued but {settings.keys_dir} holds no signing key: they no longer verify, "
                "and new ones would be signed with a new key. Restore the keys folder from a backup.",
            )
        ]
    return [Finding("ok", "Signing keys", "none yet: one is made when the first credential is signed.")]


CHECKS: list[Callable[[Settings], list[Finding]]] = [
    check_public_url,
    check_demo,
    check_data_folder,
    check_migrations,
    check_signing_keys,
    check_redis,
    check_mail,
    check_payments,
    check_center_defaults,
]

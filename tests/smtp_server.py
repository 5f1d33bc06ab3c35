"""A real SMTP server on loopback (aiosmtpd) for the tests, and the fixtures that point the app's
mail settings at it. It can be told to answer slowly or to refuse, like a real server does.

It speaks what real servers speak: STARTTLS (offered, and required before mail or a login: the
default, as the app's), implicit TLS from the first byte, or clear text. Its certificate is
self-signed, made once per test session in a temporary folder (`certificate()`); the app trusts
it through MICROGIGS_SMTP_CA_FILE, as an install trusts its campus mail server's own certificate.

Mail leaves through the queue: `inbox.deliver()` runs the mail worker's round once
(microgigs/mail_worker.deliver_due_mail, on the app's database) and returns what arrived.
"""

import asyncio
import atexit
import email
import functools
import ipaddress
import logging
import os
import shutil
import socket
import ssl
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from microgigs import settings

# aiosmtpd warns on every login about its own deprecated attribute: noise, not news.
logging.getLogger("mail.log").setLevel(logging.ERROR)

SMTP_USER = "mailer"
SMTP_SECRET = "smtp-secret-never-logged"
LOOPBACK_NAMES = ("127.0.0.1", "localhost")
ENCRYPTIONS = ("starttls", "tls", "none")


class Inbox:
    def __init__(self, encryption: str = "starttls"):
        self.encryption = encryption
        self.messages: list[email.message.Message] = []
        self.envelopes = []
        self.encrypted: list[bool] = []  # per message: whether it came over TLS
        self.logins: list[tuple[str, bool]] = []  # every login tried: (user, over TLS)
        self.answer = "250 OK"  # e.g. "451 4.3.0 try later" or "550 5.1.1 no such user"
        self.senders_refused: set[str] = set()  # MAIL FROM addresses answered 553 (not ours to send from)
        self.delay_seconds = 0.0
        self.port = 0
        # Notified on every arrival, so a test waits for the mail itself rather than polling.
        self.arrival = threading.Condition()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if address in self.senders_refused:
            return "553 5.7.1 Sender address rejected: not owned by user"
        envelope.mail_from = address  # what aiosmtpd does without this hook
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        if not self.answer.startswith("250"):
            return self.answer
        self.envelopes.append(envelope)
        self.encrypted.append(_over_tls(server))
        with self.arrival:
            self.messages.append(email.message_from_bytes(envelope.original_content))
            self.arrival.notify_all()
        return "250 OK"

    def wait_for(self, arrived, timeout: float):
        """Block until `arrived(messages)` gives something truthy (checked on every arrival) and
        return it; after `timeout` seconds without it, return what it gives then (falsy)."""
        with self.arrival:
            self.arrival.wait_for(lambda: arrived(self.messages), timeout)
            return arrived(self.messages)

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        """aiosmtpd's authenticator: SMTP_USER with SMTP_SECRET may log in; every try is noted."""
        # handled=False: aiosmtpd then answers a refusal with 535 (else it answers nothing at all).
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        self.logins.append((auth_data.login.decode(errors="replace"), _over_tls(server)))
        ok = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_SECRET.encode()
        return AuthResult(success=ok, handled=False)

    def deliver(self) -> list[email.message.Message]:
        """One round of the mail worker; every message that has arrived so far."""
        from microgigs.mail_worker import deliver_due_mail

        deliver_due_mail()
        return self.messages

    def to(self, address: str) -> list[email.message.Message]:
        return [m for m in self.messages if m["To"] == address]


def _over_tls(server) -> bool:
    return server.transport is not None and server.transport.get_extra_info("ssl_object") is not None


def mail_parts(message) -> dict[str, str]:
    return {part.get_content_type(): part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart()}


# --- the server's certificate -------------------------------------------------------------


@dataclass(frozen=True)
class Certificate:
    cert_file: str  # PEM: what the server shows, and what the app is told to trust
    key_file: str


@functools.cache
def _certificates_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="microgigs-smtp-certs-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@functools.cache
def certificate(*names: str, expired: bool = False) -> Certificate:
    """A self-signed certificate for `names` (host names or IP addresses; loopback's by default),
    made once per test session; `expired`: its validity ended yesterday."""
    names = names or LOOPBACK_NAMES
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.now(UTC) - timedelta(days=3 if expired else 0)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([_alt_name(name) for name in names]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    stem = "-".join(names).replace(":", "_") + ("-expired" if expired else "")
    cert_file, key_file = _certificates_dir() / f"{stem}.crt", _certificates_dir() / f"{stem}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return Certificate(str(cert_file), str(key_file))


def _alt_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _server_tls(cert: Certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert.cert_file, cert.key_file)
    return context


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_smtp_server(encryption: str = "starttls", cert: Certificate | None = None) -> tuple[Inbox, Controller]:
    """A server on a free loopback port speaking `encryption`: "starttls" (offered, and required
    before mail or a login), "tls" (from the first byte) or "none" (clear text, no STARTTLS; it
    takes a login in clear, as a careless server would). `cert`: loopback's by default."""
    assert encryption in ENCRYPTIONS, encryption
    inbox, port = Inbox(encryption), free_port()
    tls = _server_tls(cert or certificate())
    options = {"starttls": {"tls_context": tls, "require_starttls": True}, "tls": {"ssl_context": tls}, "none": {}}[encryption]
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        # aiosmtpd counts only STARTTLS as TLS; under implicit TLS every login is encrypted anyway.
        auth_require_tls=encryption == "starttls",
        auth_exclude_mechanism=["CRAM-MD5"],
        **options,
    )
    controller.start()
    inbox.port = port
    return inbox, controller


def smtp_settings(port: int, encryption: str = "starttls", trusted: Certificate | None = None) -> dict[str, str]:
    """The MICROGIGS_* settings that send the app's mail to this server: encrypted as it is, its
    certificate trusted (`trusted`: loopback's by default), logging in only when encrypted."""
    encrypted = encryption != "none"
    values = {
        "MICROGIGS_SMTP_HOST": "127.0.0.1",
        "MICROGIGS_SMTP_PORT": str(port),
        "MICROGIGS_SMTP_STARTTLS": str(encryption == "starttls").lower(),
        "MICROGIGS_SMTP_TLS": str(encryption == "tls").lower(),
        "MICROGIGS_SMTP_CA_FILE": (trusted or certificate()).cert_file if encrypted else "",
        "MICROGIGS_SMTP_USER": SMTP_USER if encrypted else "",
        "MICROGIGS_SMTP_PASSWORD": SMTP_SECRET if encrypted else "",
        "MICROGIGS_SMTP_TIMEOUT_SECONDS": "5",
        "MICROGIGS_MAIL_FROM": "MicroGigs <gigs@uni.test>",
    }
    return values


def use_settings(monkeypatch, values: dict[str, str]) -> None:
    """Set MICROGIGS_* variables for this test and make the app read them afresh."""
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    settings.get_settings.cache_clear()


class _Servers:
    """The loopback SMTP servers of one test, each stopped when the test ends."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.controllers: list[Controller] = []

    def serve(self, encryption: str = "starttls", cert: Certificate | None = None, **overrides: str) -> Inbox:
        inbox, controller = start_smtp_server(encryption, cert)
        self.controllers.append(controller)
        if not os.environ.get("MICROGIGS_PUBLIC_URL"):
            self.monkeypatch.setenv("MICROGIGS_PUBLIC_URL", "https://gigs.uni.test")
        use_settings(self.monkeypatch, {**smtp_settings(inbox.port, encryption), **overrides})
        return inbox

    def stop(self) -> None:
        for controller in self.controllers:
            controller.stop()
        settings.get_settings.cache_clear()


@pytest.fixture
def serve_smtp(monkeypatch):
    """Start a loopback SMTP server and point the mail settings at it:
    `serve_smtp(encryption="starttls", cert=None, **settings)`, where settings override what
    `smtp_settings` gives (e.g. MICROGIGS_SMTP_CA_FILE=""). The public URL (in the mail's links)
    is https://gigs.uni.test unless the test already set one."""
    servers = _Servers(monkeypatch)
    yield servers.serve
    servers.stop()


@pytest.fixture
def smtp_server(monkeypatch):
    """The app's default: STARTTLS, the server's self-signed certificate trusted through
    MICROGIGS_SMTP_CA_FILE, a login over TLS."""
    servers = _Servers(monkeypatch)
    yield servers.serve()
    servers.stop()

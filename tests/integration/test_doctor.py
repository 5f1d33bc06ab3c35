"""`microgigs doctor` against the real outside world on loopback: an SMTP server, the Stripe fake,
a throwaway redis-server, a SQLite or PostgreSQL database, the data folder on disk. A good
install is found good; each thing a campus IT person can get wrong is named in plain words with
what to do, and what would put people at risk is marked dangerous."""

import shutil
import socket

import pytest

from microgigs import cli, db, settings
from microgigs.db import session_scope
from microgigs.models import User
from microgigs.operations import doctor
from tests.conftest import ON_POSTGRES
from tests.integration.test_credential_routes import credential  # noqa: F401  (a fixture: an issued credential)
from tests.integration.test_live_redis import redis_url  # noqa: F401  (a fixture: a throwaway redis-server)
from tests.migrations import empty_postgres_database
from tests.smtp_server import serve_smtp, use_settings  # noqa: F401  (serve_smtp: the real SMTP server fixture)
from tests.stripe_fake.server import running_fake
from tests.stripe_fake.world import CONNECT_SECRET, PLATFORM_SECRET, SECRET_KEY

pytestmark = pytest.mark.usefixtures("configured")


@pytest.fixture
def stripe_fake():
    with running_fake(secret_key=SECRET_KEY, webhook_secret=PLATFORM_SECRET, connect_webhook_secret=CONNECT_SECRET) as fake:
        yield fake


@pytest.fixture
def good_install(monkeypatch, serve_smtp, stripe_fake, tmp_path):  # noqa: F811
    """An https install with mail, Stripe and a private data folder, as the README says to set it up."""
    serve_smtp()
    tmp_path.chmod(0o700)
    use_settings(
        monkeypatch,
        {
            "MICROGIGS_PUBLIC_URL": "https://gigs.uni.test",
            "MICROGIGS_DEMO_MODE": "false",
            "MICROGIGS_PAYMENT_GATEWAY": "stripe",
            "MICROGIGS_STRIPE_SECRET_KEY": SECRET_KEY,
            "MICROGIGS_STRIPE_WEBHOOK_SECRET": PLATFORM_SECRET,
            "MICROGIGS_STRIPE_CONNECT_WEBHOOK_SECRET": CONNECT_SECRET,
            "MICROGIGS_STRIPE_API_BASE": stripe_fake.url,
        },
    )
    monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)
    monkeypatch.delenv("GRANIAN_WORKERS", raising=False)
    return stripe_fake


def _findings(topic: str) -> list[doctor.Finding]:
    return [f for f in doctor.examine() if f.topic == topic]


def _only(topic: str) -> doctor.Finding:
    found = _findings(topic)
    assert len(found) == 1, found
    return found[0]


def test_a_good_install_is_found_good_and_says_what_was_checked(good_install, capsys):
    findings = doctor.examine()

    assert [f for f in findings if f.level != "ok"] == []
    assert {f.topic for f in findings} >= {
        "Public URL",
        "Data folder",
        "Database",
        "Signing keys",
        "Redis",
        "Mail",
        "Stripe",
        "Center settings",
    }
    assert "accepts gigs@uni.test as the sender" in _only("Mail").text
    assert "acct_platform" in _only("Stripe").text
    assert ("GET", "/v1/account") in good_install.fake.requests  # the key was really tried

    assert cli.main(["doctor"]) == 0
    assert "Nothing to fix." in capsys.readouterr().out


def test_the_mail_check_sends_nothing(good_install, serve_smtp):  # noqa: F811
    inbox = serve_smtp()

    assert _only("Mail").level == "ok"
    assert inbox.messages == []


def test_a_sender_the_mail_server_refuses_is_named_with_the_setting_to_change(good_install, serve_smtp):  # noqa: F811
    inbox = serve_smtp()
    inbox.senders_refused.add("gigs@uni.test")

    mail = _only("Mail")

    assert mail.level == "problem"
    assert "refuses gigs@uni.test as the sender" in mail.text and "MICROGIGS_MAIL_FROM" in mail.text


def test_a_mail_server_that_is_not_there(good_install, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    use_settings(monkeypatch, {"MICROGIGS_SMTP_PORT": str(closed_port)})

    mail = _only("Mail")

    assert mail.level == "problem"
    assert "could not reach the SMTP server" in mail.text and str(closed_port) in mail.text


def test_no_mail_server_on_a_real_install_is_a_problem(good_install, monkeypatch):
    use_settings(monkeypatch, {"MICROGIGS_SMTP_HOST": ""})

    mail = _only("Mail")

    assert mail.level == "problem" and "MICROGIGS_SMTP_HOST" in mail.text


def test_a_stripe_key_stripe_refuses(good_install, monkeypatch):
    use_settings(monkeypatch, {"MICROGIGS_STRIPE_SECRET_KEY": "sk_test_typo"})

    stripe = _only("Stripe")

    assert stripe.level == "problem" and "refused MICROGIGS_STRIPE_SECRET_KEY" in stripe.text


def test_stripe_without_a_webhook_secret_is_dangerous(good_install, monkeypatch):
    use_settings(monkeypatch, {"MICROGIGS_STRIPE_CONNECT_WEBHOOK_SECRET": ""})

    dangers = [f for f in _findings("Stripe") if f.level == "danger"]

    assert len(dangers) == 1
    assert "MICROGIGS_STRIPE_CONNECT_WEBHOOK_SECRET is empty" in dangers[0].text
    assert "https://gigs.uni.test/api/stripe/connect-webhook" in dangers[0].text  # where to point Stripe


def test_a_data_folder_others_can_read(good_install, tmp_path):
    tmp_path.chmod(0o755)

    folder = _only("Data folder")

    assert folder.level == "problem" and f"chmod 700 {tmp_path}" in folder.text


def test_a_plain_http_address_for_students(good_install, monkeypatch):
    use_settings(monkeypatch, {"MICROGIGS_PUBLIC_URL": "http://gigs.uni.test"})

    assert _only("Public URL").level == "problem"


def test_an_address_with_a_query_is_named_as_such(good_install, monkeypatch):
    use_settings(monkeypatch, {"MICROGIGS_PUBLIC_URL": "https://uni.test/?campus=1"})

    url = _only("Public URL")

    assert url.level == "problem" and "a query or fragment" in url.text and "https://uni.test" in url.text


def test_center_defaults_the_settings_page_would_refuse_are_named_by_their_variable(good_install, monkeypatch):
    # White on #999999 is 2.85:1; Stripe cannot settle Kuwaiti dinars' three decimals; a fee of 80 %.
    use_settings(monkeypatch, {"MICROGIGS_BRAND_COLOR": "#999999", "MICROGIGS_CURRENCY": "kwd", "MICROGIGS_PLATFORM_FEE_PERCENT": "80"})

    problems = {f.text.split(":")[0]: f for f in _findings("Center settings")}

    assert set(problems) == {"MICROGIGS_BRAND_COLOR", "MICROGIGS_CURRENCY", "MICROGIGS_PLATFORM_FEE_PERCENT"}
    assert all(f.level == "problem" for f in problems.values())
    assert "darker" in problems["MICROGIGS_BRAND_COLOR"].text

    use_settings(monkeypatch, {"MICROGIGS_BRAND_COLOR": "#1d4ed8", "MICROGIGS_CURRENCY": "eur", "MICROGIGS_PLATFORM_FEE_PERCENT": "5"})
    assert _only("Center settings").level == "ok"


def test_an_address_with_a_path(good_install, monkeypatch):
    use_settings(monkeypatch, {"MICROGIGS_PUBLIC_URL": "https://uni.test/gigs"})

    url = _only("Public URL")

    assert url.level == "problem" and "https://uni.test" in url.text


def test_demo_accounts_on_an_https_install_are_dangerous(good_install):
    with session_scope() as session:
        session.add(User(email="sam@demo.microgigs.test", display_name="Sam Demo", role="student", password_hash="x"))

    demo = _only("Demo accounts")

    assert demo.level == "danger" and "empty database" in demo.text


def test_demo_mode_on_an_https_install_is_dangerous(good_install, monkeypatch):
    use_settings(monkeypatch, {"MICROGIGS_DEMO_MODE": "true"})

    assert _only("Demo mode").level == "danger"


def test_credentials_without_their_signing_keys_are_dangerous(credential, good_install):  # noqa: F811
    # A credential as approval issues it (made before the install turned to Stripe), then the
    # keys folder lost, as a restore without it would leave it.
    assert _only("Signing keys").level == "ok"
    shutil.rmtree(settings.get_settings().keys_dir)

    keys = _only("Signing keys")

    assert keys.level == "danger" and "1 credential(s) were issued" in keys.text and "Restore the keys folder" in keys.text


@pytest.fixture
def empty_database(request, tmp_path):
    """The URL of a database with nothing in it yet, of the kind this run tests."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with empty_postgres_database(request.getfixturevalue("postgres_server")) as url:
        yield url


def test_a_database_not_migrated(good_install, monkeypatch, empty_database):
    use_settings(monkeypatch, {"MICROGIGS_DATABASE_URL": empty_database})
    db.get_engine.cache_clear()

    database = _only("Database")

    assert database.level == "problem" and "empty (no migrations applied)" in database.text and "microgigs start" in database.text


def test_redis_set_and_answering(good_install, monkeypatch, redis_url):  # noqa: F811
    monkeypatch.setenv("REFLEX_REDIS_URL", redis_url)

    assert _only("Redis").level == "ok"


def test_redis_set_but_not_answering(good_install, monkeypatch):
    monkeypatch.setenv("REFLEX_REDIS_URL", "redis://:hunter2@127.0.0.1:1/0")

    redis = _only("Redis")

    assert redis.level == "problem" and "cannot be reached" in redis.text
    assert "hunter2" not in redis.text  # a password in the URL is not printed


def test_several_workers_without_redis(good_install, monkeypatch):
    monkeypatch.setenv("GRANIAN_WORKERS", "2")

    assert _only("Redis").level == "problem"


def test_the_command_exits_1_and_says_what_to_fix(good_install, monkeypatch, capsys):
    use_settings(monkeypatch, {"MICROGIGS_STRIPE_WEBHOOK_SECRET": ""})

    assert cli.main(["doctor"]) == 1

    out = capsys.readouterr()
    assert "DANGER   Stripe: MICROGIGS_STRIPE_WEBHOOK_SECRET is empty" in out.out
    assert "Fix what is marked PROBLEM or DANGER" in out.err

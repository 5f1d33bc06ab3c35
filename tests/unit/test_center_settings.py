"""Writing the center's own settings (services/center_settings.py): admins only, each field
checked (all wrong ones at once, nothing written), null where the environment is the default,
one audit event per save, the logo checked from its bytes, applied at once."""

import json
import struct
import zlib
from decimal import Decimal

import pytest
from sqlmodel import select

from microgigs.models import AuditEvent, CenterSettings
from microgigs.services import accounts, center, center_settings
from microgigs.services.center_settings import CenterSettingsForm, contrast_with_white
from microgigs.services.errors import NotAllowed
from microgigs.services.validation import ValidationFailed
from microgigs.settings import get_settings
from tests.unit.conftest import PASSWORD


def png(width: int = 1, height: int = 1) -> bytes:
    """A real PNG of this size (grey pixels)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def jpeg(width: int = 16, height: int = 8) -> bytes:
    """A JPEG's header as far as its frame (size) marker: APP0 (JFIF), then SOF0."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def webp(width: int = 32, height: int = 20) -> bytes:
    """A WebP with an extended (VP8X) header."""
    body = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def form(**fields) -> CenterSettingsForm:
    """A form as the page sends it: every field blank (the environment's) but these."""
    return CenterSettingsForm(**fields)


@pytest.fixture
def admin(session):
    user = accounts.create_privileged_user(session, email="admin@example.edu", display_name="Admin", password=PASSWORD, role="admin")
    session.flush()
    return user


def refusal(session, admin, **fields) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as raised:
        center_settings.save(session, admin, form(**fields))
    return raised.value.errors


# --- who may -------------------------------------------------------------------------------------


def test_only_admins_read_and_change_the_settings(session, make, admin):
    people = {"visitor": None, "student": make.student(), "manager": make.employer().manager, "staff": make.staff()}
    for person in people.values():
        for call in (
            lambda: center_settings.form_values(session, person),
            lambda: center_settings.save(session, person, form(name="Taken over")),
            lambda: center_settings.save_logo(session, person, "logo.png", png()),
            lambda: center_settings.remove_logo(session, person),
        ):
            with pytest.raises(NotAllowed):
                call()
    assert session.get(CenterSettings, center.ROW_ID) is None, "a refused save wrote the row"
    assert center_settings.form_values(session, admin).name == "MicroGigs"


def test_an_admin_whose_address_is_unconfirmed_may_not(session, admin):
    admin.email_verified = False
    with pytest.raises(NotAllowed):
        center_settings.save(session, admin, form(name="Career Hub"))


# --- the form's values ---------------------------------------------------------------------------


def test_the_form_shows_the_environments_values_and_says_where_they_come_from(session, admin, set_setting):
    set_setting("platform_fee_percent", "2.90")
    set_setting("pay_floor_cents_per_hour", "2050")
    values = center_settings.form_values(session, admin)
    assert (values.name, values.currency, values.platform_fee_percent) == ("MicroGigs", "USD", "2.9")
    assert (values.pay_floor_cents_per_hour, values.platform_fee_fixed_cents, values.auto_approve_days) == ("20.50", "0", "7")
    assert values.defaults["platform_fee_percent"] == "MICROGIGS_PLATFORM_FEE_PERCENT = 2.9"
    assert values.defaults["name"] == "MICROGIGS_CENTER_NAME = MicroGigs"
    assert values.defaults["revision_rounds"] == "MICROGIGS_DEFAULT_REVISION_ROUNDS = 2"
    assert values.defaults["pay_floor_cents_per_hour"] == "MICROGIGS_PAY_FLOOR_CENTS_PER_HOUR = 2050 (20.50 USD)"
    assert values.defaults["help_text"] == "MICROGIGS_HELP_TEXT (empty: MicroGigs' own text)"
    assert values.defaults["contact_email"] == "MICROGIGS_CONTACT_EMAIL (empty)"
    assert (values.currency_name, values.minor_units, values.logo_url) == ("US dollars", 2, "")

    center_settings.save(session, admin, form(name="Career Hub", platform_fee_percent="5"))
    values = center_settings.form_values(session, admin)
    assert (values.name, values.platform_fee_percent) == ("Career Hub", "5")
    assert "name" not in values.defaults and "platform_fee_percent" not in values.defaults
    assert "currency" in values.defaults


# --- saving ------------------------------------------------------------------------------------


def test_a_save_stores_each_field_and_is_in_effect_at_once(session, admin):
    assert center.current(session).name == "MicroGigs"  # read and kept
    center_settings.save(
        session,
        admin,
        form(
            name="  Career   Hub ",
            contact_email="Help@Uni.EDU",
            brand_color="1D4ED8",
            help_text="# Help\r\nAsk us.",
            currency="eur",
            platform_fee_percent="2.5",
            platform_fee_fixed_cents="1.50",
            pay_floor_cents_per_hour="18",
            auto_approve_days="0",
            revision_rounds="3",
            student_email_domains="Uni.edu, @alumni.uni.edu",
        ),
    )
    session.commit()  # the commit's `center` notice drops the kept settings
    now = center.current(session)
    assert (now.name, now.contact_email, now.brand_color, now.help_text) == ("Career Hub", "help@uni.edu", "#1d4ed8", "# Help\nAsk us.")
    assert (now.currency, now.platform_fee_percent, now.platform_fee_fixed_cents, now.pay_floor_cents_per_hour) == (
        "eur",
        Decimal("2.5"),
        150,
        1800,
    )
    assert (now.auto_approve_days, now.revision_rounds, now.student_email_domains) == (0, 3, ("uni.edu", "alumni.uni.edu"))
    row = session.get(CenterSettings, center.ROW_ID)
    assert (row.currency, row.platform_fee_percent, row.brand_color) == ("eur", "2.5", "#1d4ed8")
    assert row.updated_by_id == admin.id and row.updated_at is not None


def test_blank_or_equal_to_the_environment_is_stored_as_null_so_the_environment_stays_the_default(session, admin, set_setting):
    center_settings.save(session, admin, form(name="Career Hub", platform_fee_percent="5", currency="EUR"))
    session.commit()
    # The page sends back what it showed: the environment's values for the others.
    center_settings.save(session, admin, form(name="", platform_fee_percent="10.00", currency="usd", auto_approve_days="7"))
    session.commit()
    row = session.get(CenterSettings, center.ROW_ID)
    assert all(getattr(row, name) is None for name in center.FIELDS), {name: getattr(row, name) for name in center.FIELDS}
    # ... so a later change of the environment shows.
    set_setting("center_name", "Uni Careers")
    set_setting("platform_fee_percent", "7")
    center.clear()
    now = center.current(session)
    assert (now.name, now.platform_fee_percent, now.saved) == ("Uni Careers", Decimal("7"), frozenset())


def test_the_amounts_are_read_in_the_currency_the_form_names(session, admin):
    center_settings.save(session, admin, form(currency="JPY", pay_floor_cents_per_hour="1,200", platform_fee_fixed_cents="50"))
    now = center.merged(session.get(CenterSettings, center.ROW_ID))
    assert (now.currency, now.pay_floor_cents_per_hour, now.platform_fee_fixed_cents) == ("jpy", 1200, 50)
    assert center_settings.form_values(session, admin).pay_floor_cents_per_hour == "1200"
    errors = refusal(session, admin, currency="JPY", pay_floor_cents_per_hour="1200.50")
    assert errors == {"pay_floor_cents_per_hour": "Enter the pay floor in whole Japanese yen, without a decimal point, like 450."}


def test_one_audit_event_names_each_changed_field_with_old_and_new_values(session, admin):
    center_settings.save(session, admin, form(name="Career Hub", terms_text="Be kind."))
    center_settings.save(session, admin, form(name="Uni Careers", terms_text="Be kind and fair.", revision_rounds="4"))
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "center_settings.changed").order_by(AuditEvent.id)).all()
    assert len(events) == 2
    last = events[-1]
    assert (last.actor_id, last.subject_type, last.subject_id) == (admin.id, "center_settings", 1)
    assert json.loads(last.detail)["changed"] == {
        "name": {"from": "Career Hub", "to": "Uni Careers"},
        "terms_text": "changed",  # long texts are not copied into the log
        "revision_rounds": {"from": None, "to": 4},  # None: the environment's
    }
    # Saving the same again changes nothing and records nothing.
    center_settings.save(session, admin, form(name="Uni Careers", terms_text="Be kind and fair.", revision_rounds="4"))
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "center_settings.changed")).all()) == 2


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("name", "x" * 81, "Use at most 80 characters (you have 81)."),
        ("contact_email", "help at uni", "Enter an email address like help@uni.edu, or leave it blank."),
        ("brand_color", "blue", "Enter a colour as #RRGGBB, for example #1d4ed8."),
        ("brand_color", "#12345", "Enter a colour as #RRGGBB, for example #1d4ed8."),
        ("help_text", "x" * 20_001, "Use at most 20,000 characters (you have 20,001)."),
        ("privacy_text", "x" * 20_001, "Use at most 20,000 characters (you have 20,001)."),
        ("currency", "XTS", "Enter a current ISO 4217 currency code, like USD, EUR or JPY."),
        ("currency", "DEM", "Enter a current ISO 4217 currency code, like USD, EUR or JPY."),
        ("currency", "dollars", "Enter a current ISO 4217 currency code, like USD, EUR or JPY."),
        ("platform_fee_percent", "50.5", "Enter the fee as a percent from 0 to 50, with at most two decimals, like 10 or 2.9."),
        ("platform_fee_percent", "2.999", "Enter the fee as a percent from 0 to 50, with at most two decimals, like 10 or 2.9."),
        ("platform_fee_percent", "-1", "Enter the fee as a percent from 0 to 50, with at most two decimals, like 10 or 2.9."),
        ("platform_fee_percent", "1e1", "Enter the fee as a percent from 0 to 50, with at most two decimals, like 10 or 2.9."),
        ("platform_fee_fixed_cents", "-1", "Enter the fixed fee in US dollars without a minus sign, like 450."),
        ("pay_floor_cents_per_hour", "abc", "Enter the pay floor as a number of US dollars, like 450 or 450.50."),
        ("pay_floor_cents_per_hour", "2000000", "Enter the pay floor in US dollars, at most $1,000,000.00."),
        ("auto_approve_days", "91", "Enter a whole number of days from 0 (never) to 90."),
        ("auto_approve_days", "1.5", "Enter a whole number of days from 0 (never) to 90."),
        ("revision_rounds", "11", "Enter a whole number of rounds from 0 to 10."),
        (
            "student_email_domains",
            "uni.edu, not a domain",
            "not a domain is not a domain name. Separate domains with commas, like uni.edu, alumni.uni.edu.",
        ),
        ("student_email_domains", "uni..edu", "uni..edu is not a domain name. Separate domains with commas, like uni.edu, alumni.uni.edu."),
        ("student_email_domains", "-uni.edu", "-uni.edu is not a domain name. Separate domains with commas, like uni.edu, alumni.uni.edu."),
        (
            "student_email_domains",
            "localhost",
            "localhost is not a domain name. Separate domains with commas, like uni.edu, alumni.uni.edu.",
        ),
        ("student_email_domains", ",".join(f"u{n}.edu" for n in range(21)), "List at most 20 domains (you have 21)."),
    ],
)
def test_each_wrong_field_is_refused_with_its_message(session, admin, field, typed, message):
    assert refusal(session, admin, **{field: typed}) == {field: message}
    assert session.get(CenterSettings, center.ROW_ID) is None


def test_every_wrong_field_is_named_at_once_and_nothing_is_written(session, admin):
    errors = refusal(session, admin, name="Career Hub", brand_color="#ffff00", currency="XTS", revision_rounds="99")
    assert set(errors) == {"brand_color", "currency", "revision_rounds"}
    assert session.get(CenterSettings, center.ROW_ID) is None
    assert not session.exec(select(AuditEvent).where(AuditEvent.action == "center_settings.changed")).all()


@pytest.mark.parametrize(
    ("color", "ratio"),
    [("#767676", 4.54), ("#777777", 4.48), ("#1d4ed8", 6.70), ("#ffffff", 1.0), ("#000000", 21.0)],
)
def test_the_contrast_of_white_text_follows_wcag(color, ratio):
    assert round(contrast_with_white(color), 2) == ratio


def test_a_colour_white_text_cannot_be_read_on_is_refused_with_its_ratio(session, admin):
    assert refusal(session, admin, brand_color="#777777") == {
        "brand_color": "White text on #777777 has a contrast ratio of 4.47:1; it needs at least 4.5:1 (WCAG AA). Pick a darker colour."
    }
    center_settings.save(session, admin, form(brand_color="#767676"))  # 4.54:1 passes
    center_settings.save(session, admin, form(brand_color="036"))  # short form, no "#": #003366
    assert session.get(CenterSettings, center.ROW_ID).brand_color == "#003366"


def test_domains_are_stored_lower_case_without_repeats_and_international_ones_in_ascii(session, admin):
    center_settings.save(session, admin, form(student_email_domains="UNI.edu\nuni.edu, @Alumni.Uni.edu, bücher.de"))
    assert session.get(CenterSettings, center.ROW_ID).student_email_domains == "uni.edu,alumni.uni.edu,xn--bcher-kva.de"


# --- the logo ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "extension", "content_type"),
    [(png(3, 2), ".png", "image/png"), (jpeg(), ".jpg", "image/jpeg"), (webp(), ".webp", "image/webp")],
)
def test_a_png_jpeg_or_webp_logo_is_stored_by_its_hash(session, admin, data, extension, content_type):
    import hashlib

    # The name the browser sent says nothing: the bytes decide.
    now = center_settings.save_logo(session, admin, "whatever.gif", data)
    name = f"logo-{hashlib.sha256(data).hexdigest()[:32]}{extension}"
    assert now.logo_url == f"/api/center/logo/{name}"
    stored = get_settings().branding_dir / name
    assert stored.read_bytes() == data
    assert oct(stored.stat().st_mode & 0o777) == "0o600" and oct(stored.parent.stat().st_mode & 0o777) == "0o700"
    row = session.get(CenterSettings, center.ROW_ID)
    assert (row.logo_file, row.logo_content_type) == (name, content_type)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "center_settings.logo_changed")).one()
    assert json.loads(event.detail) == {"old": None, "new": name, "uploaded_as": "whatever.gif"}


def test_a_new_logo_replaces_the_old_and_keeps_its_file_and_removing_it_shows_none(session, admin):
    first = center_settings.save_logo(session, admin, "a.png", png(1, 1)).logo_url
    second = center_settings.save_logo(session, admin, "b.png", png(2, 2)).logo_url
    assert first != second
    assert len(list(get_settings().branding_dir.iterdir())) == 2  # mail already sent shows the old one
    session.commit()
    assert center.current(session).logo_url == second
    assert center_settings.remove_logo(session, admin).logo_url == ""
    session.commit()
    assert center.current(session).logo_url == ""
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "center_settings.logo_removed")).one().actor_id == admin.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', center_settings.LOGO_WRONG_TYPE),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", center_settings.LOGO_WRONG_TYPE),
        (b"<html><script>alert(1)</script></html>", center_settings.LOGO_WRONG_TYPE),  # named .png below
        (b"\x89PNG\r\n\x1a\n", center_settings.LOGO_WRONG_TYPE),  # a PNG's magic and no header
        (b"", "That file is empty."),
        (png(1, 1) + b"\x00" * (512 * 1024), "That logo is too large: at most 512 KB."),
        (png(2049, 1), "That image is 2049 × 1 pixels: at most 2048 × 2048 is accepted."),
        (jpeg(16, 3000), "That image is 16 × 3000 pixels: at most 2048 × 2048 is accepted."),
        (png(0, 5), "That image has no width or height."),
    ],
    ids=["svg", "gif", "html-named-png", "png-without-header", "empty", "over-512-kb", "too-wide", "too-tall-jpeg", "zero-width"],
)
def test_a_logo_that_is_not_a_small_png_jpeg_or_webp_is_refused(session, admin, data, message):
    with pytest.raises(ValidationFailed) as raised:
        center_settings.save_logo(session, admin, "logo.png", data)
    assert raised.value.errors == {"logo": message}
    assert session.get(CenterSettings, center.ROW_ID) is None
    assert not get_settings().branding_dir.exists() or not any(get_settings().branding_dir.iterdir())


def test_a_currency_the_payment_gateway_cannot_settle_is_refused(session, admin, set_setting):
    # The demo gateway takes any ISO currency; Stripe cannot settle the three-decimal dinar.
    center_settings.save(session, admin, form(currency="KWD"))
    assert center.current(session).currency == "kwd"

    set_setting("payment_gateway", "stripe")
    errors = refusal(session, admin, currency="KWD")

    assert set(errors) == {"currency"} and errors["currency"].startswith("Stripe takes Kuwaiti dinars only in tens")

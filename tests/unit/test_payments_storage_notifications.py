"""payments (fee, ledger invariant, idempotency), integrations.storage and
integrations.payments, notifications, validation helpers, policy."""

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from microgigs.integrations import payments as gateways
from microgigs.integrations.gateways import get_gateway
from microgigs.integrations.storage import FileStore, clean_display_name, extension_of
from microgigs.models import LedgerEntry, Notification, OutboxMail
from microgigs.services import engagements, notifications, payments, policy
from microgigs.services.payments import gateway as payment_gateway
from microgigs.services.payments.ledger import record_entry
from microgigs.services.validation import ValidationFailed, check_length, clean_text, is_http_url

# --- payments ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("pay", "fee"), [(30_000, 3_000), (0, 0), (1, 0), (5, 0), (15, 2), (99_999, 10_000)])
def test_platform_fee_is_ten_percent_by_default(session, pay, fee):
    assert payments.platform_fee_cents(session, pay) == fee


def test_platform_fee_follows_settings(session, set_setting):
    set_setting("platform_fee_percent", 5)
    set_setting("platform_fee_fixed_cents", 30)
    assert payments.platform_fee_cents(session, 10_000) == 530
    set_setting("platform_fee_percent", 0)
    set_setting("platform_fee_fixed_cents", 0)
    assert payments.platform_fee_cents(session, 10_000) == 0


def test_fee_settings_apply_to_new_engagements(session, make, set_setting):
    set_setting("platform_fee_percent", 12.5)
    set_setting("platform_fee_fixed_cents", 100)
    hired = make.hired(pay_cents=40_000)
    assert hired.engagement.fee_cents == 5_100
    balance = payments.balance(session, hired.engagement.id)
    assert (balance.funded, balance.platform_fee, balance.held) == (45_100, 5_100, 40_000) and balance.balanced


def test_ledger_balances_after_funding_and_after_payout(session, make):
    hired = make.hired(pay_cents=25_000)
    after_funding = payments.balance(session, hired.engagement.id)
    assert after_funding.balanced and after_funding.held == 25_000 and after_funding.transferred == 0
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    after_payout = payments.balance(session, hired.engagement.id)
    assert after_payout.balanced and after_payout.held == 0 and after_payout.transferred == 25_000
    assert after_payout.funded == after_funding.funded
    rows = session.exec(select(LedgerEntry).where(LedgerEntry.engagement_id == hired.engagement.id).order_by(LedgerEntry.id)).all()
    assert [(r.kind, r.amount_cents) for r in rows] == [
        ("funded", 27_500),
        ("platform_fee", 2_500),
        ("held", 25_000),
        ("held", -25_000),
        ("transferred", 25_000),
    ]
    assert all(r.currency == "usd" and r.gateway == "demo" for r in rows)
    assert rows[-1].gateway_ref == f"demo_transfer_{hired.engagement.id}"


def test_ledger_balance_counts_a_kill_fee_as_transferred(session, make):
    hired = make.hired(pay_cents=20_000)
    session.add(LedgerEntry(engagement_id=hired.engagement.id, kind="held", amount_cents=-20_000, idempotency_key="k1"))
    session.add(LedgerEntry(engagement_id=hired.engagement.id, kind="kill_fee", amount_cents=5_000, idempotency_key="k2"))
    session.add(LedgerEntry(engagement_id=hired.engagement.id, kind="refunded", amount_cents=15_000, idempotency_key="k3"))
    session.flush()
    balance = payments.balance(session, hired.engagement.id)
    assert (balance.held, balance.transferred, balance.refunded) == (0, 5_000, 15_000) and balance.balanced


def test_an_unbalanced_ledger_is_detected(session, make):
    hired = make.hired()
    session.add(LedgerEntry(engagement_id=hired.engagement.id, kind="transferred", amount_cents=1, idempotency_key="stray"))
    session.flush()
    assert not payments.balance(session, hired.engagement.id).balanced


def test_empty_ledger_is_balanced(session):
    assert payments.balance(session, 12345) == payments.LedgerBalance(0, 0, 0, 0, 0)
    assert payments.balance(session, 12345).balanced


def test_repeating_a_money_movement_is_refused_by_the_database(session, make):
    hired = make.hired()
    session.commit()
    with pytest.raises(IntegrityError):
        payments.record_funded(session, hired.engagement, "again")
        session.flush()
    session.rollback()
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    # A second payout sends nothing (the pay is no longer held), and its ledger row is refused.
    assert payments.pay_out(session, hired.engagement) is False
    session.rollback()
    with pytest.raises(IntegrityError):
        record_entry(session, hired.engagement, "transferred", hired.engagement.pay_cents, f"engagement-{hired.engagement.id}-transfer")
        session.flush()
    session.rollback()
    assert payments.balance(session, hired.engagement.id).transferred == hired.engagement.pay_cents


def test_demo_gateway_and_unknown_gateway():
    demo = get_gateway("demo")
    assert demo.name == "demo" and "demo payments" in demo.label
    result = demo.start_funding(engagement_id=7, amount_cents=100, currency="usd", idempotency_key="k")
    assert result == gateways.FundingResult(reference="demo_charge_7", completed=True)
    transfer = demo.transfer_to_student(
        engagement_id=7, student_id=1, amount_cents=100, currency="usd", source_reference="x", idempotency_key="k"
    )
    assert transfer.reference == "demo_transfer_7"
    with pytest.raises(ValueError, match="Unknown payment gateway 'stripe-ish'"):
        get_gateway("stripe-ish")


def test_pay_out_passes_the_charge_as_source_and_our_idempotency_key(session, make, monkeypatch):
    seen = {}

    class Recording(gateways.DemoGateway):
        def transfer_to_student(self, **kwargs):
            seen.update(kwargs)
            return super().transfer_to_student(**kwargs)

    monkeypatch.setattr(payment_gateway, "current_gateway", lambda: Recording())
    hired = make.hired(pay_cents=21_000)
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    assert seen["source_reference"] == hired.engagement.checkout_ref
    assert seen["idempotency_key"] == f"engagement-{hired.engagement.id}-transfer"
    assert (seen["amount_cents"], seen["student_id"]) == (21_000, hired.student.id)


# --- storage ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\cv.docx", "cv.docx"),
        ("  .hidden.txt  ", "hidden.txt"),
        ("", "file"),
        ("...", "file"),
        ("a/b/", "file"),
        ("na\x00me\r\n.txt", "na_me_.txt"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        ("x" * 300 + ".PDF", "x" * 116 + ".PDF"),
        ("x" * 200, "x" * 120),
        ("x" * 100 + "." + "y" * 100, "x" * 100 + "." + "y" * 19),  # a "suffix" this long is not an extension
    ],
)
def test_clean_display_name(raw, clean):
    assert clean_display_name(raw) == clean
    assert len(clean_display_name(raw)) <= 120


def test_extension_of_is_lower_case():
    assert extension_of("Report.PDF") == ".pdf"
    assert extension_of("archive.tar.gz") == ".gz"
    assert extension_of("noext") == ""


def test_file_store_saves_under_a_generated_name_and_refuses_foreign_names(tmp_path):
    store = FileStore(tmp_path / "files")
    first = store.save(b"abc", "a.pdf")
    second = store.save(b"abc", "a.pdf")
    assert first.stored_name != second.stored_name
    assert store.path_of(first.stored_name).read_bytes() == b"abc"
    assert (first.size_bytes, first.content_type, first.display_name) == (3, "application/pdf", "a.pdf")
    for bad in ("../x.pdf", "/etc/passwd", "a.pdf", "0" * 32 + ".pdf/../../x", "0" * 32 + ".PDF", ""):
        with pytest.raises(ValueError):
            store.path_of(bad)
    store.delete(first.stored_name)
    assert not store.path_of(first.stored_name).exists()
    store.delete(first.stored_name)  # deleting twice is harmless


# --- notifications ----------------------------------------------------------------------------


def test_notify_with_email_writes_the_outbox_and_escapes_html(session, make):
    student = make.student("Ana <b>Bold</b>")
    notifications.notify(session, student.id, "test", "Hello <script>alert(1)</script>", "/engagements/1", email=True)
    notifications.notify(session, student.id, "test", "t" * 300)
    session.flush()
    mail = session.exec(select(OutboxMail)).one()
    assert mail.to_address == student.email
    assert "<script>" not in mail.html_body and "&lt;script&gt;" in mail.html_body
    assert "&lt;b&gt;Bold" in mail.html_body
    assert "http://localhost:3000/engagements/1" in mail.text_body
    titles = session.exec(select(Notification.title).where(Notification.user_id == student.id)).all()
    assert max(len(t) for t in titles) == 200


def test_unread_count_and_mark_all_read(session, make):
    student, other = make.student(), make.student()
    for n in range(3):
        notifications.notify(session, student.id, "test", f"Note {n}")
    notifications.notify(session, other.id, "test", "Other")
    session.flush()
    assert notifications.unread_count(session, student) == 3
    notifications.mark_all_read(session, student)
    session.flush()
    assert notifications.unread_count(session, student) == 0
    assert notifications.unread_count(session, other) == 1


# --- validation and policy helpers --------------------------------------------------------------


def test_clean_text_normalizes_and_drops_control_characters():
    assert clean_text("  e\u0301t\u00e9\x00\x1b \n") == "\u00e9t\u00e9"
    assert clean_text("line one\nline\ttwo") == "line one\nline\ttwo"
    assert clean_text(None) == ""


def test_check_length_and_validation_failed():
    errors: dict[str, str] = {}
    check_length(errors, "a", "", label="a thing", max_len=5)
    check_length(errors, "b", "toolong", label="b", max_len=5)
    check_length(errors, "c", "", label="c", max_len=5, required=False)
    assert errors == {"a": "Enter a thing.", "b": "Use at most 5 characters (you have 7)."}
    failure = ValidationFailed(errors)
    assert (failure.field, failure.message, failure.errors) == ("a", "Enter a thing.", errors)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com", True),
        ("http://x.io/a?b=c", True),
        ("javascript:alert(1)", False),
        ("//example.com", False),
        ("https://a b.com", False),
        ("mailto:a@b.c", False),
    ],
)
def test_is_http_url(url, ok):
    assert is_http_url(url) is ok


def test_policy_denies_by_default(session, make):
    employer = make.employer()
    student = make.student()
    staff = make.staff()
    assert not policy.is_student(None) and not policy.is_staff(None)
    assert policy.is_student(student) and not policy.is_student(employer.manager)
    assert policy.is_staff(staff) and not policy.is_staff(student)
    assert policy.organization_ids_managed_by(session, student) == []
    assert policy.organization_ids_managed_by(session, employer.manager) == [employer.org.id]
    employer.manager.is_active = False
    assert policy.organization_ids_managed_by(session, employer.manager) == []
    staff.is_active = False
    assert not policy.is_staff(staff)
    assert session.exec(select(func.count()).select_from(Notification)).one() == 0

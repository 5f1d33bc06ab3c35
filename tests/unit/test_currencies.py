"""The center's currency, with its minor units, wherever money is typed and shown: a new gig
takes the center's currency, a draft keeps its own, the pay floor compares in the gig's
currency, cards and receipts show each thing's own currency, and totals never add yen to dollars."""

from datetime import date

import pytest
from sqlmodel import select

from microgigs.models import Gig, LedgerEntry
from microgigs.services import center, engagements, gigs, money
from microgigs.services.search import BoardQuery, search_gigs
from microgigs.services.validation import ValidationFailed


def center_saves(session, **values) -> None:
    """What an admin's save at /admin/settings writes (services/center_settings.py)."""
    row = center.row_for_update(session)
    for name, value in values.items():
        setattr(row, name, value)
    session.commit()


def refusal(session, make, employer=None, **overrides) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as info:
        gigs.create_gig(session, (employer or make.employer()).manager, make.gig_input(**overrides))
    return info.value.errors


def paid(session, make, **gig):
    hired = make.hired(**gig)
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    return hired


def test_a_new_draft_takes_the_center_s_currency_and_keeps_it(session, make):
    employer = make.employer()
    before = make.gig(employer, publish=False)
    assert before.currency == "usd"
    center_saves(session, currency="eur")
    after = make.gig(employer, publish=False)
    assert after.currency == "eur"
    # The older draft keeps its own currency when edited: its pay was typed in dollars.
    edited = gigs.update_gig(session, employer.manager, before.id, gigs.draft_for_edit(session, employer.manager, before.id))
    assert (edited.currency, edited.pay_cents) == ("usd", 30_000)
    # Everything downstream carries the gig's currency: the engagement at acceptance, the ledger rows.
    hired = paid(session, make, employer=employer, pay_cents=45_000)
    assert (hired.gig.currency, hired.engagement.currency) == ("eur", "eur")
    rows = session.exec(select(LedgerEntry).where(LedgerEntry.engagement_id == hired.engagement.id)).all()
    assert rows and {r.currency for r in rows} == {"eur"}


def test_a_pay_typed_in_another_currency_than_the_gig_s_is_asked_again(session, make):
    center_saves(session, currency="jpy")
    errors = refusal(session, make, currency="usd", pay_cents=45_000)
    assert errors["pay_cents"] == "This gig's pay is in Japanese yen, not US dollars: enter it again."
    assert session.exec(select(Gig)).all() == []


def test_a_template_from_a_gig_in_another_currency_asks_for_the_pay_again(session, make):
    employer = make.employer()
    old = make.gig(employer)
    center_saves(session, currency="jpy")
    data = gigs.template_from(session, employer.manager, old.id)
    assert (data.currency, data.pay_cents) == ("jpy", 0)


def test_the_pay_floor_compares_in_the_gig_s_currency(session, make):
    employer = make.employer()
    old_draft = make.gig(employer, publish=False, estimated_hours=10, pay_cents=20_000)  # $20.00 an hour
    center_saves(session, currency="jpy", pay_floor_cents_per_hour=1_000)  # ¥1,000 an hour
    assert refusal(session, make, employer, estimated_hours=10, pay_cents=9_999)["pay_cents"] == (
        "Pay at least ¥1,000 an hour: ¥10,000 for 10 hours."
    )
    assert make.gig(employer, estimated_hours=10, pay_cents=10_000).currency == "jpy"
    # A draft in dollars from before is held to the environment's floor in dollars, not to 1,000 "cents".
    data = gigs.draft_for_edit(session, employer.manager, old_draft.id)
    data.pay_cents = 19_999
    with pytest.raises(ValidationFailed) as info:
        gigs.update_gig(session, employer.manager, old_draft.id, data)
    assert info.value.errors["pay_cents"] == "Pay at least $20.00 an hour: $200.00 for 10 hours."


def test_a_draft_in_a_currency_with_no_known_floor_is_not_compared_with_another_currency_s(session, make):
    employer = make.employer()
    center_saves(session, currency="eur")
    draft = make.gig(employer, publish=False, estimated_hours=10, pay_cents=30_000)
    center_saves(session, currency="jpy", pay_floor_cents_per_hour=5_000)
    data = gigs.draft_for_edit(session, employer.manager, draft.id)
    assert gigs.update_gig(session, employer.manager, draft.id, data).currency == "eur"


def test_a_board_card_shows_the_gig_s_own_currency(session, make):
    employer = make.employer()
    center_saves(session, currency="eur")
    euro = make.gig(employer, pay_cents=45_000)
    center_saves(session, currency="jpy")
    yen = make.gig(employer, pay_cents=45_000)
    cards = {c.id: c.pay for c in gigs.cards_by_ids(session, [euro.id, yen.id])}
    assert cards == {euro.id: "€450.00", yen.id: "¥45,000"}


def test_the_board_s_pay_filter_is_in_whole_units_of_the_center_s_currency(session, make):
    employer = make.employer()
    dollars = make.gig(employer, pay_cents=45_000)  # $450
    center_saves(session, currency="jpy")
    yen = make.gig(employer, pay_cents=45_000)  # ¥45,000
    found = search_gigs(session, BoardQuery.from_params({"pay_min": "40000"}), today=date.today()).gig_ids
    assert found == [yen.id]  # ¥45,000 >= ¥40,000; the dollar gig is not compared with yen
    assert dollars.id not in search_gigs(session, BoardQuery.from_params({"pay_min": "100"}), today=date.today()).gig_ids


def test_staff_money_totals_never_add_yen_to_dollars(session, make):
    employer = make.employer()
    paid(session, make, employer=employer, pay_cents=30_000)  # $300.00, fee $30.00
    center_saves(session, currency="jpy")
    paid(session, make, employer=employer, pay_cents=30_000)  # ¥30,000, fee ¥3,000
    totals, _ = money.money_overview(session, make.staff())
    shown = {t.label: t.amount for t in totals}
    assert shown["Funded by employers"] == "¥33,000 + $330.00"
    assert shown["Platform fees"] == "¥3,000 + $30.00"
    assert shown["Refunded to employers"] == "¥0"  # nothing: in the center's currency


def test_a_student_s_earnings_are_summed_per_currency(session, make):
    employer, student = make.employer(), make.student()
    paid(session, make, employer=employer, student=student, pay_cents=30_000)
    center_saves(session, currency="eur")
    paid(session, make, employer=employer, student=student, pay_cents=45_050)
    earnings = money.student_earnings(session, student)
    assert sorted(r.amount for r in earnings.rows) == ["$300.00", "€450.50"]
    assert earnings.paid == "€450.50 + $300.00"  # in code order: eur, usd


def test_a_receipt_is_in_the_engagement_s_currency(session, make):
    center_saves(session, currency="jpy")
    hired = paid(session, make, pay_cents=30_000)
    receipt = money.receipt(session, hired.employer.manager, hired.engagement.id)
    assert receipt.total == "¥33,000" and [line.amount for line in receipt.lines] == ["¥30,000", "¥3,000"]

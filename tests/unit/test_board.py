"""gigs.list_board: only open gigs, free-text search that is safe for any characters,
category filter and pagination."""

from datetime import timedelta

import pytest

from microgigs.services import closing, gigs


@pytest.fixture
def board(session, make):
    """Open gigs from two employers, plus gigs in states the board must not show."""
    northwind = make.employer("Northwind Analytics")
    acme = make.employer("Acme 50% Off_Store")
    titles = {
        "survey": make.gig(northwind, title="Clean a survey data set", summary="Tidy rows", category="Data analysis"),
        "logo": make.gig(acme, title="Design a logo", summary="Vector logo for a bakery", category="Design"),
        "percent": make.gig(northwind, title="Raise sign-ups by 100% in a month", summary="Growth plan", category="Marketing"),
        "underscore": make.gig(northwind, title="Rename snake_case columns", summary="Database tidy", category="Software"),
        "quotes": make.gig(northwind, title='Proofread the "O\'Brien" report', summary="Writing help", category="Writing"),
        "backslash": make.gig(northwind, title="Fix C:\\temp paths", summary="Windows scripts", category="Software"),
    }
    hidden = {
        "draft": make.gig(northwind, publish=False, title="Secret survey draft"),
        "review": make.gig(make.employer("Pending Review Co", trusted=False), title="Survey awaiting review"),
        "cancelled": make.gig(northwind, title="Cancelled survey"),
    }
    closing.cancel_gig(session, northwind.manager, hidden["cancelled"].id)
    return titles, hidden


def ids(page) -> set[int]:
    return {card.id for card in page.cards}


def test_board_lists_only_open_gigs(session, board):
    shown, hidden = board
    page = gigs.list_board(session)
    assert ids(page) == {g.id for g in shown.values()}
    assert page.total == len(shown)
    assert not ids(page) & {g.id for g in hidden.values()}
    assert all(card.status == "open" for card in page.cards)


def test_board_is_newest_first(session, board):
    cards = gigs.list_board(session).cards
    assert [c.id for c in cards] == sorted((c.id for c in cards), reverse=True)


def test_search_matches_title_summary_and_employer_case_insensitively(session, board):
    shown, _ = board
    assert ids(gigs.list_board(session, query="SURVEY")) == {shown["survey"].id}
    assert ids(gigs.list_board(session, query="bakery")) == {shown["logo"].id}
    assert ids(gigs.list_board(session, query="northwind")) == {
        shown[k].id for k in ("survey", "percent", "underscore", "quotes", "backslash")
    }
    assert ids(gigs.list_board(session, query="  logo  ")) == {shown["logo"].id}
    assert gigs.list_board(session, query="zebra").total == 0


def test_category_filter(session, board):
    shown, _ = board
    assert ids(gigs.list_board(session, category="Software")) == {shown["underscore"].id, shown["backslash"].id}
    assert ids(gigs.list_board(session, category="Software", query="snake")) == {shown["underscore"].id}
    assert gigs.list_board(session, category="Astrology").total == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Full-text search matches words; punctuation alone matches nothing and never errors.
        ("%", set()),
        ("_", set()),
        ("'", set()),
        ('"', set()),
        ("\\", set()),
        ("O'Brien", {"quotes"}),
        ('"O\'Brien"', {"quotes"}),
        ("C:\\temp", {"backslash"}),
        ("100%", {"percent"}),
        ("snake_case", {"underscore"}),
        ("%%", set()),
        ("s_n", set()),
        ("'; DROP TABLE gig; --", set()),
        ("\\%", set()),
        ("title:logo OR NEAR(a b) *", set()),
        ('logo"', {"logo"}),
    ],
)
def test_special_characters_search_literally(session, board, query, expected):
    shown, _ = board
    page = gigs.list_board(session, query=query)
    assert ids(page) == {shown[k].id for k in expected}
    assert page.total == len(expected)


def test_board_still_works_after_a_hostile_query(session, board):
    gigs.list_board(session, query="'; DROP TABLE gig; --")
    assert gigs.list_board(session).total == 6


def test_overlong_query_is_cut_not_refused(session, board):
    assert gigs.list_board(session, query="survey" + "x" * 5000).total == 0


def test_pagination_counts_and_clamps(session, make):
    employer = make.employer()
    for n in range(23):
        make.gig(employer, title=f"Gig number {n}")
    first = gigs.list_board(session, per_page=10)
    assert (first.total, first.page, first.pages, len(first.cards)) == (23, 1, 3, 10)
    last = gigs.list_board(session, page=3, per_page=10)
    assert (last.page, len(last.cards)) == (3, 3)
    assert gigs.list_board(session, page=99, per_page=10).page == 3
    assert gigs.list_board(session, page=0, per_page=10).page == 1
    assert gigs.list_board(session, page=-5, per_page=10).page == 1
    seen = [c.id for p in (1, 2, 3) for c in gigs.list_board(session, page=p, per_page=10).cards]
    assert len(seen) == len(set(seen)) == 23


def test_empty_board_has_one_empty_page(session, make):
    page = gigs.list_board(session)
    assert (page.cards, page.total, page.page, page.pages) == ([], 0, 1, 1)


def test_board_card_shows_what_students_need(session, make):
    employer = make.employer("Northwind")
    gig = make.gig(employer, pay_cents=45_000, skills=["SQL", "Excel"], estimated_hours=12)
    card = gigs.list_board(session).cards[0]
    assert (card.id, card.employer, card.pay, card.estimated_hours, card.skills) == (gig.id, "Northwind", "$450.00", 12, ["Excel", "SQL"])
    assert card.due_date == gig.due_date.isoformat()
    assert card.application_deadline == gig.application_deadline.isoformat()


def test_gigs_past_their_application_deadline_leave_the_board(session, board):
    shown, _ = board
    deadline = shown["logo"].application_deadline
    assert shown["logo"].id in ids(gigs.list_board(session, today=deadline))
    assert shown["logo"].id not in ids(gigs.list_board(session, today=deadline + timedelta(days=1)))

"""The board page and the gig page as visitors and students see them are read once and kept
(services/gigs/board_cache.py, services/kept_reads.py) — and never shown once a committed
change has altered them."""

import pytest
from sqlmodel import Session, select

from microgigs.models import Gig, Organization, ScreeningQuestion, Skill
from microgigs.services import applications, changes, gigs
from microgigs.services.gigs import board_cache
from microgigs.services.gigs.vocabulary import BOARD_PAGE_SIZE
from microgigs.services.search import BoardQuery

FIRST_PAGE = BoardQuery()


def _read(session: Session, filters: BoardQuery = FIRST_PAGE):
    session.rollback()  # a new read transaction, as each page load's unit of work is
    return board_cache.shared_board_page(session, filters, BOARD_PAGE_SIZE)


def _counts(kept=board_cache.BOARD_PAGES):
    return dict(kept.stats)


@pytest.fixture
def board(session, make):
    employer = make.employer("Northwind Analytics")
    first = make.gig(employer, title="Clean a survey data set", skills=["Python"])
    session.commit()
    return employer, first


def test_a_second_reader_gets_the_kept_page_equal_to_a_fresh_read(session, board):
    before = _counts()
    first = _read(session)
    second = _read(session)
    assert [c.title for c in first.cards] == ["Clean a survey data set"]
    assert second == first == gigs.list_board(session, filters=FIRST_PAGE, per_page=BOARD_PAGE_SIZE)
    assert _counts()["misses"] - before["misses"] == 1 and _counts()["hits"] - before["hits"] == 1


def test_each_url_is_kept_apart(session, board, make):
    employer, _ = board
    make.gig(employer, title="Design a poster series", skills=["Figma"], category="Design")
    session.commit()
    assert {c.title for c in _read(session).cards} == {"Clean a survey data set", "Design a poster series"}
    assert [c.title for c in _read(session, BoardQuery(category="Design")).cards] == ["Design a poster series"]
    assert [c.title for c in _read(session, BoardQuery(q="poster")).cards] == ["Design a poster series"]
    assert [c.title for c in _read(session, BoardQuery(category="Design")).cards] == ["Design a poster series"]  # kept


def test_a_new_gig_an_edit_and_a_closed_gig_show_at_once(session, board, make):
    employer, first = board
    _read(session)
    make.gig(employer, title="Write a grant report", skills=["SQL"])
    session.commit()
    assert {c.title for c in _read(session).cards} == {"Clean a survey data set", "Write a grant report"}

    gig = session.get(Gig, first.id)
    gig.title = "Clean two survey data sets"
    session.commit()
    assert "Clean two survey data sets" in {c.title for c in _read(session).cards}

    gig = session.get(Gig, first.id)
    gig.status = "cancelled"
    session.commit()
    assert [c.title for c in _read(session).cards] == ["Write a grant report"]


def test_an_employer_renamed_and_a_skill_renamed_show_at_once(session, board):
    employer, _ = board
    assert _read(session).cards[0].employer == "Northwind Analytics"
    session.get(Organization, employer.org.id).name = "Northwind Research"
    session.commit()
    assert _read(session).cards[0].employer == "Northwind Research"

    skill = session.exec(select(Skill).where(Skill.name == "Python")).one()
    skill.name = "Python 3"
    session.commit()
    assert _read(session).cards[0].skills == ["Python 3"]


def test_another_workers_change_notice_drops_the_kept_pages(session, board):
    _read(session)
    before = _counts()
    changes.tell_caches(frozenset({"gig:999", "board"}))  # what live's Redis fan-out calls
    _read(session)
    assert _counts()["misses"] - before["misses"] == 1
    # A notice about something the board does not show (an application, a message) keeps them.
    changes.tell_caches(frozenset({"gig:999", "engagement:4", "user:9"}))
    _read(session)
    assert _counts()["hits"] - before["hits"] == 1


def test_an_application_keeps_the_kept_pages(session, board, make):
    _, gig = board
    _read(session)
    student = make.student()
    make.apply(student, gig)
    session.commit()
    before = _counts()
    _read(session)
    assert _counts()["hits"] - before["hits"] == 1


def test_a_read_that_overlaps_a_change_is_not_kept(session, board, monkeypatch):
    real_list_board = board_cache.list_board

    def read_then_someone_commits(*args, **kwargs):
        page = real_list_board(*args, **kwargs)
        changes.tell_caches(frozenset({"board"}))  # a commit landing while this read was running
        return page

    monkeypatch.setattr(board_cache, "list_board", read_then_someone_commits)
    _read(session)
    monkeypatch.setattr(board_cache, "list_board", real_list_board)
    before = _counts()
    _read(session)
    assert _counts()["misses"] - before["misses"] == 1  # the overlapped read was not kept


def test_kept_pages_expire_and_readers_cannot_change_them(session, board, monkeypatch):
    page = _read(session)
    page.cards[0].title = "changed by one reader"
    page.cards[0].skills.append("changed too")
    again = _read(session)
    assert again.cards[0].title == "Clean a survey data set" and again.cards[0].skills == ["Python"]

    monkeypatch.setattr(board_cache.BOARD_PAGES, "max_age", 0.0)
    before = _counts()
    _read(session)
    assert _counts()["misses"] - before["misses"] == 1


def _gig_page(session, gig_id):
    session.rollback()
    return board_cache.shared_gig_page(session, gig_id)


def test_the_gig_page_is_kept_and_shows_changes_to_it_its_questions_and_its_employer_at_once(session, board):
    employer, gig = board
    kept = board_cache.GIG_PAGES
    first = _gig_page(session, gig.id)
    assert first == gigs.gig_detail(session, None, gig.id)
    before = _counts(kept)
    assert _gig_page(session, gig.id) == first and _counts(kept)["hits"] - before["hits"] == 1

    session.get(Gig, gig.id).scope = "Clean **two** data sets."
    session.commit()
    assert "<strong>two</strong>" in _gig_page(session, gig.id).scope_html

    session.add(ScreeningQuestion(gig_id=gig.id, position=9, text="Which tools do you use?"))
    session.commit()
    assert "Which tools do you use?" in [q.text for q in _gig_page(session, gig.id).questions]

    session.get(Organization, employer.org.id).name = "Northwind Research"
    session.commit()
    assert _gig_page(session, gig.id).card.employer == "Northwind Research"


def test_an_accepted_applicant_takes_a_slot_off_the_kept_gig_page_at_once(session, make):
    employer = make.employer()
    gig = make.gig(employer, slots=3)
    first, second = make.student(), make.student()
    first_application, second_application = make.apply(first, gig), make.apply(second, gig)
    session.commit()
    assert _gig_page(session, gig.id).slots_left == 3

    applications.accept(session, employer.manager, first_application.id)
    session.commit()
    assert _gig_page(session, gig.id).slots_left == 2
    applications.accept(session, employer.manager, second_application.id)
    session.commit()
    assert _gig_page(session, gig.id).slots_left == 1


def test_a_gig_closed_to_the_public_is_not_shown_from_the_kept_pages(session, board, make):
    employer, gig = board
    draft = make.gig(employer, title="A draft", publish=False)
    session.commit()
    assert _gig_page(session, gig.id) is not None and _gig_page(session, draft.id) is None
    session.get(Gig, gig.id).status = "cancelled"
    session.commit()
    assert _gig_page(session, gig.id) is None


def test_only_visitors_and_students_share_the_kept_gig_page(session, board, make):
    employer, _ = board
    assert board_cache.shares_the_public_gig_page(None)
    assert board_cache.shares_the_public_gig_page(make.student())
    assert not board_cache.shares_the_public_gig_page(employer.manager)
    assert not board_cache.shares_the_public_gig_page(make.staff())


def test_a_student_with_skills_gets_the_board_matched_to_them_and_not_the_kept_page(session, board, make):
    employer, _ = board
    make.gig(employer, title="Design a poster series", skills=["Figma"])
    session.commit()
    figma = session.exec(select(Skill).where(Skill.name == "Figma")).one()
    before = _counts()
    matched = board_cache.board_page_for(session, FIRST_PAGE, BOARD_PAGE_SIZE, [figma.id])
    assert _counts() == before  # read for this viewer, neither taken from nor added to the kept pages
    assert matched == gigs.list_board(session, filters=FIRST_PAGE, per_page=BOARD_PAGE_SIZE, match_skill_ids=[figma.id])
    assert board_cache.board_page_for(session, FIRST_PAGE, BOARD_PAGE_SIZE, []) == _read(session)

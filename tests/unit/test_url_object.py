"""Pages that show one object picked by their URL draw it only for that URL.

The browser half (the page compares `shown_for` with React Router's location during the render)
is checked in tests/e2e/test_shared_computers.py; here: every such page is built with that
check, and each state says which URL its data are for, whatever its load found.
"""

import pytest

from microgigs.components.url_object import _LOCATION_HOOK
from microgigs.state.gig_detail import GigDetailState
from microgigs.state.manage_gig import ManageGigState
from microgigs.state.organization import OrganizationState
from microgigs.state.portfolio import PublicPortfolioState
from microgigs.state.post_gig import PostGigState
from microgigs.state.url_object import url_key
from tests.unit.state_harness import run_handler, session_token, state_for

# Pages at a fixed path whose query string picks what they show.
OBJECT_IN_QUERY = {"organization", "verify", "join", "reset-password", "gigs/new"}


def _pages():
    from microgigs.microgigs import app

    return app._unevaluated_pages


def test_every_page_showing_an_object_picked_by_its_url_checks_the_url_while_it_draws():
    pages = _pages()
    picked = [route for route in pages if "[" in route or route in OBJECT_IN_QUERY]
    assert len(picked) >= 17
    unchecked = []
    for route in picked:
        page = pages[route]
        component = page.component() if callable(page.component) else page.component
        if _LOCATION_HOOK not in component._get_all_hooks():
            unchecked.append(route)
    assert unchecked == [], f"these pages draw their object without checking the URL: {unchecked}"


def test_url_key_is_the_path_or_the_path_and_query():
    assert url_key("/gigs/12") == "/gigs/12"
    assert url_key("/gigs/12", "tab=2") == "/gigs/12"
    assert url_key("/organization", "organization=3", with_query=True) == "/organization?organization=3"
    assert url_key("/organization", "", with_query=True) == "/organization"


def test_a_gigs_page_says_which_url_its_data_are_for_found_or_not(app_db, make):
    gig = make.gig(make.employer(), title="Chart the survey")
    app_db.commit()

    state = state_for(GigDetailState, f"/gigs/{gig.id}")
    run_handler("load_gig", state)
    assert (state.shown_for, state.card.title) == (f"/gigs/{gig.id}", "Chart the survey")

    state = state_for(GigDetailState, "/gigs/99999")
    run_handler("load_gig", state)
    assert (state.shown_for, state.found) == ("/gigs/99999", False)


def test_the_applicants_page_marks_even_a_refusal_with_its_url(app_db, make):
    gig = make.gig(make.employer())
    stranger = make.employer().manager
    app_db.commit()

    state = state_for(ManageGigState, f"/manage/gigs/{gig.id}", token=session_token(app_db, stranger))
    run_handler("load_gig", state)

    assert (state.shown_for, state.found) == (f"/manage/gigs/{gig.id}", False)


def test_a_signed_out_visitor_sent_to_sign_in_is_shown_nothing(app_db, make):
    gig = make.gig(make.employer())
    app_db.commit()

    state = state_for(ManageGigState, f"/manage/gigs/{gig.id}")
    run_handler("load_gig", state)

    assert state.shown_for == ""


@pytest.mark.parametrize(
    ("cls", "url", "handler"),
    [
        (PublicPortfolioState, "/p/nobody-here", "load"),
        (OrganizationState, "/organization?organization=77", "load_organization"),
        (PostGigState, "/gigs/new?from=5", "load_post_gig"),
    ],
)
def test_pages_whose_query_picks_the_object_include_it(app_db, make, cls, url, handler):
    manager = make.employer().manager
    app_db.commit()
    state = state_for(cls, url, token=session_token(app_db, manager))
    run_handler(handler, state)

    assert state.shown_for == url

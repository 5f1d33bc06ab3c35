"""The board, sign-in/up, gig detail and post-gig states, without a browser.

Pure helpers (money, dates, URLs) are tested directly; the states are instantiated
under pytest (rx.State + get_substate) with a router that carries the page URL and
the session cookie, against this test's own database.
"""

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from reflex_base.utils.form import FormData
from sqlmodel import select

from microgigs.models import Application, Gig
from microgigs.services.search import BoardQuery
from microgigs.state.auth_forms import LoginState, SignupState, safe_next, values_key
from microgigs.state.board import BoardState, page_window
from microgigs.state.gig_detail import GigDetailState, split_links
from microgigs.state.post_gig import (
    ParseError,
    PostGigState,
    form_errors,
    gig_input_from_form,
    parse_date,
    parse_pay,
    parse_whole_number,
)
from tests.unit.state_harness import redirect_path as _redirect_path
from tests.unit.state_harness import run_handler as _run
from tests.unit.state_harness import session_token as _token
from tests.unit.state_harness import state_for as _state

# --- pure helpers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("450", 45_000), ("450.5", 45_050), ("$1,250.50", 125_050), (" 12.05 ", 1_205), ("0", 0), ("1,000,000", 100_000_000)],
)
def test_parse_dollars_reads_what_people_type(typed, cents):
    assert parse_pay(typed) == cents


@pytest.mark.parametrize("typed", ["", "abc", "12.345", "-5", "1,00", "4 5 0x", "1e3", "NaN", "$"])
def test_parse_dollars_refuses_anything_else_with_a_message(typed):
    with pytest.raises(ParseError) as error:
        parse_pay(typed)
    assert "dollars" in str(error.value)


def test_parse_whole_number_and_date():
    assert parse_whole_number(" 12 ", "the hours") == 12
    with pytest.raises(ParseError, match="whole number"):
        parse_whole_number("1.5", "the hours")
    with pytest.raises(ParseError, match="Enter the hours"):
        parse_whole_number("", "the hours")
    assert parse_date("2026-03-31") == date(2026, 3, 31)
    assert parse_date("  ") is None
    with pytest.raises(ParseError, match="real date"):
        parse_date("2026-02-30")


def test_gig_input_from_form_converts_text_and_reports_unreadable_fields():
    form = FormData(
        [
            ("title", "Clean data"),
            ("skills", "Python"),
            ("skills", "SQL"),
            ("estimated_hours", "ten"),
            ("due_date", "2030-01-31"),
            ("application_deadline", ""),
            ("slots", "2"),
            ("pay", "$300"),
            ("questions", "First?\n\n  Second?  \n"),
        ]
    )
    data, problems = gig_input_from_form(form)
    assert data.skills == ["Python", "SQL"]
    assert data.pay_cents == 30_000
    assert data.due_date == date(2030, 1, 31) and data.application_deadline is None
    assert data.slots == 2 and data.estimated_hours == 0
    assert data.questions == ["First?", "Second?"]
    assert data.blind_review is False  # an unchecked box sends nothing
    assert set(problems) == {"estimated_hours"}
    assert gig_input_from_form({"blind_review": "on"})[0].blind_review is True


def test_form_errors_puts_service_messages_under_form_names_and_parse_problems_first():
    merged = form_errors({"pay_cents": "Pay at least $20.00 an hour", "title": "Enter a title."}, {"pay": "Enter the pay as a number"})
    assert merged == {"pay": "Enter the pay as a number", "title": "Enter a title."}


def test_board_url_keeps_only_what_is_set():
    def board_url(query: str = "", category: str = "", page: int = 1) -> str:
        return BoardQuery.from_params({"q": query, "category": category, "page": str(page)}).url()

    assert board_url() == "/"
    assert board_url("  survey  ", "all", 1) == "/?q=survey"
    url = board_url("R&D 100%", "Data analysis", 3)
    assert parse_qs(urlsplit(url).query) == {"q": ["R&D 100%"], "category": ["Data analysis"], "page": ["3"]}


def test_url_parsing_is_forgiving():
    assert [BoardQuery.from_params({"page": raw}).page for raw in ("abc", "-4", "7", "")] == [1, 1, 7, 1]
    assert BoardQuery.from_params({"category": "Design"}).category == "Design"
    assert BoardQuery.from_params({"category": "<script>"}).category == ""
    assert page_window(1, 1) == [1]
    assert page_window(1, 10) == [1, 2, 3, 4, 5]
    assert page_window(10, 10) == [6, 7, 8, 9, 10]
    assert page_window(5, 10) == [3, 4, 5, 6, 7]
    assert split_links(" https://a.example \n\n https://b.example") == ["https://a.example", "https://b.example"]


def test_safe_next_and_values_key():
    assert safe_next("/gigs/3") == "/gigs/3"
    assert safe_next("//evil.example") == "" and safe_next("https://evil.example") == "" and safe_next("/\\evil") == ""
    assert values_key("", "") == ""
    assert values_key("a", "") != values_key("", "a") and len(values_key("a")) == 16


# --- states against a database --------------------------------------------------


def test_board_reads_the_search_from_the_url(app_db, make):
    employer = make.employer()
    make.gig(employer, title="Survey cleanup", category="Data analysis")
    make.gig(employer, title="Survey design", category="Design")
    make.gig(employer, title="Logo refresh", category="Design")
    app_db.commit()

    state = _state(BoardState, "/?q=design&category=Design")
    _run("load_board", state)
    assert [c.title for c in state.cards] == ["Survey design"]
    assert (state.query, state.category, state.count_text) == ("design", "Design", "1 open gig")

    state = _state(BoardState, "/?category=nonsense&page=99")
    _run("load_board", state)
    assert state.total == 3 and state.category == "all" and state.page == 1

    assert _redirect_path(_run("search", state, {"q": " logo ", "category": "Design"})) == "/?q=logo&category=Design"


def test_sign_in_and_sign_up_pages_read_the_routes_answer(app_db):
    login = _state(LoginState, "/login?error=That+email+and+password+do+not+match&email=a%40b.edu&next=//evil.example")
    _run("load_login", login)
    assert login.error.startswith("That email") and login.email == "a@b.edu" and login.next_path == ""

    signup = _state(SignupState, "/signup?role=manager&display_name=Ana&error_email=Taken&error_password=Too+short&password=leak")
    _run("load_signup", signup)
    assert signup.is_employer and signup.display_name == "Ana"
    assert signup.errors == {"email": "Taken", "password": "Too short"}
    assert signup.error_count_text == "There are problems with 2 fields below."
    assert signup.form_key != ""


def test_the_sign_in_page_shows_demo_accounts_only_in_demo_mode(app_db, set_setting):
    login = _state(LoginState, "/login")
    _run("load_login", login)
    assert login.demo_hint == ""
    set_setting("demo_mode", "true")
    _run("load_login", login)
    assert "student1@demo.microgigs.test" in login.demo_hint and "demo-password-2026" in login.demo_hint


def test_choosing_employer_before_the_sign_up_page_loaded_is_kept(app_db):
    """On a slow connection the radio click can reach the server before on_load: the employer
    fields must stay, and an explicit ?role= still wins."""
    early = _state(SignupState, "/signup")
    _run("set_role", early, "manager")
    _run("load_signup", early)
    assert early.is_employer and early.form_key == ""

    asked = _state(SignupState, "/signup?role=student")
    _run("set_role", asked, "manager")
    _run("load_signup", asked)
    assert not asked.is_employer


def _post_form(today: date, **overrides) -> FormData:
    values = {
        "title": "Clean our CRM export",
        "summary": "Dedupe 3,000 contacts.",
        "scope": "Export, dedupe, fix casing.",
        "category": "Data analysis",
        "location_mode": "remote",
        "estimated_hours": "10",
        "application_deadline": (today + timedelta(days=7)).isoformat(),
        "due_date": (today + timedelta(days=21)).isoformat(),
        "slots": "1",
        "pay": "300",
        "blind_review": "on",
        "questions": "When can you start?",
    }
    values.update(overrides)
    return FormData([*values.items(), ("skills", "Python"), ("skills", "SQL")])


def test_post_gig_shows_every_problem_and_writes_nothing(app_db, make, today):
    employer = make.employer()
    token = _token(app_db, employer.manager)
    state = _state(PostGigState, "/gigs/new", token)

    _run("post", state, _post_form(today, pay="lots", title="", due_date=(today - timedelta(days=1)).isoformat()))

    assert state.errors["pay"].startswith("Enter the pay as a number")
    assert state.errors["title"] == "Enter a title."
    assert state.errors["due_date"] == "The due date must be in the future."
    assert app_db.exec(select(Gig)).all() == []


def test_post_gig_opens_a_trusted_employers_gig_and_redirects_to_it(app_db, make, today):
    employer = make.employer(trusted=True)
    state = _state(PostGigState, "/gigs/new", _token(app_db, employer.manager))

    spec = _run("post", state, _post_form(today, pay="$1,250.50"))

    gig = app_db.exec(select(Gig)).one()
    assert (gig.pay_cents, gig.status, gig.blind_review) == (125_050, "open", True)
    assert _redirect_path(spec) == f"/gigs/{gig.id}"


def test_post_gig_refuses_students_with_the_services_message(app_db, make, today):
    state = _state(PostGigState, "/gigs/new", _token(app_db, make.student()))
    _run("post", state, _post_form(today))
    assert state.form_error == "Only managers of an employer can post gigs."
    assert app_db.exec(select(Gig)).all() == []


def test_applying_from_the_gig_page(app_db, make):
    employer = make.employer()
    gig = make.gig(employer, questions=["Why this gig?"])
    student = make.student()
    app_db.commit()
    url = f"/gigs/{gig.id}"

    signed_out = _state(GigDetailState, url)
    _run("load_gig", signed_out)
    assert signed_out.found and signed_out.sign_in_href == f"/login?next=/gigs/{gig.id}"
    assert _redirect_path(_run("apply", signed_out, {"note": "hi"})).startswith("/login?next=/gigs/")

    state = _state(GigDetailState, url, _token(app_db, student))
    _run("load_gig", state)
    question_id = state.questions[0].id
    _run("apply", state, {"note": "", "sample_links": "not a link", f"answer_{question_id}": ""})
    assert set(state.errors) == {"note", "sample_links", f"answer_{question_id}"}
    assert not state.applied

    _run("apply", state, {"note": "I did this for a class.", "sample_links": "https://example.com/me", f"answer_{question_id}": "Because."})
    assert state.applied and state.errors == {}
    assert len(app_db.exec(select(Application)).all()) == 1

    again = _state(GigDetailState, url, _token(app_db, student))
    _run("load_gig", again)
    _run("apply", again, {"note": "Twice", f"answer_{question_id}": "x"})
    assert again.form_error == "You have already applied to this gig."


def test_moving_to_another_gig_hides_the_previous_one_first(app_db, make):
    employer = make.employer()
    first, second = make.gig(employer, title="First gig"), make.gig(employer, title="Second gig")
    app_db.commit()
    state = _state(GigDetailState, f"/gigs/{first.id}")
    _run("load_gig", state)
    state.router = _state(GigDetailState, f"/gigs/{second.id}").router
    steps = GigDetailState.load_gig.fn(state)
    next(steps)
    assert not state.loaded  # the first gig is no longer shown while the second loads
    for _ in steps:
        pass
    assert state.loaded and state.card.title == "Second gig" and state.title_subject == "Second gig"


def test_unknown_gig_is_a_friendly_not_found(app_db):
    state = _state(GigDetailState, "/gigs/999")
    _run("load_gig", state)
    assert state.loaded and not state.found and "does not exist" in state.not_found_message


def test_board_filters_round_trip_through_the_url(app_db, make):
    employer = make.employer()
    make.gig(employer, title="Logo refresh", category="Design", pay_cents=60_000, estimated_hours=12)
    make.gig(employer, title="Logo sketch", category="Design", pay_cents=30_000, estimated_hours=5)
    app_db.commit()
    state = _state(BoardState, "/")
    _run("load_board", state)
    form = {
        "q": " logo ",
        "category": "Design",
        "mode": "all",
        "employer": "all",
        "due_within": "all",
        "skills": "",
        "pay_min": "400",
        "pay_max": "",
        "hours_min": "",
        "hours_max": "",
        "sort": "pay",
    }
    url = _redirect_path(_run("search", state, form))
    assert url == "/?q=logo&category=Design&pay_min=400&sort=pay"
    state = _state(BoardState, url)
    _run("load_board", state)
    assert [c.title for c in state.cards] == ["Logo refresh"]
    assert (state.query, state.category, state.pay_min, state.sort, state.mode) == ("logo", "Design", "400", "pay", "all")
    assert state.has_filters and state.form_key == url


def test_post_gig_checks_fair_pay_and_dates_while_typing(app_db):
    state = _state(PostGigState, "/gigs/new")
    state.errors = {"title": "Enter a title."}
    _run("check_live", state, "estimated_hours", "10")
    assert state.errors == {"title": "Enter a title."}  # nothing wrong yet, and other fields' messages stay
    _run("check_live", state, "pay", "150")
    assert state.errors["pay"] == "Pay at least $20.00 an hour: $200.00 for 10 hours."
    _run("check_live", state, "pay", "250")
    assert "pay" not in state.errors
    today = date.today()
    _run("check_live", state, "due_date", (today + timedelta(days=5)).isoformat())
    _run("check_live", state, "application_deadline", (today + timedelta(days=9)).isoformat())
    assert state.errors["application_deadline"] == "The application deadline must come before the due date."
    _run("check_live", state, "due_date", "not a date")
    assert "real date" in state.errors["due_date"]
    _run("check_live", state, "title", "ignored")  # only the live fields are checked
    assert state.errors["title"] == "Enter a title."


def test_post_gig_can_save_a_draft(app_db, make):
    employer = make.employer()
    app_db.commit()
    state = _state(PostGigState, "/gigs/new", _token(app_db, employer.manager))
    today = date.today()
    form = {
        "title": "Draft gig",
        "summary": "Later",
        "scope": "Scope",
        "category": "Research",
        "estimated_hours": "5",
        "due_date": (today + timedelta(days=20)).isoformat(),
        "application_deadline": (today + timedelta(days=5)).isoformat(),
        "slots": "1",
        "pay": "200",
        "save_draft": "on",
    }
    _run("post", state, form)
    assert state.errors == {} and state.submitted_status == "draft"
    assert app_db.exec(select(Gig).where(Gig.title == "Draft gig")).one().status == "draft"


def test_board_lists_employers_only_when_the_filter_panel_shows_them(app_db, make):
    """The employer select lives in the filter panel: a plain visit or a word search (panel
    closed) does not send its options; opening the panel does; a URL with a filter (panel open)
    gets them once the panel is on the page, after its gigs; a URL naming an employer at once."""
    employer = make.employer("Northwind Studio")
    make.gig(employer, title="Logo refresh", category="Design")
    app_db.commit()

    def names(state) -> list[str]:
        return [choice.text for choice in state.employers]

    for url in ("/", "/?q=logo"):
        closed = _state(BoardState, url)
        _run("load_board", closed)
        _run("filter_panel_shown", closed)
        assert closed.total == 1 and names(closed) == [] and not closed.filter_panel_open
    _run("show_filters", closed)
    assert names(closed) == ["Northwind Studio"]

    panel = _state(BoardState, "/?category=Design")
    _run("load_board", panel)
    assert panel.filter_panel_open and [c.title for c in panel.cards] == ["Logo refresh"] and names(panel) == []
    _run("filter_panel_shown", panel)
    assert names(panel) == ["Northwind Studio"]

    chosen = _state(BoardState, f"/?employer={employer.org.id}")
    _run("load_board", chosen)
    assert names(chosen) == ["Northwind Studio"] and chosen.employer == str(employer.org.id)

    # The same tab showing the panel again (another filtered URL) sees employers new since.
    newcomer = make.employer("Acme Research")
    make.gig(newcomer, title="Survey design", category="Design")
    app_db.commit()
    _run("load_board", panel)
    _run("filter_panel_shown", panel)
    assert names(panel) == ["Acme Research", "Northwind Studio"]


def test_the_pay_is_read_in_the_form_s_currency():
    assert parse_pay("450.5") == 45_050  # usd, the default
    with pytest.raises(ParseError, match="^Enter the pay in whole Japanese yen, without a decimal point, like 450.$"):
        parse_pay("450.5", "jpy")
    assert parse_pay("45,000", "jpy") == 45_000
    data, problems = gig_input_from_form({"pay": "450.5"}, "jpy")
    assert data.pay_cents == 0 and data.currency == "jpy" and "whole Japanese yen" in problems["pay"]
    data, problems = gig_input_from_form({"pay": "450.5"}, "usd")
    assert data.pay_cents == 45_050 and "pay" not in problems
    with pytest.raises(ParseError, match="^Enter the pay per student in euros, for example 450.$"):
        parse_pay("", "eur")

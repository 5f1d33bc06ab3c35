"""The help, terms and privacy pages and the center every page's header shows: the center's own
Markdown rendered safely, or the general text; its name, logo, colour and contact on every load."""

import pytest

from microgigs.services import center, center_pages
from microgigs.state.center_pages import CenterPageState
from tests.unit.state_harness import run_handler, session_token, state_for


def save(session, **values) -> None:
    row = center.row_for_update(session)
    for name, value in values.items():
        setattr(row, name, value)
    session.commit()


@pytest.mark.parametrize(
    ("which", "title", "words"),
    [
        ("help", "Help", "For students"),
        ("terms", "Terms of use", "Pay is fixed before the work starts"),
        ("privacy", "Privacy", "Download your data"),
    ],
)
def test_without_a_text_of_its_own_each_page_has_the_general_one(session, which, title, words):
    page = center_pages.center_page(session, which)
    assert (page.title, page.own_text, page.contact_email) == (title, False, "")
    assert words in page.html and "MicroGigs" in page.html and "<li>" in page.html


def test_the_general_text_names_the_center_as_text(session):
    save(session, name="*Uni* Careers & <b>Co</b>")
    html = center_pages.center_page(session, "help").html
    assert "*Uni* Careers &amp; &lt;b&gt;Co&lt;/b&gt;" in html and "<em>" not in html and "<b>" not in html


def test_the_centers_own_markdown_is_shown_safely_and_clearing_it_brings_back_the_general_text(session, set_setting):
    set_setting("terms_text", "Environment terms.")
    assert center_pages.center_page(session, "terms").html == "<p>Environment terms.</p>\n"
    save(
        session,
        terms_text="## Our terms\n\n**Be kind.** <script>alert(1)</script> [click](javascript:alert(1)) [ok](https://uni.edu) ![x](https://e.vil/x.png)",
        contact_email="careers@uni.edu",
    )
    page = center_pages.center_page(session, "terms")
    assert page.own_text and page.contact_email == "careers@uni.edu"
    assert "<h2>Our terms</h2>" in page.html and "<strong>Be kind.</strong>" in page.html
    assert "<script" not in page.html and "&lt;script&gt;" in page.html
    assert "javascript:" not in page.html and '<a href="https://uni.edu" rel="nofollow noopener noreferrer">ok</a>' in page.html
    assert "<img" not in page.html
    save(session, terms_text=None)
    assert center_pages.center_page(session, "terms").html == "<p>Environment terms.</p>\n"
    save(session, terms_text="")
    assert not center_pages.center_page(session, "terms").own_text  # an empty text: the general one


def test_the_pages_are_for_anyone_and_show_the_page_the_url_names(app_db, make):
    save(app_db, help_text="Ask **us**.", privacy_text="We keep little.", contact_email="help@uni.edu")
    visitor = state_for(CenterPageState, "/help")
    run_handler("load_center_page", visitor)
    assert visitor.html == {"help": "<p>Ask <strong>us</strong>.</p>\n"} and visitor.contact_email == "help@uni.edu"
    unconfirmed = state_for(CenterPageState, "/privacy", session_token(app_db, make.unconfirmed_student()))
    assert run_handler("load_center_page", unconfirmed) is None  # no redirect to sign in
    assert unconfirmed.html == {"privacy": "<p>We keep little.</p>\n"}


def test_every_page_load_shows_the_center_in_effect(app_db, make):
    state = state_for(CenterPageState, "/terms", session_token(app_db, make.student()))
    run_handler("load_center_page", state)
    shown = state  # the header's vars, inherited from SessionState
    assert (shown.center_name, shown.center_logo_url, shown.center_brand_color, shown.center_contact_email) == ("MicroGigs", "", "", "")
    save(app_db, name="State U Careers", brand_color="#1D4ED8", logo_file="abc123.png", contact_email="careers@uni.edu")
    run_handler("load_center_page", state)
    assert (shown.center_name, shown.center_logo_url, shown.center_brand_color, shown.center_contact_email) == (
        "State U Careers",
        f"{center.LOGO_ROUTE}/abc123.png",
        "#1d4ed8",
        "careers@uni.edu",
    )


def test_a_colour_the_css_could_not_take_is_not_put_in_the_page(app_db):
    save(app_db, brand_color="red;}x")
    state = state_for(CenterPageState, "/help")
    run_handler("load_center_page", state)
    assert state.center_brand_color == ""

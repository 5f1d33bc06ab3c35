"""One look (issue 19 point 6): every page's title is "<what> · <center name>", and markdown people
wrote (scopes, notes, messages, reviews, center pages) becomes the same safe HTML everywhere."""

import pytest

from microgigs.components.i18n import t
from microgigs.components.markdown import markdown_block
from microgigs.components.titles import SEPARATOR, page_title
from microgigs.services import dashboards, disputes
from microgigs.services.markdown import render_markdown
from microgigs.state.session import SessionState

CENTER = str(SessionState.center_name)
LIST_SCOPE = "Clean the data:\n\n- remove duplicates\n- fix *encodings*\n\nSee [the brief](https://example.com/brief)."


def test_a_title_is_what_the_page_is_then_the_centers_name():
    title = str(page_title("Dashboard"))
    assert SEPARATOR == " · "
    # The text is the viewer's language's ("Dashboard" through the catalogue), then the name.
    assert title == f'(({t("Dashboard")!s}+" \\u00b7 ")+{CENTER})'
    assert '"Dashboard"' in title and "mgT" in title


def test_a_title_may_be_a_var_such_as_a_gigs_own_title():
    title = str(page_title(SessionState.user_name))
    assert title == f'(({SessionState.user_name!s}+" \\u00b7 ")+{CENTER})'


def test_every_page_of_the_app_is_titled_by_the_one_helper():
    from microgigs.microgigs import app

    pages = app._unevaluated_pages
    assert len(pages) > 40
    wrong = {route: str(page.title) for route, page in pages.items() if not str(page.title).endswith(f'+" \\u00b7 ")+{CENTER})')}
    assert wrong == {}
    assert '"Insights"' in str(pages["staff/insights"].title)


def test_the_gig_page_is_titled_by_the_gig_and_the_workspace_by_its_gig():
    from microgigs.microgigs import app

    gig_title = str(app._unevaluated_pages["gigs/[gig_id]"].title)
    assert "gig_detail_state.title_subject" in gig_title and '"Gig"' in gig_title  # "Gig" while loading
    assert 'view_rx_state_?.["gig_title"]' in str(app._unevaluated_pages["engagements/[engagement_id]"].title)


def test_lists_numbers_and_emphasis_become_their_elements():
    html = render_markdown("- one\n- *two*\n\n1. first\n2. **second**\n\n`code` and _this_")
    assert "<ul>\n<li>one</li>\n<li><em>two</em></li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n<li><strong>second</strong></li>\n</ol>" in html
    assert "<code>code</code>" in html and "<em>this</em>" in html


def test_links_are_marked_not_ours_and_open_where_the_reader_chooses():
    html = render_markdown("[brief](https://example.com/brief) and [mail](mailto:a@b.example)")
    assert '<a href="https://example.com/brief" rel="nofollow noopener noreferrer">brief</a>' in html
    assert '<a href="mailto:a@b.example" rel="nofollow noopener noreferrer">mail</a>' in html
    assert "target=" not in html


@pytest.mark.parametrize(
    "hostile",
    ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "[x](javascript:alert(1))", "[x](  JaVaScRiPt:alert(1))"],
)
def test_raw_html_is_shown_as_text_and_script_links_are_disarmed(hostile):
    html = render_markdown(hostile)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html.lower()


def test_raw_html_stays_readable_as_text():
    assert render_markdown("Use <b>bold</b> tags") == "<p>Use &lt;b&gt;bold&lt;/b&gt; tags</p>\n"


def test_the_markdown_block_draws_the_html_in_the_prose_look():
    rendered = markdown_block("<ul><li>x</li></ul>").render()
    assert 'className:"rx-Html prose"' in rendered["props"]
    assert any("dangerouslySetInnerHTML" in prop and "<ul><li>x</li></ul>" in prop for prop in rendered["props"])
    assert 'className:"rx-Html prose prose-page"' in markdown_block("", class_name="prose-page").render()["props"]


def test_the_workspace_and_the_applicants_page_get_the_scope_as_html(session, make):
    hired = make.hired(scope=LIST_SCOPE)
    view = dashboards.engagement_view(session, hired.student, hired.engagement.id)
    assert view.scope.startswith(LIST_SCOPE) and "<li>remove duplicates</li>" in view.scope_html and "<em>encodings</em>" in view.scope_html
    applicants = dashboards.gig_applicants(session, hired.employer.manager, hired.gig.id)
    assert "<li>remove duplicates</li>" in applicants.scope_html


def test_notes_messages_and_comments_come_as_html_with_their_text(session, make):
    from microgigs.services import engagements

    hired = make.hired(slots=2)
    make.apply(make.student(), hired.gig, note="Why me:\n\n- I *know* pandas")
    make.submit(hired, note="Done:\n\n- cleaned\n- <b>documented</b>")
    engagements.post_message(session, hired.student, hired.engagement.id, "Question:\n\n1. which encoding?")
    view = dashboards.engagement_view(session, hired.employer.manager, hired.engagement.id)
    assert "<li>cleaned</li>" in view.submissions[0].note_html and "&lt;b&gt;" in view.submissions[0].note_html
    assert "<ol>\n<li>which encoding?</li>" in view.messages[0].body_html
    notes = [a.note_html for a in dashboards.gig_applicants(session, hired.employer.manager, hired.gig.id).applicants]
    assert any("<em>know</em>" in note for note in notes)


def test_a_disputes_statement_and_messages_come_as_html(session, make):
    hired = make.hired()
    make.submit(hired)
    dispute = disputes.open_dispute(session, hired.student, hired.engagement.id, "What changed:\n\n- the *scope*")
    disputes.post_message(session, hired.employer.manager, dispute.id, "See [the brief](https://example.com/b)")
    view = disputes.dispute_view(session, hired.student, dispute.id)
    assert "<li>the <em>scope</em></li>" in view.statement_html and view.decision_note_html == ""
    assert 'rel="nofollow noopener noreferrer"' in view.messages[0].body_html

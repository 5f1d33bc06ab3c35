"""The board's page sent with its first page of gigs in the HTML: the same gigs, order and count
the app shows for that URL, every text escaped, any query string answered, and the plain shell
(or the app) whenever there is nothing to add."""

import re

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from microgigs.components.gig_card import board_card_html
from microgigs.http import board_first_page
from microgigs.http.board_first_page import BLOCK_ID, REMOVE_WHEN_THE_APP_DRAWS, first_page_html, serve_board_first_page
from microgigs.services import gigs, search
from microgigs.services.search import BoardQuery

SHELL = '<!DOCTYPE html><html><head><title>Find a gig</title></head><body><main>Loading gigs…</main><script type="module">start()</script></body></html>'


@pytest.fixture
def board(session, make):
    search.ensure_index(session)  # as the migrations make it, before the page reads on its own
    session.commit()
    northwind = make.employer("Northwind Analytics")
    acme = make.employer("Acme Studio")
    made = {
        "survey": make.gig(northwind, title="Clean a survey data set", category="Data analysis", pay_cents=60_000),
        "logo": make.gig(acme, title="Design a logo", summary="Vector logo for a bakery", category="Design", pay_cents=90_000),
        "script": make.gig(acme, title="Fix <script>alert(1)</script> & more", summary='Say "hi" <b>loud</b>', category="Software"),
    }
    session.commit()  # the page reads through its own session, as the server does
    return made


def titles_in(block: str) -> list[str]:
    return re.findall(r'<h2><a [^>]*href="/gigs/\d+">(.*?)</a></h2>', block)


def test_the_block_holds_the_same_first_page_as_the_board(session, db_engine, board):
    for query_string, filters in [
        ("", BoardQuery()),
        ("sort=pay", BoardQuery(sort="pay")),
        ("q=logo", BoardQuery(q="logo")),
        ("category=Data+analysis", BoardQuery(category="Data analysis")),
    ]:
        expected = gigs.list_board(session, filters=filters, per_page=20)
        block = first_page_html(query_string, db_engine)
        assert block.startswith(f'<section id="{BLOCK_ID}"')
        assert re.findall(r'href="/gigs/(\d+)"', block) == [str(card.id) for card in expected.cards], query_string
        count = gigs.board_count_text(expected.total, capped=expected.capped, estimated=expected.estimated)
        assert f'<p role="status">{count}</p>' in block
    assert titles_in(first_page_html("q=logo", db_engine)) == ["Design a logo"]
    assert '<p role="status">1 open gig</p>' in first_page_html("q=logo", db_engine)


def test_every_text_is_escaped(db_engine, board):
    # "fix": PostgreSQL's text search parser reads "<script>alert(1)</script>" as markup and
    # leaves it out of the index.
    block = first_page_html("q=fix", db_engine)
    assert "<script>" not in block and "<b>" not in block
    assert "Fix &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in block
    assert "Say &quot;hi&quot; &lt;b&gt;loud&lt;/b&gt;" in block


def test_a_card_carries_what_the_app_card_shows(session, board):
    card = gigs.cards_by_ids(session, [board["logo"].id])[0]
    html = board_card_html(card)
    for part in (
        card.title,
        card.employer,
        card.summary,
        card.category,
        card.pay,
        f"about {card.estimated_hours} hours",
        f"apply by {card.deadline_text}",
        gigs.LOCATION_MODE_NAMES[card.location_mode],
        *card.skills,
    ):
        assert part in html
    for label in ("Pay: ", "Time: ", "Where: ", "Deadline: "):
        assert f'<span class="visually-hidden">{label}</span>' in html
    assert html.count('class="chip"') == len(card.skills)


@pytest.mark.parametrize(
    "query_string", ["q=%00%27%22%3B--", "q=" + "x" * 5000, "sort=bogus&page=-4&pay_min=lots", "page=999999", "q=)(*&^%25$"]
)
def test_any_query_string_is_answered(db_engine, board, query_string):
    block = first_page_html(query_string, db_engine)
    assert 'role="status"' in block


def test_no_match_says_so(db_engine, board):
    block = first_page_html("q=zebra+unicorn", db_engine)
    assert "No open gigs match your search." in block and "<article" not in block


def test_pages_link_to_their_neighbours(session, db_engine, make):
    search.ensure_index(session)
    employer = make.employer("Pagewright")
    for n in range(21):
        make.gig(employer, title=f"Tidy sheet number {n}")
    session.commit()
    first = first_page_html("q=tidy", db_engine)
    assert first.count("<article") == 20 and '<p role="status">21 open gigs</p>' in first
    assert '<a href="/?q=tidy&amp;page=2">Next page →</a>' in first and "Previous page" not in first
    second = first_page_html("q=tidy&page=2", db_engine)
    assert second.count("<article") == 1
    assert '<a href="/?q=tidy">← Previous page</a>' in second and "Next page" not in second


def _client(tmp_path, db_engine, shell_name="index.html"):
    async def fallback(request):
        return PlainTextResponse(f"app: {request.method} {request.url.path}", status_code=404)

    inner = Starlette(routes=[Route("/{path:path}", fallback, methods=["GET", "HEAD", "POST"])])
    wrapped = serve_board_first_page(inner, shell=lambda: tmp_path / shell_name, engine=db_engine)
    return TestClient(wrapped)


def test_the_board_page_is_the_shell_with_the_block_before_body_ends(tmp_path, db_engine, board):
    (tmp_path / "index.html").write_text(SHELL)
    client = _client(tmp_path, db_engine)

    answer = client.get("/?q=logo")
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["cache-control"] == "no-cache"
    before, block, remover, _end = re.match(
        r"(.*)(<section .*</section>)(<script>.*</script>)(</body></html>)$", answer.text, re.S
    ).groups()
    assert before == SHELL.removesuffix("</body></html>")  # the shell itself is untouched
    assert titles_in(block) == ["Design a logo"]
    assert remover == REMOVE_WHEN_THE_APP_DRAWS

    head = client.head("/?q=logo")
    assert head.status_code == 200 and head.content == b""


def test_the_block_wears_the_shells_theme(tmp_path, db_engine, board):
    # Radix's tokens (spacing, colours, fonts) are defined by the theme's element; the block,
    # after it, becomes a nested copy of it so its cards look like the app's.
    themed = SHELL.replace(
        "<main>",
        '<div data-is-root-theme="true" data-accent-color="indigo" data-gray-color="slate" data-radius="medium" class="radix-themes css-0"><main>',
    ).replace("</main>", "</main></div>")
    (tmp_path / "index.html").write_text(themed)
    block = re.search(r"<section [^>]*>", _client(tmp_path, db_engine).get("/").text).group(0)
    assert block == (
        f'<section id="{BLOCK_ID}" aria-label="Open gigs" class="radix-themes" data-is-root-theme="false"'
        ' data-accent-color="indigo" data-gray-color="slate" data-radius="medium" data-has-background="false">'
    )
    (tmp_path / "plain.html").write_text(SHELL)  # a page without a theme: a plain block
    assert f'<section id="{BLOCK_ID}" aria-label="Open gigs"><p' in _client(tmp_path, db_engine, "plain.html").get("/").text


def test_other_paths_methods_and_a_missing_build_go_to_the_app(tmp_path, db_engine, board):
    (tmp_path / "index.html").write_text(SHELL)
    client = _client(tmp_path, db_engine)
    assert client.get("/gigs/1").text == "app: GET /gigs/1"
    assert client.post("/").text == "app: POST /"
    assert _client(tmp_path, db_engine, shell_name="missing.html").get("/").text == "app: GET /"


def test_a_failure_sends_the_plain_shell(tmp_path, db_engine, monkeypatch):
    (tmp_path / "index.html").write_text(SHELL)

    def broken(*args):
        raise RuntimeError("database gone")

    monkeypatch.setattr(board_first_page, "first_page_html", broken)
    answer = _client(tmp_path, db_engine).get("/")
    assert answer.status_code == 200 and answer.text == SHELL

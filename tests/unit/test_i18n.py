"""Two languages: choosing one, translating, formatting for the viewer, and the catalogues kept
whole (every text marked in the code is in messages.pot, and Spanish translates all of it)."""

import ast
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from starlette.applications import Starlette
from starlette.testclient import TestClient

from microgigs import i18n
from microgigs.http import i18n as i18n_routes
from microgigs.services import profiles
from microgigs.services.validation import ValidationFailed

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "microgigs" / "locale"
# The same keywords as `make catalogues`: the msgid is gettext's and ngettext's second argument.
KEYWORDS = {
    "_": None,
    "t": None,
    "msg": None,
    "gettext": (2,),
    "ngettext": (2, 3),
    "page_title": None,
    "DomainError": None,
    "NotAllowed": None,
    "NotFound": None,
}
# Every module that draws pages or writes what their states show: each text in them goes through
# t() (pages) or gettext / msg (states).
CONVERTED_MODULES = sorted(
    str(path.relative_to(ROOT)) for folder in ("pages", "components", "state") for path in (ROOT / "microgigs" / folder).rglob("*.py")
)


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("es-MX", "es"),
        ("ES", "es"),
        ("en-US,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,es;q=0.5,en;q=0.3", "es"),
        ("en;q=0.2,es;q=0.9", "es"),
        ("es;q=0,en", "en"),
        ("fr, de", "en"),
        ("", "en"),
        (None, "en"),
        ("es;q=nonsense,en;q=0.1", "en"),
        ("*", "en"),
    ],
)
def test_negotiate_picks_the_best_of_our_languages(header, language):
    assert i18n.negotiate(header) == language


@pytest.mark.parametrize(
    ("cookie", "language"),
    [("mg_lang=es", "es"), ("a=1; mg_lang=en; b=2", "en"), ("mg_lang=fr", None), ("", None), (None, None), ('mg_lang="es', None)],
)
def test_the_switch_cookie_names_one_of_our_languages(cookie, language):
    assert i18n.language_from_cookie_header(cookie) == language


def test_gettext_translates_then_fills_placeholders():
    assert i18n.gettext("es", "{city} time", city="Madrid") == "hora de Madrid"
    assert i18n.gettext("en", "{city} time", city="Madrid") == "Madrid time"
    # An unknown language is English; an unknown text is itself.
    assert i18n.gettext("xx", "{city} time", city="Lima") == "Lima time"
    assert i18n.gettext("es", "Not in any catalogue {n}", n=3) == "Not in any catalogue 3"


def test_ngettext_picks_the_form_by_count():
    assert i18n.ngettext("en", "{count} gig", "{count} gigs", 1) == "1 gig"
    assert i18n.ngettext("en", "{count} gig", "{count} gigs", 2) == "2 gigs"


def test_catalog_is_empty_for_english_and_holds_spanish():
    assert i18n.catalog("en") == {}
    assert i18n.catalog("es")["{city} time"] == "hora de {city}"


def test_format_date_in_each_language():
    day = date(2026, 12, 26)
    assert i18n.format_date(day, "en") == "Dec 26, 2026"
    assert i18n.format_date(day, "es") == "26 dic 2026"


def test_format_datetime_in_the_viewers_zone_with_the_zone_named():
    moment = datetime(2026, 12, 26, 16, 0, tzinfo=UTC)
    assert _plain(i18n.format_datetime(moment, "en", "America/New_York")) == "Dec 26, 2026, 11:00 AM EST"
    assert _plain(i18n.format_datetime(moment, "es", "Europe/Madrid")) == "26 dic 2026, 17:00 CET"
    # No abbreviation in the language: the zone's city, in the viewer's words.
    assert _plain(i18n.format_datetime(moment, "es", "America/Mexico_City")) == "26 dic 2026, 10:00 hora de Ciudad de México"
    assert _plain(i18n.format_datetime(moment, "en", "Europe/Madrid")) == "Dec 26, 2026, 5:00 PM Madrid time"
    # The database's naive times are UTC; an unknown zone is UTC.
    assert _plain(i18n.format_datetime(moment.replace(tzinfo=None), "en", "No/Such_Zone")) == "Dec 26, 2026, 4:00 PM UTC"


def test_format_money_in_each_language_in_the_currencys_minor_units():
    assert _plain(i18n.format_money(123450, "usd", "en")) == "$1,234.50"
    assert _plain(i18n.format_money(123450, "usd", "es")) == "1.234,50 US$"
    assert _plain(i18n.format_money(1235, "jpy", "en")) == "¥1,235"
    assert _plain(i18n.format_money(1250, "kwd", "en")) == "KWD1.250"


def _plain(text: str) -> str:
    """Babel's non-breaking and narrow spaces as plain spaces, to compare with what we type."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _catalogue(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def _ids(catalogue) -> set:
    return {message.id for message in catalogue if message.id}


def test_pot_is_up_to_date_with_the_code():
    in_code = {
        message[2] if isinstance(message[2], str) else tuple(message[2])
        for message in extract_from_dir(str(ROOT / "microgigs"), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=())
    }
    in_pot = _ids(_catalogue(LOCALE / "messages.pot"))
    assert in_code - in_pot == set(), "texts missing from messages.pot: run `make catalogues`"
    assert in_pot - in_code == set(), "messages.pot holds texts no longer in the code: run `make catalogues`"


def test_spanish_translates_every_text_and_nothing_is_fuzzy():
    pot = _ids(_catalogue(LOCALE / "messages.pot"))
    spanish = _catalogue(LOCALE / "es" / "LC_MESSAGES" / "messages.po")
    by_id = {message.id: message for message in spanish if message.id}
    assert pot - set(by_id) == set(), "texts not yet in the Spanish catalogue: run `make catalogues`"
    untranslated = sorted(
        str(msgid) for msgid, message in by_id.items() if not all(message.string if isinstance(message.string, tuple) else [message.string])
    )
    assert untranslated == [], "texts with no Spanish translation"
    fuzzy = sorted(str(msgid) for msgid, message in by_id.items() if message.fuzzy)
    assert fuzzy == [], "fuzzy (unchecked) Spanish translations"
    obsolete = sorted(str(msgid) for msgid in spanish.obsolete)
    assert obsolete == [], "obsolete entries left in the Spanish catalogue"


def test_spanish_keeps_every_placeholder():
    for message in _catalogue(LOCALE / "es" / "LC_MESSAGES" / "messages.po"):
        if message.id and isinstance(message.id, str) and message.string:  # untranslated: the test above
            assert _placeholders(message.string) == _placeholders(message.id), message.id


def _placeholders(text: str) -> set[str]:
    import string

    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name}


# Keywords whose text must be written out; the others (page_title, DomainError…) also take a Var
# or a msg(), but never an f-string or a sum, which no catalogue can hold.
STRICT = {"_", "t", "msg", "gettext", "ngettext"}


def _is_built_string(node) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.BinOp) and any(isinstance(side, (ast.Constant, ast.JoinedStr)) for side in (node.left, node.right))
    )


def _not_literal(source: str) -> list[int]:
    """The lines of `source` whose t() / _() / gettext() / ngettext() / msg() text is not a literal
    string, or whose page_title() / DomainError() text is built (an f-string, a sum)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS:
            position = (KEYWORDS[node.func.id] or (1,))[0] - 1
            argument = node.args[position] if len(node.args) > position else None
            literal = isinstance(argument, ast.Constant) and isinstance(argument.value, str)
            if node.func.id in STRICT and not literal:
                lines.append(node.lineno)
            elif node.func.id not in STRICT and argument is not None and _is_built_string(argument):
                lines.append(node.lineno)
    return lines


def test_translated_texts_are_literal_strings():
    """A catalogue can only hold a text written out: t(f"…"), t(name) or t("a" + b) cannot be in one."""
    sample = 't("Gigs")\nt(f"Hello {name}")\ngettext(language, text)\n_("a" + b)\nt("Hi {name}", name=n)\n'
    sample += 'DomainError(f"No {x}")\nDomainError(message)\npage_title(S.title)\npage_title("Gig " + S.title)\n'
    assert _not_literal(sample) == [2, 3, 4, 6, 9]
    # The two i18n modules pass a msgid they were given: they are the implementation.
    implementation = {ROOT / "microgigs" / "i18n.py", ROOT / "microgigs" / "components" / "i18n.py"}
    for path in sorted(set((ROOT / "microgigs").rglob("*.py")) - implementation):
        assert _not_literal(path.read_text()) == [], f"{path.relative_to(ROOT)}: translated texts must be literal strings"


# --- every text a page shows goes through t() --------------------------------------------------

# Keyword arguments that carry text people read (or hear); any other keyword argument is a
# property (size="2", href="/x", class_name=…) and may be a literal.
TEXT_KEYWORDS = {
    "aria_label",
    "placeholder",
    "title",
    "alt",
    "label",
    "hint",
    "heading",
    "loading",
    "empty",
    "description",
    "text",
    "message",
    "confirm",
    "summary",
    "value_label",
    "input_label",
}
# Calls whose positional arguments are never shown: icons, ids, events, styles, lookups.
NOT_SHOWN_CALLS = {
    "icon",
    "field_id",
    "redirect",
    "Var",
    "compile",
    "get",
    "getattr",
    "setattr",
    "hasattr",
    "startswith",
    "endswith",
    "split",
    "join",
    "replace",
    "format",
    "to",
    "contains",
    "set_value",
    "set_focus",
    "call_script",
    "clear_selected_files",
    "selected_files",
    "upload_files",
    "cond_style",
    "color_mode_cond",
    "match",
    "search",
    "fullmatch",
    "lower",
    "upper",
    "strip",
    "partition",
    "encode",
    "decode",
    "Field",
    "foreach",
    "getLogger",
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "add_page",
    "t",
    "_",
    "msg",
    "gettext",
    "ngettext",
    "translated",
    "page_title",
    "DomainError",  # extracted for the catalogue, translated where shown
    "NotAllowed",
    "NotFound",
    "removeprefix",
    "isinstance",
    "State",
    "var",
    "event",
    "rendered_url",
    "call_function",
    "scroll_to",
    "download",
    "set_clipboard",
    "remove_local_storage",
    "Path",
    "ValueError",
    "TypeError",
}
_WORDS = re.compile(r"[A-Za-z]{2,}")
_CSS = re.compile(r"var\(--|\d(px|rem|em|ch|vh|vw|%)\b|^#[0-9a-fA-F]{3,8}$|calc\(")


def looks_like_text(value: str) -> bool:
    """Words a person reads: a capitalised word ("Save", "Gig not found") or two words in a row
    ("or drop them here"); not a CSS value, an id, a route or a status ("var(--gray-11)",
    "field-note", "/gigs/new", "changes_requested")."""
    if not _WORDS.search(value) or _CSS.search(value) or value.startswith(("/", "http", "mailto:", ".", "#")):
        return False
    return bool(re.match(r"^\W*[A-Z][a-z]", value) or re.search(r"[A-Za-z]{2,}[,.:;!?]? [a-z]{2,}", value))


def _docstrings(tree) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def untranslated_texts(source: str) -> list[str]:
    """ "line: text" for each literal in `source` that looks like words shown to people and does
    not go through t() (or _() / msg() / gettext / page_title): a docstring, a property keyword
    (size="2"), a dict key, the argument of a call that shows nothing (rx.icon("x")), a comparison
    and a line marked `# i18n: not shown` are left alone."""
    tree = ast.parse(source)
    skipped = _docstrings(tree)
    lines = source.splitlines()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name in NOT_SHOWN_CALLS:
                skipped.update(
                    id(inner) for arg in node.args for inner in ast.walk(arg) if isinstance(arg, (ast.Constant, ast.JoinedStr, ast.BinOp))
                )
            for keyword in node.keywords:
                if keyword.arg is not None and keyword.arg not in TEXT_KEYWORDS:
                    skipped.update(id(inner) for inner in ast.walk(keyword.value) if isinstance(inner, ast.Constant))
        elif isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets):
            skipped.update(id(inner) for inner in ast.walk(node.value) if isinstance(inner, ast.Constant))
        elif isinstance(node, ast.Dict):
            skipped.update(id(key) for key in node.keys if key is not None)
        elif isinstance(node, ast.Compare):
            skipped.update(id(inner) for inner in ast.walk(node) if isinstance(inner, ast.Constant))
        elif isinstance(node, ast.Subscript):
            skipped.update(id(inner) for inner in ast.walk(node.slice) if isinstance(inner, ast.Constant))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped and looks_like_text(node.value):
            if "i18n: not shown" not in lines[node.lineno - 1]:
                found.append(f"{node.lineno}: {node.value!r}")
    return sorted(found, key=lambda entry: int(entry.split(":")[0]))


def test_the_shown_text_finder_finds_words_and_leaves_properties_alone():
    sample = '''
def page():
    """Docstring."""
    rx.text("Apply now", size="2", class_name="Lead text")
    rx.icon("Paperclip")
    rx.button(t("Save"), aria_label="Save the draft", on_click=S.save)
    rx.cond(S.open, "or drop them here", t("Closed"))
    field_error("files", E.get("files", ""))
    style = {"Padding": "1px solid var(--gray-a7)", "width": "100%"}
    if status == "Changes requested":
        pass
    rx.link("Help", href="/help")  # i18n: not shown
'''
    assert untranslated_texts(sample) == ["4: 'Apply now'", "6: 'Save the draft'", "7: 'or drop them here'"]


@pytest.mark.parametrize("module", CONVERTED_MODULES)
def test_every_text_a_translated_page_shows_goes_through_t(module):
    assert untranslated_texts((ROOT / module).read_text()) == [], f"{module}: wrap these texts in t() (pages) or msg() (services)"


def _client() -> TestClient:
    return TestClient(Starlette(routes=i18n_routes.routes), follow_redirects=False)


def test_catalog_script_carries_spanish_and_revalidates_by_etag():
    client = _client()
    answer = client.get("/i18n/catalog.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert "max-age=" in answer.headers["cache-control"]
    assert "window.mgT" in answer.text
    assert '"Sign in": "Inicia sesi\\u00f3n"' in answer.text  # JSON, ASCII-escaped
    again = client.get("/i18n/catalog.js", headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_switch_sets_the_cookie_and_goes_back_to_a_path_of_this_site_only():
    client = _client()
    answer = client.get("/i18n/language", params={"to": "es", "next": "/gigs/3?tab=apply"})
    assert answer.status_code == 303 and answer.headers["location"] == "/gigs/3?tab=apply"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("mg_lang=es;") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    for elsewhere in ("https://evil.example/", "//evil.example/", "/\\evil.example", ""):
        assert client.get("/i18n/language", params={"to": "en", "next": elsewhere}).headers["location"] == "/"
    unknown = client.get("/i18n/language", params={"to": "fr", "next": "/"})
    assert unknown.status_code == 303 and "set-cookie" not in unknown.headers


def test_a_person_chooses_one_of_our_languages(session, make):
    person = make.student()
    assert person.language == "en"
    profiles.set_language(session, person, "es")
    assert person.language == "es"
    with pytest.raises(ValidationFailed) as refused:
        profiles.set_language(session, person, "fr")
    assert refused.value.errors == {"language": "Choose a language from the list."}
    assert person.language == "es"

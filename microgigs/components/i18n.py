"""`t("…")`: a page's text in the viewer's language, chosen in the browser.

Reflex compiles pages to JavaScript once, so a component cannot pick its text in Python per
viewer. `t("Sign in")` is instead a Var whose JavaScript asks `mgT` (defined by /i18n/catalog.js,
http/i18n.py) for the text in `SessionState.language`; the language Var's data are merged in, so
React draws the text again when the language changes. English is the source: the msgid is the
English text, and an unknown msgid shows as itself. `{name}` placeholders are filled in the
browser after translating: `t("Notifications, {count} unread", count=SessionState.unread_notifications)`.

Every text given to t() must be a literal string (a catalogue cannot hold an f-string): the
extractor (`make catalogues`) collects them; tests/unit/test_i18n.py checks both.
"""

import json

import reflex as rx
from reflex_base.vars.base import LiteralVar, VarData

from microgigs.state.session import SessionState

# Before /i18n/catalog.js has run (never in a browser, whose head loads it first; but the build's
# prerender has no `mgT`), the English text with its placeholders filled.
_FALLBACK = "((l, m, v) => Object.keys(v).reduce((s, k) => s.split('{' + k + '}').join(String(v[k])), m))"


def t(msgid: str, **values) -> rx.Var[str]:
    """`msgid` (English) in the viewer's language, `{name}` placeholders filled from `values`
    (plain values or Vars)."""
    return translated(msgid, **values)


def translated(msgid: str, **values) -> rx.Var[str]:
    """t() for a helper that takes a literal from its own callers (page_title): the extractor
    reads the literal at their call, not here."""
    language = SessionState.language
    filled = {name: LiteralVar.create(value) for name, value in values.items()}
    values_js = "({" + ", ".join(f"{json.dumps(name)}: {var!s}" for name, var in filled.items()) + "})"
    expr = f"(globalThis.mgT ?? {_FALLBACK})({language!s}, {json.dumps(msgid)}, {values_js})"
    # .to(str): a string Var, so a caller can join it to others ("… · " + the center's name).
    return rx.Var(
        _js_expr=expr,
        _var_type=str,
        _var_data=VarData.merge(language._get_all_var_data(), *(var._get_all_var_data() for var in filled.values())),
    ).to(str)

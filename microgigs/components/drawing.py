"""Two ways to draw one description of plain elements: as Reflex components (what the app
renders) and as HTML text (what a page sends before the app has loaded, http/board_first_page.py).

A description is a function `(data, draw)` that makes its elements only through `draw`:
- `draw.element(tag, *children, **attributes)`: an element (`class_name` is the class attribute,
  other underscores become hyphens: `aria_label` is aria-label);
- `draw.link(text, href, **attributes)`: a link within the app (client-side in the app);
- `draw.each(items, draw_item)`: one element per item of a list;
- `draw.named(value, names)`: the readable name of a code (the code itself when it has none),
  in the reader's language (the names are English texts marked with `_()` where defined);
- `draw.text(msgid, **values)`: a text in the reader's language (mark the literal with `_()`:
  `draw.text(_("Pay:"))`, so the catalogue has it).
With Reflex, `data` is a Var of a service DTO (a state var, an item of rx.foreach); with HTML, the
DTO itself. Both sides escape the data's text: React in the app, `html.escape` here.
"""

import functools
import html
import re
from collections.abc import Callable, Iterable, Mapping

import reflex as rx
from reflex.vars import Var
from reflex_components_core.react_router.dom import ReactRouterLink

from microgigs import i18n
from microgigs.components.i18n import translated


class Html(str):
    """HTML text already drawn: a child that is put in as is, never escaped again."""


def _attribute(name: str) -> str:
    return "class" if name == "class_name" else name.replace("_", "-")


class HtmlDrawing:
    """Draws a description as HTML text; every piece of data is escaped. (The board's first page
    draws twenty cards per request: the opening tags, mostly constant, are made once.)
    Its texts are in `language` (the request's)."""

    def __init__(self, language: str = i18n.DEFAULT):
        self.language = i18n.language_or_default(language)

    def element(self, tag: str, *children, **attributes) -> Html:
        inner = "".join([child if type(child) is Html else _escape(str(child)) for child in children])
        return Html(f"{_opening_tag(tag, tuple(attributes.items()))}{inner}</{tag}>")

    def link(self, text, href: str, **attributes) -> Html:
        return self.element("a", text, **attributes, href=href)

    def each(self, items: Iterable, draw_item: Callable) -> Html:
        return Html("".join([draw_item(item) for item in items]))

    def named(self, value: str, names: Mapping[str, str]) -> str:
        return i18n.gettext(self.language, names[value]) if value in names else value

    def text(self, msgid: str, **values) -> str:
        return i18n.gettext(self.language, msgid, **values)


_SPECIAL = re.compile(r"[&<>\"']")


def _escape(text: str) -> str:
    return html.escape(text, quote=True) if _SPECIAL.search(text) else text  # most text has nothing to escape


@functools.lru_cache(maxsize=1024)
def _opening_tag(tag: str, attributes: tuple[tuple[str, object], ...]) -> str:
    return f"<{tag}" + "".join(f' {_attribute(name)}="{html.escape(str(value), quote=True)}"' for name, value in attributes) + ">"


class ReflexDrawing:
    """Draws a description as Reflex components (plain elements: no Radix styling of their own)."""

    def element(self, tag: str, *children, **attributes) -> rx.Component:
        return getattr(rx.el, tag)(*children, **attributes)

    def link(self, text, href, **attributes) -> rx.Component:
        # React Router's link (as rx.link uses inside): the app changes page without reloading.
        return ReactRouterLink.create(text, to=href, **attributes)

    def each(self, items, draw_item: Callable) -> rx.Component:
        return rx.foreach(items, draw_item)

    def named(self, value, names: Mapping[str, str]):
        if isinstance(value, Var):
            return rx.match(value, *[(code, translated(name)) for code, name in names.items()], value)
        return translated(names[value]) if value in names else value

    def text(self, msgid: str, **values) -> rx.Var:
        return translated(msgid, **values)


AS_HTML = HtmlDrawing()  # English; HtmlDrawing(language) for another
AS_COMPONENTS = ReflexDrawing()

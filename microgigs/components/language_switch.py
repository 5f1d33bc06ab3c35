"""The footer's language switch: "English · Español", each a link through /i18n/language."""

import json

import reflex as rx

from microgigs import i18n
from microgigs.components.i18n import t
from microgigs.components.url_object import rendered_url
from microgigs.http.i18n import SWITCH_PATH
from microgigs.state.session import SessionState


def _switch_href(language: str) -> rx.Var[str]:
    """/i18n/language?to=<language>&next=<this page>: the route sets the language and comes back."""
    here = rendered_url(with_query=True)
    return rx.Var(
        _js_expr=f"({json.dumps(f'{SWITCH_PATH}?to={language}&next=')} + encodeURIComponent({here!s}))",
        _var_type=str,
        _var_data=here._get_all_var_data(),
    )


def language_switch() -> rx.Component:
    """The footer's "English · Español": each language named in itself (its `lang` says how to
    read it), the one shown marked as current. Plain links (a full page load through the route):
    the language is read again as the page loads."""
    links = []
    for code, name in i18n.LANGUAGES.items():
        if links:
            links.append(rx.el.span(" · ", aria_hidden="true"))
        links.append(
            # A Radix link, like the footer's others (their colours pass contrast in both schemes).
            rx.link(
                name,
                href=_switch_href(code),
                size="2",
                lang=code,
                custom_attrs={"hrefLang": code},
                # rx.el.a is React Router's Link: our route needs a real page load.
                reload_document=True,
                aria_current=rx.cond(SessionState.language == code, "true", None),
                class_name="language-link",
            )
        )
    return rx.el.span(*links, role="group", aria_label=t("Language"), class_name="language-switch rt-Text rt-r-size-2")

"""Markdown people write (a gig's scope and deliverables, a center's pages, notes and messages):
made inert before it is stored, rendered to safe HTML when shown (components/markdown.py draws it)."""

import functools
import re

from markdown_it import MarkdownIt

from microgigs.services.validation import clean_text

_UNSAFE_LINK = re.compile(r"(\]\(\s*<?\s*|\]:\s*<?\s*)(javascript|vbscript|data|file)\s*:", re.IGNORECASE)


def neutralize_markup(value: str) -> str:
    """Markdown with any HTML made inert (shown as text) and script links disarmed.

    Applied before storing and again before showing (it is idempotent)."""
    value = clean_text(value).replace("<", "&lt;")
    return _UNSAFE_LINK.sub(lambda m: m.group(1) + "#blocked-", value)


def _safe_link(url: str) -> bool:
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    return scheme in ("", "http", "https", "mailto")


_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image"])
_MD.validateLink = _safe_link
# Links people wrote are not endorsed (nofollow) and the page they open learns nothing of ours.
_LINK_REL = "nofollow noopener noreferrer"


def _link_open(renderer, tokens, idx, options, env):
    tokens[idx].attrSet("rel", _LINK_REL)
    return renderer.renderToken(tokens, idx, options, env)


_MD.add_render_rule("link_open", _link_open)


# A pure function of the text, so cached by it (no change notice needed, right on every worker):
# rendering was a fifth of a gig page load's own work (py-spy, issue 17). 256 texts stay bounded
# (the scope is at most 20,000 characters) and cover the gigs people are opening.
@functools.lru_cache(maxsize=256)
def render_markdown(value: str) -> str:
    """Safe HTML for markdown: raw HTML is escaped, only http(s)/mailto/relative links, each with
    rel="nofollow noopener noreferrer" (and no target: a link opens where the reader chooses)."""
    return _MD.render(neutralize_markup(value))

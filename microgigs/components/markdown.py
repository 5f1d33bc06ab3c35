"""Markdown as people read it, the same on every page: lists with bullets and numbers, links
underlined in the accent colour, emphasis, code, spaced paragraphs, long words wrapping.

It draws the safe HTML a service made with `services.gigs.render_markdown` (raw HTML escaped,
only http(s)/mailto/relative links); never HTML from anywhere else. The look is `.prose` in
assets/styles.css.
"""

import reflex as rx


def markdown_block(html: rx.Var | str, **props) -> rx.Component:
    """The safe HTML of a scope, a note, a message or a center page, in the `.prose` look."""
    class_name = " ".join(["prose", props.pop("class_name", "")]).strip()
    return rx.html(html, class_name=class_name, width="100%", **props)

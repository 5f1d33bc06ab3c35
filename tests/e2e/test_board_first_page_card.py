"""The board's first page of gigs (sent in the HTML, http/board_first_page.py) shows the very card
the app draws once it has taken over: same elements and attributes, same words, same roles and
accessible names, same look and size. Both come from one description (components/gig_card.py);
this test fails when they drift apart anyway."""

import re

from playwright.sync_api import expect

PHONE = {"width": 375, "height": 812}

# What a card looks like, read from each of its elements (the computed styles that decide how it
# is laid out and how it reads).
STYLES = (
    "display",
    "position",
    "flex-direction",
    "flex-wrap",
    "align-items",
    "justify-content",
    "gap",
    "margin",
    "padding",
    "box-sizing",
    "list-style-type",
    "white-space",
    "overflow-wrap",
    "font-family",
    "font-size",
    "font-weight",
    "line-height",
    "letter-spacing",
    "color",
    "background-color",
    "box-shadow",
    "border-radius",
    "text-decoration-line",
    "text-decoration-color",
    "cursor",
    "clip",
)
# React Router marks the links it may discover routes for; it says nothing about the card.
IGNORED_ATTRIBUTES = ("data-discover",)

DESCRIBE = """([element, styles, ignored]) => {
  const describe = (node) => {
    const style = getComputedStyle(node);
    const box = node.getBoundingClientRect();
    return {
      tag: node.tagName.toLowerCase(),
      attributes: Object.fromEntries([...node.attributes].filter((a) => !ignored.includes(a.name)).map((a) => [a.name, a.value])),
      text: [...node.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join(''),
      styles: Object.fromEntries(styles.map((name) => [name, style.getPropertyValue(name)])),
      size: [Math.round(box.width), Math.round(box.height)],
      children: [...node.children].map(describe),
    };
  };
  return describe(element);
}"""


def describe(card) -> dict:
    """The card as a person and a screen reader meet it: visible text, roles and accessible names,
    and every element with its attributes, own text, styles and size."""
    return {
        "visible text": card.inner_text(),
        "roles and names": card.aria_snapshot(),
        "elements": card.evaluate(f"(element) => ({DESCRIBE})([element, {list(STYLES)!r}, {list(IGNORED_ATTRIBUTES)!r}])"),
    }


def differences(before, after, where: str = "card") -> list[str]:
    """Where two descriptions differ, as readable lines (path: before != after)."""
    if isinstance(before, dict) and isinstance(after, dict):
        return [line for key in dict.fromkeys([*before, *after]) for line in differences(before.get(key), after.get(key), f"{where}.{key}")]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [line for n, (b, a) in enumerate(zip(before, after, strict=True)) for line in differences(b, a, f"{where}[{n}]")]
    return [] if before == after else [f"{where}: {before!r} != {after!r}"]


def test_the_first_card_is_the_same_before_and_after_the_app_takes_over(new_context):
    # Before the app: its scripts are refused, so the page stays as the HTML brought it.
    before_app = new_context(viewport=PHONE)
    before_app.route(re.compile(r"/assets/.+\.js$"), lambda route: route.abort())
    bare = before_app.new_page()
    bare.goto("/")
    sent = bare.locator("#board-first-page .board-card").first
    expect(sent.get_by_role("article")).to_be_visible()
    sent_card = describe(sent)
    assert sent.bounding_box()["y"] < PHONE["height"], "the first card is not on the first screen"

    # After: the app has drawn the board itself and the HTML's copy is gone.
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    expect(page.get_by_text("Loading gigs…")).to_have_count(0)
    expect(page.locator("#board-first-page")).to_have_count(0)
    drawn = page.locator("main .board-card").first
    expect(drawn.get_by_role("article")).to_be_visible()
    drawn_card = describe(drawn)

    assert sent_card["elements"]["children"], "the card was not read"
    drift = differences(sent_card, drawn_card)
    assert not drift, "The card sent in the HTML differs from the app's (before != after):\n" + "\n".join(drift)

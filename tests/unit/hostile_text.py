"""Hostile text for the forms' tests: what a browser, a script or a pasted document can put in a
field. Every strategy draws plain `str` values; `hostile_text()` mixes all of them.

Lone surrogates are in the mix on purpose: a Reflex event arrives as JSON over the websocket,
and JSON's "\\ud800" escape decodes to a lone surrogate that SQLite (and any UTF-8 encoder)
refuses. Browsers' form posts cannot carry them (they are replaced on decoding).
"""

from hypothesis import strategies as st

C0_AND_C1 = [chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))]
LINE_BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u034f"]
WHITESPACE = [" ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000", "\u2028", "\u2029", "\x85", "\u200b", "\ufeff"]
COMBINING = ["\u0301", "\u0308", "\u0336", "\u20dd", "\u0489"]
LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
MARKUP = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<iframe src='javascript:alert(1)'></iframe>",
    "[click](javascript:alert(1))",
    "[x]: data:text/html;base64,PHNjcmlwdD4=",
    "![x](https://evil.example/x.png)",
    "**bold** _em_ `code` # Heading\n> quote",
    "&lt;b&gt; &#x3C;script&#x3E; &amp;",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "\"'><svg/onload=alert(1)>",
]
SQLISH = [
    "' OR '1'='1",
    "'; DROP TABLE gig; --",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "%_\\%",
    "1; SELECT * FROM user",
    "' UNION SELECT password_hash FROM user --",
]
LOOKALIKES = [
    "ｓｃｒｉｐｔ",
    "ｃａｓｉｎｏ",
    "ﬁle",
    "Ⓐdmin",
    "ℌello",
    "𝐀𝐝𝐦𝐢𝐧",
    "ǅ",
    "ＰｙｔＨｏｎ",
    "１２",
    "٣",
    "²",
    "Ⅻ",
    "ａｄｍｉｎ＠ｅｘａｍｐｌｅ．ｅｄｕ",
]
PATHS = [
    "../../etc/passwd",
    "..\\..\\windows\\system32",
    "%2e%2e%2f%2e%2e%2f",
    "/dev/null",
    "C:\\boot.ini",
    "....//....//",
    "file:///etc/passwd",
]
EMOJI = ["👩\u200d💻", "👨\u200d👩\u200d👧\u200d👦", "🏳\ufe0f\u200d🌈", "🇺🇸🇫🇷", "🧑🏽\u200d🚀", "❤\ufe0f"]
NUMBERISH = ["NaN", "inf", "-inf", "1e400", "9" * 40, "-1", "0x10", "1_000", "٣٤", "²", "Ⅻ", " 12 ", "12\x00"]
SPECIALS = MARKUP + SQLISH + LOOKALIKES + PATHS + EMOJI + NUMBERISH


def pieces() -> st.SearchStrategy[str]:
    """One short hostile piece."""
    return st.one_of(
        st.sampled_from(C0_AND_C1),
        st.sampled_from(LINE_BREAKS),
        st.sampled_from(BIDI),
        st.sampled_from(INVISIBLE),
        st.sampled_from(COMBINING),
        st.sampled_from(LONE_SURROGATES),
        st.sampled_from(SPECIALS),
        # Astral characters (emoji, math letters, CJK extensions): surrogate-free code points.
        st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, exclude_categories=("Cs", "Co", "Cn")),
        st.text(max_size=8),
    )


def mixed() -> st.SearchStrategy[str]:
    """A few hostile pieces around ordinary words, so a service that accepts text still gets some."""
    return st.lists(st.one_of(pieces(), st.sampled_from(["data", "survey", "Python", "report", " "])), min_size=1, max_size=12).map("".join)


def whitespace_only() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WHITESPACE + INVISIBLE), min_size=1, max_size=20).map("".join)


def very_long() -> st.SearchStrategy[str]:
    """10k–100k characters: one character (or hostile piece) repeated, built cheaply."""
    unit = st.one_of(st.sampled_from(["a", "é", "😀", "\u0301", "\x00", "<", "\u202e", "ab\n"]), st.sampled_from(SPECIALS))
    return st.builds(lambda u, n: (u * (n // max(1, len(u)) + 1))[:n], unit, st.integers(min_value=10_000, max_value=100_000))


def zalgo() -> st.SearchStrategy[str]:
    """A letter carrying a pile of combining marks (each stack visually one character)."""
    return st.builds(lambda n, mark: "Z" + mark * n + "algo", st.integers(1, 300), st.sampled_from(COMBINING))


def hostile_text() -> st.SearchStrategy[str]:
    """Everything above, in one strategy."""
    return st.one_of(
        st.sampled_from(SPECIALS),
        mixed(),
        whitespace_only(),
        very_long(),
        zalgo(),
        st.text(max_size=300),
    )


# A fixed sample, one of each kind, for the handlers driven without Hypothesis.
SAMPLE = [
    "a\x00b",
    "line one\r\nline two\x1b[31m",
    "\u202eevil.exe\u202c",
    "\u200b\u200b\u200b",
    "   \t\u3000 ",
    "e\u0301" * 50,
    "😀" * 20 + "👩\u200d💻",
    "x" * 50_000,
    "<script>alert(1)</script>",
    "'; DROP TABLE gig; --",
    "ｃａｓｉｎｏ",
    "../../etc/passwd",
    "half an emoji \ud83d",
    "²",
    "1e400",
]

"""Small input-cleaning helpers shared by services, and the many-fields error."""

import re
import unicodedata
from urllib.parse import urlsplit

from microgigs.i18n import Number, Text, msg
from microgigs.services.errors import DomainError

# Line breaks of every kind become "\n" (Windows' CRLF, old Mac CR, Unicode's separators).
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Never kept: C0 controls but tab and newline, DEL, C1 controls, lone surrogates (a JSON
# "\ud800" arrives as one, and no UTF-8 encoder or database takes it), the bidi embeddings,
# overrides and isolates that make text display in another order than it is stored
# (the direction marks U+200E/U+200F/U+061C stay), and the byte-order mark.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufeff]")
# Blank and invisible characters that make a value look filled in when it is not: trimmed at
# the ends (inside text they stay: joiners build emoji and some scripts need them).
_EDGES = " \t\n\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u202f\u205f\u2060\u3000\u00ad\u034f\u180e"


class ValidationFailed(DomainError):
    """Several inputs were wrong at once; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, first_field)
        self.errors = dict(errors)


def clean_text(value: str | None) -> str:
    """Text as it may be stored and shown: Unicode normalized (NFC), line breaks as "\n",
    control characters, lone surrogates and bidi overrides dropped, invisible padding trimmed.
    Keeps newlines and tabs inside; use clean_line for one-line fields."""
    text = _UNWANTED.sub("", _LINE_BREAKS.sub("\n", value or ""))
    return unicodedata.normalize("NFC", text).strip(_EDGES)


def clean_line(value: str | None, limit: int | None = None) -> str:
    """clean_text for a one-line field (a title, a name, a search box): every run of
    whitespace, line breaks included, becomes one space. With `limit`, cut to that many
    characters for a value that is shortened rather than refused (a search query)."""
    line = " ".join(clean_text(value).split())
    return line if limit is None else line[:limit].strip(_EDGES)


def fold_lookalikes(value: str | None) -> str:
    """A form of the text for comparing (and for keys kept only to compare against, such as
    prohibited terms), never for showing: compatibility look-alikes folded
    (NFKC: "ｃａｓｉｎｏ" and "𝐜𝐚𝐬𝐢𝐧𝐨" are "casino"), case folded, and invisible
    characters (Unicode format characters: zero-width spaces, soft hyphens) dropped."""
    text = unicodedata.normalize("NFKC", clean_text(value)).casefold()
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


# The largest id an integer column holds in every database we run on (PostgreSQL's INTEGER).
MAX_ID = 2_147_483_647


def parse_id(value) -> int | None:
    """A row id as a form, an event or a URL sends it ("12"), or None when it is not one. ASCII
    digits only: int() also reads "١٢" and raises on "²"; and no bigger than a database holds
    (a bigger one makes SQLite raise OverflowError and PostgreSQL an out-of-range error)."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def check_length(errors: dict[str, str], field: str, value: str, *, label: str, max_len: int, required: bool = True) -> None:
    """A required or too long text's message in `errors[field]`. `label` says what to enter ("a
    title"): mark it for the catalogue where it is written (`_("a title")` or `msg("a title")`)
    and it is translated with the message; an unmarked one is shown as it is."""
    if required and not value:
        errors[field] = msg("Enter {what}.", what=label if isinstance(label, Text) else Text(label))
    elif len(value) > max_len:
        errors[field] = too_long(max_len, len(value))


def too_long(max_len: int, length: int) -> Text:
    """ "Use at most 300 characters (you have 312)." """
    return msg("Use at most {max_len} characters (you have {count}).", max_len=Number(max_len), count=Number(length))


def is_http_url(value: str) -> bool:
    """An absolute http(s) address with a host, with nothing blank, invisible or control in it."""
    if not value or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed IPv6 bracket: "https://["
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)

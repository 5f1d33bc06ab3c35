"""Two languages: English (the source: a msgid is the English text) and Spanish.

The one place that knows the catalogues and the viewer's locale, for services, states, HTTP
routes and mail alike (it imports no Reflex and nothing else of MicroGigs). The Spanish catalogue is `locale/es/LC_MESSAGES/messages.po`, read once per process with
Babel (no compiled .mo is kept: the .po is the one copy). Pages do not call `gettext`: their
text is chosen in the browser (see `components/i18n.py`); this module hands the browser the
catalogue (`catalog`) and formats dates and money for the viewer on the server.

Adding a string: write it in English through `_()` / `t()`; then update the catalogues
(README, "Languages") and translate it in the .po. A unit test fails until you do.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError, dates, numbers
from babel.messages.pofile import read_po

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT = "en"
COOKIE = "mg_lang"  # the visitor's choice from the footer's language switch (http/i18n.py)
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def language_or_default(language: str | None) -> str:
    """`language` when it is one of ours ("es"), else the default: a stored or sent value is
    never trusted to be one."""
    return language if language in LANGUAGES else DEFAULT


def language_from_cookie_header(cookie_header: str | None) -> str | None:
    """The language a visitor chose with the switch (the `mg_lang` cookie), or None."""
    jar = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except CookieError:
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None and morsel.value in LANGUAGES else None


def negotiate(accept_language: str | None) -> str:
    """The language to show for an Accept-Language header ("es-MX,es;q=0.9,en;q=0.5" -> "es"):
    the first of the visitor's languages by q-value that we have (a region is dropped: es-MX is
    es); none of ours, or no header -> English. A q of 0 means "not this one"."""
    wanted: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            wanted.append((-quality, position, tag.strip().lower()))
    for _quality, _position, tag in sorted(wanted):
        base = tag.replace("_", "-").split("-")[0]
        if base in LANGUAGES:
            return base
    return DEFAULT


@cache
def catalog(language: str) -> dict[str, str]:
    """{msgid: translation} for `language`, the untranslated and fuzzy left out (they show the
    English text). English has no catalogue: its texts are the msgids themselves."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT or not path.exists():
        return {}
    with path.open("rb") as file:
        messages = read_po(file)
    found: dict[str, str] = {}
    for message in messages:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):  # plural: "singular" -> forms, looked up by ngettext
            forms = [form for form in message.string if form]
            if len(forms) == len(message.string):
                found[message.id[0]] = message.string[0]
                found[message.id[1]] = message.string[-1]
            continue
        if message.string:
            found[message.id] = message.string
    return found


def gettext(language: str, msgid: str, **values) -> str:
    """`msgid` in `language` (the English msgid when there is no translation), with its
    `{name}` placeholders filled AFTER translating: the translation may move them."""
    text = catalog(language_or_default(language)).get(msgid, msgid)
    return text.format(**values) if values else text


def ngettext(language: str, singular: str, plural: str, count: int, **values) -> str:
    """The singular or plural text for `count` (English and Spanish both: one is singular),
    with `{count}` and the other placeholders filled after translating."""
    msgid = singular if count == 1 else plural
    return gettext(language, msgid, count=count, **values)


def _(msgid: str) -> str:
    """Marks a text for the catalogue where it is defined and translated later (a constant)."""
    return msgid


class Text(str):
    """A message a service writes for a person, not yet in their language: it IS the English
    text (so logs, audit rows and English readers see it as before), and it remembers its msgid
    and values, so whoever shows it translates it for the reader (`translate`): a state for the
    viewer, mail and notifications for the recipient. Values may be Texts themselves ("Enter
    {what}." with what = msg("a title")): they are translated too."""

    msgid: str
    values: dict

    def __new__(cls, msgid: str, **values):
        english = {name: value for name, value in values.items()}
        text = super().__new__(cls, msgid.format(**english) if values else msgid)
        text.msgid = msgid
        text.values = values
        return text


def joined(parts: list, separator: str = " ") -> Text:
    """Several messages shown as one line, each translated where the line is shown."""
    names = [f"part{index}" for index in range(len(parts))]
    return Text(separator.join("{" + name + "}" for name in names), **dict(zip(names, parts, strict=True)))


def msg(msgid: str, **values) -> Text:
    """A service's message for people: English now, translated where it is shown. The msgid is
    a literal with `{name}` placeholders (the catalogue holds it; `make catalogues` finds it)."""
    return Text(msgid, **values)


class Written(str):
    """A value inside a message that each language writes its own way (a number, a day, an
    amount, a currency's name): English now, rewritten by `translate` for the reader."""

    def in_language(self, language: str) -> str:
        raise NotImplementedError


class Number(Written):
    """A whole number: "5,000" / "5.000"."""

    def __new__(cls, value: int = 0):
        text = super().__new__(cls, f"{int(value):,}")
        text.value = int(value)
        return text

    def __getnewargs__(self):
        return (self.value,)

    def in_language(self, language: str) -> str:
        return numbers.format_decimal(self.value, locale=_locale(language))


class Day(Written):
    """A calendar day: "Dec 26, 2026" / "26 dic 2026"."""

    def __new__(cls, value: date | None = None):
        value = value or date.min
        text = super().__new__(cls, format_date(value, DEFAULT))
        text.value = value
        return text

    def __getnewargs__(self):
        return (self.value,)

    def in_language(self, language: str) -> str:
        return format_date(self.value, language)


class Money(Written):
    """An amount, written in English as the service wrote it (`english`), and as the reader's
    language writes money otherwise ("1234,50 US$")."""

    def __new__(cls, english: str = "", minor_units: int = 0, currency: str = "usd"):
        text = super().__new__(cls, english)
        text.minor_units, text.currency = minor_units, currency
        return text

    def __getnewargs__(self):
        return (str(self), self.minor_units, self.currency)

    def in_language(self, language: str) -> str:
        return str(self) if language_or_default(language) == DEFAULT else format_money(self.minor_units, self.currency, language)


class CurrencyName(Written):
    """A currency named in words, plural, written in English as the service wrote it
    ("US dollars") and by the reader's language otherwise ("dólares estadounidenses")."""

    def __new__(cls, english: str = "", currency: str = "usd"):
        text = super().__new__(cls, english)
        text.currency = currency
        return text

    def __getnewargs__(self):
        return (str(self), self.currency)

    def in_language(self, language: str) -> str:
        if language_or_default(language) == DEFAULT:
            return str(self)
        return numbers.get_currency_name((self.currency or "usd").upper(), count=2, locale=_locale(language))


def translate(language: str, value):
    """`value` in `language` when it is a Text (its values first) or a Written value; any other
    value as it is (a person's own words, a gig's title)."""
    if isinstance(value, Written):
        return value.in_language(language)
    if not isinstance(value, Text):
        return value
    values = {name: translate(language, inner) for name, inner in value.values.items()}
    return gettext(language, value.msgid, **values)


def translate_all(language: str, messages: dict) -> dict:
    """A form's {field: message} in `language`."""
    return {field: translate(language, message) for field, message in messages.items()}


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language_or_default(language))
    except UnknownLocaleError:
        return Locale.parse(DEFAULT)


def _zone(tz_name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def format_date(value: date | datetime, language: str) -> str:
    """A day for people: "Dec 26, 2026" / "26 dic 2026"."""
    return dates.format_date(value, "medium", locale=_locale(language))


def zone_name(moment: datetime, language: str) -> str:
    """The time zone of an aware `moment`, named for people: its abbreviation where the language
    has one ("EST", "CET", "UTC"), else its city ("Madrid time" / "hora de Madrid")."""
    locale = _locale(language)
    short = dates.get_timezone_name(moment, "short", locale=locale)
    if short.isalpha():
        return short
    city = dates.get_timezone_location(moment.tzinfo, locale=locale, return_city=True)
    return gettext(language, "{city} time", city=city)


def format_datetime(value: datetime, language: str, tz_name: str | None) -> str:
    """A moment in the zone `tz_name` (an IANA name; unknown -> UTC), the zone named:
    "Dec 26, 2026, 11:00 AM EST" / "26 dic 2026, 17:00 CET". A naive `value` is UTC (as the
    database keeps them)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(_zone(tz_name))
    locale = _locale(language)
    day = dates.format_date(local, "medium", locale=locale)
    time = dates.format_time(local, "short", locale=locale)
    both = dates.get_datetime_format("medium", locale=locale).format(time, day)
    return f"{both} {zone_name(local, language)}"


def format_money(minor_units: int, currency: str, language: str) -> str:
    """An amount in the currency's minor units, written as the language writes money:
    123450 usd -> "$1,234.50" / "1234,50 US$"; 1235 jpy -> "¥1,235" / "1235 JPY"."""
    code = (currency or "usd").upper()
    amount = Decimal(minor_units).scaleb(-numbers.get_currency_precision(code))  # CLDR's, as services/amounts'
    return numbers.format_currency(amount, code, locale=_locale(language))

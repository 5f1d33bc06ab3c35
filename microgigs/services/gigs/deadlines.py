"""A gig's dates for its reader: a deadline date (Gig.application_deadline, a date with no zone)
means the END of that day, 23:59, in the gig's own zone (Gig.timezone); it is shown in the
viewer's zone (a signed-in person's User.timezone; a visitor sees the gig's) with the zone named,
and, when the viewer's clock differs from the gig's, the day as the gig meant it:
"Dec 27, 2026, 5:59 AM CET" + "(end of Dec 26 in America/New_York)"."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import dates

from microgigs import i18n

END_OF_DAY = time(23, 59)


def zone(tz_name: str | None) -> ZoneInfo:
    """The zone of an IANA name; an unknown or empty one is UTC."""
    try:
        return ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def deadline_moment(day: date, gig_tz: str | None) -> datetime:
    """The last minute of `day` in the gig's zone (an aware datetime)."""
    return datetime.combine(day, END_OF_DAY, tzinfo=zone(gig_tz))


@dataclass
class ShownDeadline:
    text: str  # "Dec 26, 2026, 11:59 PM EST"
    note: str  # "" or "(end of Dec 26 in America/New_York)"


def shown_deadline(day: date, gig_tz: str | None, language: str, viewer_tz: str | None = None) -> ShownDeadline:
    """The deadline `day` of a gig in zone `gig_tz`, as a viewer in `viewer_tz` (None: a
    visitor, who sees the gig's zone) reads it in `language`."""
    gig_zone = zone(gig_tz)
    moment = deadline_moment(day, gig_zone.key)
    viewer_zone = zone(viewer_tz or gig_zone.key)
    text = i18n.format_datetime(moment, language, viewer_zone.key)
    if moment.astimezone(viewer_zone).replace(tzinfo=None) == moment.replace(tzinfo=None):
        return ShownDeadline(text=text, note="")
    short_day = dates.format_skeleton("MMMd", day, locale=i18n.language_or_default(language))
    note = i18n.gettext(language, "(end of {day} in {zone})", day=short_day, zone=gig_zone.key)
    return ShownDeadline(text=text, note=note)


def shown_day(day: date, language: str) -> str:
    """A date with no time (a gig's due date): "Dec 30, 2026" / "30 dic 2026"."""
    return i18n.format_date(day, language)

"""Saved searches and their alerts: a student keeps a board search (its URL's words and
filters) and hears about new gigs that match it, at once or once a day, in the app and by mail.

Matching is the board's own search (services/search.py, newest first): a saved search finds
exactly what the board would show for its URL. Only gigs open on the board (open, still taking
applications) are ever named, checked when the alert is made. Each gig is alerted once per
search: a SearchAlert row records it, so a retried job or a second worker never sends it twice.

- instant: when a gig opens (gigs/publishing.py calls `gig_opened` in the same transaction),
  every instant search it matches gets a notification and a mail (queued through the outbox);
- daily: the job `send_daily_alerts` looks once a day per search for gigs opened since its last
  look, and sends one notification and one mail listing those still open (nothing when none).
"""

# Annotations stay unevaluated: `search` may be half imported when this module is (search imports
# the gigs package's vocabulary, whose package imports publishing, which imports this module).
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import delete, or_, update
from sqlmodel import Session, func, select

from microgigs.i18n import Number, Text, _, gettext, language_or_default, msg, translate
from microgigs.integrations import mail
from microgigs.models import Gig, SavedSearch, SearchAlert, User, utcnow
from microgigs.services import mail_preferences, notifications, policy, search
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.validation import ValidationFailed, clean_line
from microgigs.settings import get_settings

FREQUENCIES = {"instant": _("Instantly"), "daily": _("Once a day")}
MAX_SEARCHES = 20  # per student
MAX_NAME = 80
DAY = timedelta(days=1)
# A search reads at most this many of its newest matches when it looks for new ones.
LOOK_AT_NEWEST = 200
MAX_LISTED = 20  # gigs named in one daily mail


@dataclass
class SavedSearchView:
    id: int
    name: str
    board_url: str  # the board with this search's words and filters
    frequency: str  # instant | daily
    frequency_text: str


def _query_of(params: dict[str, str]) -> search.BoardQuery:
    """The search as the board reads it from its URL; the page and sort are not part of it."""
    return search.BoardQuery.from_params(params)


def _stored_query(raw_params: dict[str, str]) -> str:
    wanted = _query_of(raw_params)
    wanted.page, wanted.sort = 1, "newest"
    return urlencode(wanted.to_params())


def _board_query(saved: SavedSearch) -> search.BoardQuery:
    return _query_of(dict(parse_qsl(saved.query)))


def _view(saved: SavedSearch) -> SavedSearchView:
    return SavedSearchView(
        id=saved.id,
        name=saved.name,
        board_url=f"/?{saved.query}" if saved.query else "/",
        frequency=saved.frequency,
        frequency_text=Text(FREQUENCIES[saved.frequency]) if saved.frequency in FREQUENCIES else saved.frequency,
    )


def _check_frequency(frequency: str) -> str:
    frequency = str(frequency or "").strip()
    if frequency not in FREQUENCIES:
        raise DomainError("Choose how often to be alerted: instantly or once a day.", "frequency")
    return frequency


def save_search(session: Session, actor: User | None, params: dict[str, str], name: str, frequency: str) -> SavedSearchView:
    """Keep the board search of `params` (its URL's parameters) under `name`."""
    policy.require(policy.is_student(actor), _("Only students can save searches."))
    errors: dict[str, str] = {}
    name = clean_line(name)
    query = _stored_query(params)
    if not name:
        name = clean_line(_query_of(params).q, limit=MAX_NAME) or "All open gigs"
    if len(name) > MAX_NAME:
        errors["name"] = msg("Use at most {limit} characters (you have {count}).", limit=MAX_NAME, count=Number(len(name)))
    if str(frequency or "").strip() not in FREQUENCIES:
        errors["frequency"] = msg("Choose how often to be alerted: instantly or once a day.")
    if errors:
        raise ValidationFailed(errors)
    count = session.exec(select(func.count()).select_from(SavedSearch).where(SavedSearch.user_id == actor.id)).one()
    if count >= MAX_SEARCHES:
        raise DomainError(msg("You can keep up to {count} saved searches: delete one first.", count=MAX_SEARCHES), "name")
    saved = SavedSearch(user_id=actor.id, name=name, query=query, frequency=frequency.strip())
    session.add(saved)
    session.flush()
    return _view(saved)


def _own(session: Session, actor: User | None, search_id: int) -> SavedSearch:
    policy.require(policy.is_student(actor), _("Only students have saved searches."))
    saved = session.get(SavedSearch, search_id)
    if saved is None or saved.user_id != actor.id:
        raise NotFound("That saved search")
    return saved


def my_searches(session: Session, actor: User | None) -> list[SavedSearchView]:
    policy.require(policy.is_student(actor), _("Only students have saved searches."))
    rows = session.exec(select(SavedSearch).where(SavedSearch.user_id == actor.id).order_by(SavedSearch.id.desc())).all()
    return [_view(s) for s in rows]


def set_frequency(session: Session, actor: User | None, search_id: int, frequency: str) -> SavedSearchView:
    saved = _own(session, actor, search_id)
    saved.frequency = _check_frequency(frequency)
    session.add(saved)
    session.flush()
    return _view(saved)


def delete_search(session: Session, actor: User | None, search_id: int) -> None:
    saved = _own(session, actor, search_id)
    session.exec(delete(SearchAlert).where(SearchAlert.search_id == saved.id))
    session.delete(saved)
    session.flush()


def searches_of(session: Session, user_id: int) -> list[SavedSearch]:
    """A person's saved searches as stored (for their data export)."""
    return list(session.exec(select(SavedSearch).where(SavedSearch.user_id == user_id).order_by(SavedSearch.id)))


def forget_searches(session: Session, user_id: int) -> None:
    """A deleted account's saved searches and what they were told: gone, so nothing more is sent."""
    ids = select(SavedSearch.id).where(SavedSearch.user_id == user_id)
    session.exec(delete(SearchAlert).where(SearchAlert.search_id.in_(ids)))
    session.exec(delete(SavedSearch).where(SavedSearch.user_id == user_id))


# --- matching, with the board's own search ---------------------------------------------------


def new_matches(session: Session, saved: SavedSearch, *, opened_after: datetime | None, today) -> list[int]:
    """Open gigs the board shows for this search, published after `opened_after`, that the search
    has not alerted yet; newest first."""
    session.flush()  # the board's search reads through its own statements: let it see this unit's changes
    query = _board_query(saved)
    query.sort, query.page = "newest", 1
    found = search.search_gigs(session, query, per_page=LOOK_AT_NEWEST, today=today).gig_ids
    if not found:
        return []
    published = dict(session.exec(select(Gig.id, Gig.published_at).where(Gig.id.in_(found))).all())
    already = set(session.exec(select(SearchAlert.gig_id).where(SearchAlert.search_id == saved.id, SearchAlert.gig_id.in_(found))))
    return [
        gid
        for gid in found
        if gid not in already and (opened_after is None or (published.get(gid) is not None and _aware(published[gid]) > opened_after))
    ]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _record(session: Session, saved: SavedSearch, gig_ids: list[int]) -> None:
    for gid in gig_ids:
        session.add(SearchAlert(search_id=saved.id, gig_id=gid))
    session.flush()


def _tell(session: Session, saved: SavedSearch, gigs: list[Gig]) -> None:
    """One notification and (unless turned off) one mail naming these gigs."""
    owner = session.get(User, saved.user_id)
    if owner is None or not owner.is_active or owner.deleted_at is not None:
        return
    if len(gigs) == 1:
        title, link = msg("New gig for “{search}”: {title}", search=saved.name, title=gigs[0].title), f"/gigs/{gigs[0].id}"
    else:
        title, link = msg("{count} new gigs for “{search}”", count=len(gigs), search=saved.name), f"/?{saved.query}" if saved.query else "/"
    notifications.notify(session, owner.id, "search.alert", title, link)
    if not mail_preferences.wants(session, owner.id, mail_preferences.ALERTS):
        return
    base = get_settings().public_url.rstrip("/")
    lines = "\n".join(f"- {g.title}: {base}/gigs/{g.id}" for g in gigs[:MAX_LISTED])
    items = "".join(f'<li><a href="{escape(base)}/gigs/{g.id}">{escape(g.title)}</a></li>' for g in gigs[:MAX_LISTED])
    board = f"{base}/?{saved.query}" if saved.query else f"{base}/"
    # In the owner's language, as the notification.
    language = language_or_default(owner.language)
    hello = gettext(language, "Hello {name},", name=owner.display_name)
    matches = gettext(language, "New open gigs match your saved search “{search}”:", search=saved.name)
    see_all, see_all_link = gettext(language, "See them all:"), gettext(language, "See them all on the board")
    mail.send(
        session,
        to=owner.email,
        subject=clean_line(translate(language, title), limit=200),
        text=f"{hello}\n\n{matches}\n\n{lines}\n\n{see_all} {board}\n",
        html=(f'<p>{escape(hello)}</p><p>{escape(matches)}</p><ul>{items}</ul><p><a href="{escape(board)}">{escape(see_all_link)}</a></p>'),
        recipient_id=owner.id,
        list_kind=mail_preferences.ALERTS,
        language=language,
    )


def gig_opened(session: Session, gig: Gig, now: datetime | None = None) -> int:
    """A gig just opened on the board: alert every instant search it matches (in this
    transaction: a refused or rolled-back approval alerts nobody). Returns how many."""
    now = now or utcnow()
    if gig.id is None:
        return 0
    told = 0
    for saved in session.exec(select(SavedSearch).where(SavedSearch.frequency == "instant").order_by(SavedSearch.id)).all():
        if gig.id in new_matches(session, saved, opened_after=None, today=now.date()):
            _record(session, saved, [gig.id])
            _tell(session, saved, [gig])
            told += 1
    return told


def _claim(session: Session, saved: SavedSearch, now: datetime) -> bool:
    """Take this search's daily look for this worker: one conditional update wins."""
    due = or_(SavedSearch.checked_at.is_(None), SavedSearch.checked_at <= now - DAY)
    result = session.exec(update(SavedSearch).where(SavedSearch.id == saved.id, due).values(checked_at=now))
    return result.rowcount == 1


def send_daily_alerts(session: Session, now: datetime) -> int:
    """The daily job: each daily search looked at once a day; one notification and one mail per
    search listing the gigs opened since its last look that are open on the board now (a gig
    closed or removed in between is left out; nothing is sent when nothing is left)."""
    due = or_(SavedSearch.checked_at.is_(None), SavedSearch.checked_at <= now - DAY)
    searches = session.exec(select(SavedSearch).where(SavedSearch.frequency == "daily", due).order_by(SavedSearch.id)).all()
    sent = 0
    for saved in searches:
        since = _aware(saved.checked_at or saved.created_at)
        if not _claim(session, saved, now):
            continue  # another worker looked at it first
        found = new_matches(session, saved, opened_after=since, today=now.date())
        if not found:
            continue
        _record(session, saved, found)
        gigs = session.exec(select(Gig).where(Gig.id.in_(found))).all()
        _tell(session, saved, sorted(gigs, key=lambda g: found.index(g.id)))
        sent += 1
    return sent

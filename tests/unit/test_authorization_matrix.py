"""The authorization matrix (issue 14, point 8): every page event handler and every HTTP route,
for every role, on its own object and on someone else's, checked against ONE table.

- Discovery: every @rx.event on SessionState and its subclasses (microgigs/state/*), and every
  route of build_api() (method x path). A handler or route missing from TABLE fails
  `test_every_handler_and_route_has_a_row`, so a new one is added here on purpose.
- TABLE: per handler/route, who may (a rule of a small vocabulary, authz_matrix.py), how to
  call it against the fixture world (authz_world.py: one of each object on two sides), and
  what an allowed cell must have done or shown. A refused cell must show its refusal and
  write nothing; no cell may send a private text of a side the role has no part in.
- Each cell is its own test: "<row>-<role>-<own|other|self>", e.g. "review_form.approve-other_manager-own".

Roles: visitor (no cookie), unconfirmed (signed up, never confirmed the address), student and
other_student, manager (of the employer that owns the "own" objects) and other_manager (of the
employer that owns the "other" ones), staff, admin. Columns: "own" names the own side's object,
"other" the other side's; "self" is the one column of a handler that names no object.
"""

from __future__ import annotations

import importlib
import io
import os
import pkgutil
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
import reflex as rx
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlmodel import Session, select

import microgigs.state
from microgigs import db, live
from microgigs.http.app import build_api
from microgigs.integrations import branding_files
from microgigs.models import (
    Application,
    AuthSession,
    CalendarFeed,
    CenterSettings,
    Credential,
    Dispute,
    DisputeMessage,
    Engagement,
    EngagementMessage,
    EngagementPayment,
    EvidenceSharing,
    ExtensionRequest,
    Gig,
    MailPreference,
    Milestone,
    Notification,
    OneTimeToken,
    Organization,
    OutboxMail,
    PayoutAccount,
    Portfolio,
    ProhibitedTerm,
    ReconciliationReport,
    Review,
    SavedGig,
    SavedSearch,
    Skill,
    StudentProfile,
    User,
)
from microgigs.services import accounts
from microgigs.services.center import LOGO_ROUTE
from microgigs.settings import get_settings
from microgigs.state.session import SessionState
from tests.stripe_fake.server import running_fake
from tests.stripe_fake.world import CONNECT_SECRET, PLATFORM_SECRET, SECRET_KEY, stripe_settings
from tests.unit.authz_matrix import (
    ADMIN,
    ANY_MANAGER,
    ANY_MANAGER_ON_ANY,
    ANY_STUDENT,
    ANY_STUDENT_ON_ANY,
    GIG_MANAGER,
    GIG_MANAGER_OR_STAFF,
    INVITEE,
    NO_IDENTITY_ON_ANY,
    NOBODY,
    NOBODY_ON_ANY,
    OWNER_OR_STAFF,
    PARTY,
    PARTY_OR_STAFF,
    PUBLIC,
    PUBLIC_ON_ANY,
    SELF_ONLY,
    SIGNED_IN,
    SIGNED_IN_CONFIRMED,
    SIGNED_IN_CONFIRMED_ON_ANY,
    STAFF,
    STAFF_ON_ANY,
    STUDENT_OR_MANAGER,
    STUDENT_OWNER,
    UNCONFIRMED_ONLY,
    Cell,
    Http,
    Page,
    Row,
    all_of,
    base_key,
    count,
    exists,
    fill,
    judge,
    records,
    redirects_to,
    resolve,
    row_is,
    run_page,
    run_route,
    shows,
    shows_text,
    state_is,
    state_key,
    status,
    that,
)
from tests.unit.authz_world import PASSWORD, PNG, ROLES, SIDE_OF_ROLE, WORLD_LOGO_PNG, build_world
from tests.unit.conftest import Factory
from tests.unit.test_center_settings import png

LOGO_PNG = png(8, 8)
# The logo the world's admin uploaded (authz_world.py): its name is its contents' hash.
WORLD_LOGO = f"{LOGO_ROUTE}/{branding_files.logo_name(WORLD_LOGO_PNG, '.png')}"

# --- discovery -------------------------------------------------------------------------------------


def page_states() -> list[type]:
    for module in pkgutil.iter_modules(microgigs.state.__path__):
        importlib.import_module(f"microgigs.state.{module.name}")

    def walk(cls: type):
        yield cls
        for sub in cls.__subclasses__():
            yield from walk(sub)

    return list(walk(SessionState))


def discover_handlers() -> dict[str, tuple[type, str]]:
    """Every event handler a browser can call, as "<state>.<handler>" -> (state class, name).

    A state's `event_handlers` holds the handlers it defines itself; an inherited one runs on
    the state that defines it (Reflex binds it there), so it has that state's row. Each state's
    `setvar` is Reflex's own: see test_setvar_reaches_nothing_outside_the_table."""
    found: dict[str, tuple[type, str]] = {}
    for cls in page_states():
        for name in cls.event_handlers:
            if name == "setvar":
                continue
            key = f"{state_key(cls)}.{name}"
            assert key not in found, f"two states are called {state_key(cls)}"
            found[key] = (cls, name)
    return found


def discover_routes() -> dict[str, tuple[str, str]]:
    """Every route of our Starlette app, as "<METHOD> <path>" (HEAD runs the GET handler)."""
    return {f"{method} {route.path}": (method, route.path) for route in build_api().routes for method in sorted(route.methods - {"HEAD"})}


HANDLERS = discover_handlers()
ROUTES = discover_routes()


# --- helpers for the table -----------------------------------------------------------------------------

TODAY = date.today()


def ids(*names: str):
    """Arguments taken from the cell's side: ids("application") -> (side.application,)."""
    return lambda cell: tuple(getattr(cell.side, name) for name in names)


def form(**fields):
    """A form whose values may be side fields ("{application}") or functions of the cell."""

    def build(cell: Cell) -> dict:
        return {k: fill(v, cell) if isinstance(v, str) else resolve(v, cell) for k, v in fields.items()}

    return build


def upload(name: str, data: bytes) -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


def label(cell: Cell) -> str:
    """ "A" for the own side, "B" for the other (as in "Paid gig A")."""
    return "A" if cell.side.name == "own" else "B"


def my_side_label(cell: Cell) -> str:
    """The caller's own side's letter ("self" cells: what the caller sees of their own)."""
    return "A" if SIDE_OF_ROLE.get(cell.role, "own") == "own" else "B"


def new_gig_form(title: str, **more) -> dict:
    return {
        "title": title,
        "summary": "Tidy a survey data set and document the steps.",
        "scope": "Deduplicate rows, fix encodings and write a short README of what changed.",
        "category": "Data analysis",
        "estimated_hours": "10",
        "due_date": (TODAY + timedelta(days=30)).isoformat(),
        "application_deadline": (TODAY + timedelta(days=10)).isoformat(),
        "pay": "300",
        "slots": "1",
        "skills": ["Python"],
        "blind_review": "on",
        **more,
    }


def review_form(cell: Cell) -> dict:
    return {**{f"rating_{n}": "5" for n in range(1, 5)}, "comment": "Clear and fair."}


def in_days(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def actor_row(model, **expected):
    """The caller's own row of `model` (keyed by user id) has these values."""
    return row_is(model, lambda cell: cell.user_id, **expected)


def credential_is_valid(cell: Cell) -> None:
    assert cell.state.result.status == "valid", cell.state.result


def own_notification(cell: Cell) -> int:
    notes = cell.world.notifications
    return notes.get(cell.role, notes["student"])  # a visitor has none: the student's


def someone_elses_notification(cell: Cell) -> int:
    notes = cell.world.notifications
    return notes["student"] if cell.role != "student" else notes["other_student"]


def saved_rows_of_others_unchanged(cell: Cell) -> None:
    before = [r for r in records(cell.before, "savedgig") if r["user_id"] != cell.user_id]
    after = [r for r in records(cell.after, "savedgig") if r["user_id"] != cell.user_id]
    assert before == after, "someone else's saved gigs changed"
    assert not count(cell.after, "savedgig", user_id=cell.user_id, gig_id=cell.side.gig_hiring), "still saved"


def only_own_notifications_read(cell: Cell) -> None:
    after = records(cell.after, "notification")
    assert all(n["read_at"] is not None for n in after if n["user_id"] == cell.user_id), "some of the caller's are unread"
    others_before = [n for n in records(cell.before, "notification") if n["user_id"] != cell.user_id]
    assert others_before == [n for n in after if n["user_id"] != cell.user_id], "someone else's notification changed"


def signed_in_as(user_of) -> Callable[[Cell], None]:
    """One new session for this user (a sign-in, a confirmation, an invitation's new account)."""

    def check(cell: Cell) -> None:
        user_id = user_of(cell)
        new = count(cell.after, "authsession", user_id=user_id) - count(cell.before, "authsession", user_id=user_id)
        assert new == 1, f"{new} new sessions for user {user_id}"

    return check


def callers_sessions_revoked(cell: Cell) -> None:
    if cell.role != "visitor":
        with cell.db() as session:
            rows = session.exec(select(AuthSession).where(AuthSession.user_id == cell.user_id)).all()
        assert rows and all(r.revoked_at is not None for r in rows), "a session of the caller is still open"


def callers_session_revoked(cell: Cell) -> None:
    if cell.role != "visitor":
        with cell.db() as session:
            row = session.exec(select(AuthSession).where(AuthSession.token_hash == accounts.hash_token(cell.token))).one()
        assert row.revoked_at is not None, "the caller's session is still open"


def password_changed(user_of) -> Callable[[Cell], None]:
    def check(cell: Cell) -> None:
        user = cell.get(User, user_of(cell))
        assert not accounts.verify_password(user.password_hash, PASSWORD), "the old password still works"

    return check


def export_is_callers(cell: Cell) -> None:
    assert cell.result.status_code == 200, f"HTTP {cell.result.status_code}"
    assert cell.result.json()["account"]["email"] == cell.world.emails[cell.role]


def photo_replaced(cell: Cell) -> None:
    def photo(snap) -> str:
        return next(u["photo_name"] for u in records(snap, "user") if u["id"] == cell.user_id)

    assert photo(cell.after) and photo(cell.after) != photo(cell.before), "no new photo"


def is_member(cell: Cell, user_id: int, org_id: int) -> bool:
    return bool(count(cell.after, "membership", user_id=user_id, organization_id=org_id))


def new_gig(cell: Cell) -> Gig:
    with cell.db() as session:
        return session.exec(select(Gig).where(Gig.title == "Brand new gig")).one()


def gig_posted_for_callers_employer(cell: Cell) -> None:
    assert is_member(cell, cell.user_id, new_gig(cell).organization_id), "posted for an employer the caller does not manage"


def gig_posted_for_the_named_employer(cell: Cell) -> None:
    assert new_gig(cell).organization_id == cell.side.org, "posted for another employer"


def invitation_for_callers_employer(cell: Cell) -> None:
    with cell.db() as session:
        row = session.exec(select(OneTimeToken).where(OneTimeToken.email == "friend@example.edu")).one()
    assert row.organization_id == cell.callers_side.org, "invited to another employer than the caller's"


def invitee_joined(cell: Cell) -> None:
    assert is_member(cell, cell.other_side.manager, cell.side.org), "the invited manager is not on the team"


def new_manager_joined(cell: Cell) -> None:
    with cell.db() as session:
        user = session.exec(select(User).where(User.email == f"newhire-{label(cell).lower()}@example.edu")).one()
    assert is_member(cell, user.id, cell.side.org), "the new manager is not on the team"


def saved(cell: Cell):
    return select(SavedGig).where(SavedGig.user_id == cell.user_id, SavedGig.gig_id == cell.side.gig_open)


def applied(cell: Cell):
    return select(Application).where(Application.student_id == cell.user_id, Application.gig_id == cell.side.gig_open)


def message_posted(cell: Cell):
    return select(EngagementMessage).where(
        EngagementMessage.author_id == cell.user_id, EngagementMessage.engagement_id == cell.side.eng_submitted
    )


def dispute_message_posted(cell: Cell):
    return select(DisputeMessage).where(DisputeMessage.author_id == cell.user_id, DisputeMessage.dispute_id == cell.side.dispute)


def revoked(cell: Cell):
    return select(Credential).where(Credential.public_id == cell.side.credential, Credential.revoked_at.is_not(None))


def a_new_mail(cell: Cell) -> bool:
    return len(cell.after["outboxmail"]) == len(cell.before["outboxmail"]) + 1


def login_form(cell: Cell) -> dict:
    """The own side's student's credentials ("own"), or the other's ("other")."""
    return {"email": cell.world.emails[{"own": "student", "other": "other_student"}[cell.column]], "password": PASSWORD}


# The public record (credentials, portfolio, evidence) never carries a student's pedigree or
# address, not even on the student's own screen.
PUBLIC_RECORD = ("PEDIGREE", "emailmark")
# What blind review hides from an employer until it shortlists an applicant.
BLIND = ("PEDIGREE", "emailmark")
NEW_APPLICATION_NOTE = {"note": "I have cleaned survey data before."}
NOT_SIGNED = b'{"id": "evt_1", "type": "charge.refunded"}'


# --- THE TABLE ------------------------------------------------------------------------------------------
def has_calendar_link(cell: Cell) -> None:
    assert cell.get(CalendarFeed, cell.user_id) is not None, "no calendar link"


def shows_new_calendar_link(cell: Cell) -> None:
    url = cell.state.link_url
    assert url.startswith(get_settings().public_url.rstrip("/") + "/calendar/") and url.endswith(".ics"), url
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert cell.get(CalendarFeed, cell.user_id).token_hash == accounts.hash_token(token), "the link shown is not the one kept"


# "<state>.<handler>" or "<METHOD> <path>"; "key[variant]" adds a row for the same handler called
# another way (a draft instead of an open gig...). Exceptions name cells whose outcome is not the
# rule's, and why.


def shows_whoever_is_here(cell: Cell) -> None:
    """The header names the signed-in person, and nobody for a visitor."""
    assert (cell.state.user_name == "") == (cell.role == "visitor"), f"the header shows {cell.state.user_name!r}"


TABLE: dict[str, Row] = {
    # --- who is signed in; signing in and up -----------------------------------------------------
    "login.load_login": Row(PUBLIC, Page("/login?next=/dashboard"), state_is(next_path="/dashboard")),
    "signup.load_signup": Row(PUBLIC, Page("/signup?role=manager"), state_is(role="manager")),
    "signup.set_role": Row(PUBLIC, Page("/signup", ("manager",), prepare=()), state_is(role="manager")),
    # The center's help, terms and privacy pages: for anyone, visitors and unconfirmed accounts too.
    "center_page.load_center_page": Row(PUBLIC, Page("/privacy"), shows_text(lambda c: "What is kept")),
    "shell.load_shell": Row(PUBLIC, Page("/check-email"), shows_whoever_is_here),
    # --- the account pages (an unconfirmed account's one page) -------------------------------------
    "account.load_account": Row(SIGNED_IN, Page("/account"), state_is(email=lambda c: c.world.emails[c.role])),
    # The calendar link (a section of /account): for people with dates of their own to follow.
    "calendar_link.load_calendar_link": Row(STUDENT_OR_MANAGER, Page("/account"), state_is(allowed=True, has_link=False)),
    "calendar_link.create_calendar_link": Row(STUDENT_OR_MANAGER, Page("/account"), all_of(has_calendar_link, shows_new_calendar_link)),
    "calendar_link.replace_calendar_link": Row(
        STUDENT_OR_MANAGER,
        Page("/account", prepare=("load_calendar_link", "create_calendar_link")),
        all_of(has_calendar_link, shows_new_calendar_link),
    ),
    "calendar_link.revoke_calendar_link": Row(
        STUDENT_OR_MANAGER,
        Page("/account", prepare=("load_calendar_link", "create_calendar_link")),
        all_of(that(lambda c: c.get(CalendarFeed, c.user_id) is None, "the link is still there"), state_is(has_link=False, link_url="")),
    ),
    # Only says "copied" (the page wrote the clipboard); shown where the section is.
    "calendar_link.copy_calendar_link": Row(STUDENT_OR_MANAGER, Page("/account"), state_is(notice="Calendar link copied.")),
    "forgot_password.load_forgot": Row(PUBLIC, Page("/forgot-password?email=a@example.edu"), state_is(email="a@example.edu")),
    # A mailed link is the capability: whoever holds it may open it.
    "reset_password.load_reset": Row(PUBLIC_ON_ANY, Page("/reset-password?token={reset_token}"), state_is(link_error="", loaded=True)),
    "verify_email.load_verify": Row(
        PUBLIC, Page("/verify-email?token={verify_token}"), state_is(error="", token=lambda c: c.world.verify_token)
    ),
    "join.load_join": Row(PUBLIC_ON_ANY, Page("/join?token={invitation_token}"), state_is(organization=lambda c: f"Employer {label(c)}")),
    # The in-app link names the invitation; only the invited (signed-in, confirmed) account may open it.
    "join.load_join[in-app invitation]": Row(
        INVITEE, Page("/join?invitation={in_app_invitation}"), state_is(organization=lambda c: f"Employer {label(c)}")
    ),
    # --- the board and a gig's page ---------------------------------------------------------------------
    "board.load_board": Row(PUBLIC, Page("/"), shows_text(lambda c: "Open gig A"), never_shows=("DRAFTMARK", "REVIEWMARK", "APPNOTE")),
    "board.show_filters": Row(PUBLIC, Page("/"), shows_text(lambda c: "Employer A")),
    "board.filter_panel_shown": Row(PUBLIC, Page("/?sort=pay", prepare=("load_board",)), shows_text(lambda c: "Employer B")),
    "board.search": Row(PUBLIC, Page("/", ({"q": "data"},), prepare=()), redirects_to("/?q=data")),
    "board.toggle_save": Row(ANY_STUDENT_ON_ANY, Page("/", ids("gig_open")), exists(saved, "saved gig")),
    "gig_detail.load_gig": Row(PUBLIC_ON_ANY, Page("/gigs/{gig_open}"), shows_text(lambda c: f"Open gig {label(c)}")),
    "gig_detail.load_gig[draft]": Row(GIG_MANAGER_OR_STAFF, Page("/gigs/{gig_draft}"), shows("DRAFTMARK")),
    "gig_detail.set_note": Row(PUBLIC, Page("/gigs/1", ("Hello",), prepare=()), state_is(note="Hello")),
    "gig_detail.apply": Row(ANY_STUDENT_ON_ANY, Page("/gigs/{gig_open}", (NEW_APPLICATION_NOTE,)), exists(applied, "application")),
    "saved.load_saved": Row(ANY_STUDENT, Page("/saved"), shows_text(lambda c: f"Hiring gig {my_side_label(c)}")),
    # Unsaving acts on the caller's own list only: someone else's saved gig stays saved.
    "saved.unsave": Row(ANY_STUDENT_ON_ANY, Page("/saved", ids("gig_hiring")), saved_rows_of_others_unchanged),
    # Saved searches: the board's form keeps the board URL's search; each student's list is their own.
    "save_search.toggle_form": Row(PUBLIC, Page("/"), state_is(form_open=True)),
    "save_search.save_search": Row(
        ANY_STUDENT,
        # A filter, not words: a word search would make SQLite's full-text index inside the cell.
        Page("/?mode=remote", ({"name": "Remote", "frequency": "instant"},)),
        exists(lambda c: select(SavedSearch).where(SavedSearch.user_id == c.user_id, SavedSearch.query == "mode=remote"), "saved search"),
    ),
    "saved_searches.load_searches": Row(ANY_STUDENT, Page("/saved"), shows_text(lambda c: f"Search {my_side_label(c)}")),
    "saved_searches.change_frequency": Row(
        STUDENT_OWNER, Page("/saved", lambda c: (c.side.saved_search, "instant")), row_is(SavedSearch, "saved_search", frequency="instant")
    ),
    "saved_searches.delete_search": Row(
        STUDENT_OWNER,
        Page("/saved", ids("saved_search")),
        that(lambda c: not count(c.after, "savedsearch", id=c.side.saved_search), "not deleted"),
    ),
    # /account's "Emails": anyone may load the page (it shows a visitor nothing); each person sets their own.
    "mail_choices.load_choices": Row(PUBLIC, Page("/account"), state_is(shown=lambda c: c.role not in ("visitor", "unconfirmed"))),
    "mail_choices.set_choice": Row(
        SIGNED_IN_CONFIRMED,
        Page("/account", ("notifications", False)),
        exists(
            lambda c: select(MailPreference).where(MailPreference.user_id == c.user_id, MailPreference.notification_mail.is_(False)), "off"
        ),
    ),
    "saved_searches.set_weekly_digest": Row(
        ANY_STUDENT,
        Page("/saved", (True,)),
        exists(lambda c: select(MailPreference).where(MailPreference.user_id == c.user_id, MailPreference.weekly_digest), "digest on"),
    ),
    # --- posting and moderating gigs ---------------------------------------------------------------------
    "post_gig.load_post_gig": Row(SIGNED_IN_CONFIRMED, Page("/gigs/new"), state_is(loaded=True)),
    "post_gig.load_post_gig[edit]": Row(GIG_MANAGER, Page("/gigs/{gig_draft}/edit"), shows("DRAFTMARK")),
    "post_gig.load_post_gig[template]": Row(
        GIG_MANAGER, Page("/gigs/new?from={gig_open}"), state_is(template_title=lambda c: f"Open gig {label(c)}")
    ),
    "post_gig.set_intent": Row(PUBLIC, Page("/gigs/new", ("preview",), prepare=()), state_is(intent="preview")),
    # Runs the validator on what is typed (reads only the skill list).
    "post_gig.check_live": Row(
        PUBLIC, Page("/gigs/new", ("pay", "abc"), prepare=()), that(lambda c: c.state.errors["pay"], "no message"), shows_messages=True
    ),
    "post_gig.post": Row(ANY_MANAGER, Page("/gigs/new", (new_gig_form("Brand new gig"),)), gig_posted_for_callers_employer),
    # Naming the employer the gig is for: only one the caller manages.
    "post_gig.post[for a named employer]": Row(
        GIG_MANAGER, Page("/gigs/new", (form(**new_gig_form("Brand new gig"), organization_id="{org}"),)), gig_posted_for_the_named_employer
    ),
    "post_gig.post[edit]": Row(
        GIG_MANAGER,
        Page("/gigs/{gig_draft}/edit", (new_gig_form("Edited draft", save_draft="on"),)),
        row_is(Gig, "gig_draft", title="Edited draft", status="draft"),
    ),
    "preview_gig.load_preview": Row(GIG_MANAGER, Page("/gigs/{gig_draft}/preview"), shows("DRAFTMARK")),
    "preview_gig.post_draft": Row(GIG_MANAGER, Page("/gigs/{gig_draft}/preview"), row_is(Gig, "gig_draft", status="open")),
    "moderation.load_queue": Row(STAFF, Page("/staff/moderation"), all_of(shows("REVIEWMARK"), state_is(allowed=True))),
    "moderation.approve": Row(STAFF_ON_ANY, Page("/staff/moderation", ids("gig_in_review")), row_is(Gig, "gig_in_review", status="open")),
    "moderation.reject": Row(
        STAFF_ON_ANY,
        Page("/staff/moderation", (form(gig_id="{gig_in_review}", reason="Unpaid work."),)),
        row_is(Gig, "gig_in_review", status="rejected"),
    ),
    "moderation.set_trusted": Row(
        STAFF_ON_ANY, Page("/staff/moderation", lambda c: (c.side.org, False)), row_is(Organization, "org", trusted=False)
    ),
    "terms.load_terms": Row(STAFF, Page("/staff/terms"), shows_text(lambda c: "forbiddenterma")),
    "terms.add_term": Row(
        STAFF,
        Page("/staff/terms", ({"term": "scam"},)),
        exists(lambda c: select(ProhibitedTerm).where(ProhibitedTerm.term == "scam"), "term"),
    ),
    "terms.remove_term": Row(
        STAFF_ON_ANY, Page("/staff/terms", ids("term")), that(lambda c: c.get(ProhibitedTerm, c.side.term) is None, "still there")
    ),
    # --- applicants and the dashboard --------------------------------------------------------------------
    "dashboard.load_dashboard": Row(
        SIGNED_IN_CONFIRMED, Page("/dashboard"), state_is(view=lambda c: {"admin": "staff"}.get(c.role_kind, c.role_kind))
    ),
    "dashboard.withdraw": Row(
        STUDENT_OWNER, Page("/dashboard", ids("application")), row_is(Application, "application", status="withdrawn")
    ),
    # Blind review: an applicant nobody has shortlisted yet shows no pedigree and no address...
    "manage_gig.load_gig": Row(GIG_MANAGER, Page("/manage/gigs/{gig_hiring}"), shows("APPNOTE"), never_shows=BLIND),
    # ... and shortlisting or accepting ends it: the page then shows who the applicant is.
    "manage_gig.shortlist": Row(
        GIG_MANAGER,
        Page("/manage/gigs/{gig_hiring}", ids("application")),
        row_is(Application, "application", status="shortlisted"),
        reveals=BLIND,
    ),
    "manage_gig.accept": Row(
        GIG_MANAGER,
        Page("/manage/gigs/{gig_hiring}", ids("application")),
        row_is(Application, "application", status="accepted"),
        reveals=BLIND,
    ),
    "manage_gig.decline": Row(
        GIG_MANAGER,
        Page("/manage/gigs/{gig_hiring}", (form(application_id="{application}", feedback="Thanks."),)),
        row_is(Application, "application", status="declined"),
    ),
    # --- the engagement workspace ------------------------------------------------------------------------
    "engagement.load_engagement": Row(PARTY_OR_STAFF, Page("/engagements/{eng_submitted}"), shows("SUBNOTE", "MSGMARK")),
    # Only turns the file picker's refusal into a message; reads and writes nothing.
    "submit_form.files_rejected": Row(
        PUBLIC,
        Page("/engagements/1", ([{"file": {"path": "x.exe"}, "errors": [{"code": "file-invalid-type"}]}],), prepare=()),
        that(lambda c: c.state.errors["files"], "no message"),
        shows_messages=True,
    ),
    "submit_form.submit_deliverable": Row(
        STUDENT_OWNER,
        Page("/engagements/{eng_active}", lambda c: ([upload("v1.txt", b"version one")], {"note": "Version one of the work."})),
        row_is(Engagement, "eng_active", status="submitted"),
    ),
    "review_form.approve": Row(GIG_MANAGER, Page("/engagements/{eng_submitted}", (1,)), row_is(Engagement, "eng_submitted", status="paid")),
    "review_form.request_changes": Row(
        GIG_MANAGER,
        Page("/engagements/{eng_submitted}", (1, {"comment": "Please add a README."})),
        row_is(Engagement, "eng_submitted", status="changes_requested"),
    ),
    "message_form.post_message": Row(
        PARTY_OR_STAFF, Page("/engagements/{eng_submitted}", ({"body": "Hello from the matrix."},)), exists(message_posted, "message")
    ),
    "extension_form.request_extension": Row(
        PARTY,
        Page("/engagements/{eng_submitted}", ({"new_due_date": in_days(40), "reason": "More rows arrived."},)),
        exists(lambda c: select(ExtensionRequest).where(ExtensionRequest.engagement_id == c.side.eng_submitted), "extension request"),
    ),
    # The student asked; the other side (the gig's managers) answers.
    "extension_form.answer_extension": Row(
        GIG_MANAGER,
        Page("/engagements/{eng_active}", lambda c: (c.side.extension, True)),
        row_is(ExtensionRequest, "extension", status="accepted"),
    ),
    # A request of one engagement answered through another's page: nobody.
    "extension_form.answer_extension[another engagement's request]": Row(
        NOBODY_ON_ANY, Page("/engagements/{eng_active}", lambda c: (c.other_side.extension, True))
    ),
    "cancel_form.cancel_engagement": Row(
        GIG_MANAGER_OR_STAFF,
        Page("/engagements/{eng_active}", ({"reason": "Budget cut."},)),
        row_is(Engagement, "eng_active", status="cancelled"),
    ),
    "after_gig_form.invite_to_interview": Row(
        GIG_MANAGER, Page("/engagements/{eng_paid}"), row_is(Engagement, "eng_paid", interview_invited_at=lambda v: v is not None)
    ),
    "after_gig_form.record_offer": Row(
        GIG_MANAGER, Page("/engagements/{eng_invited}"), row_is(Engagement, "eng_invited", offer_made_at=lambda v: v is not None)
    ),
    "after_gig_form.allow_public_evidence": Row(
        GIG_MANAGER, Page("/engagements/{eng_paid}", (False,)), row_is(EvidenceSharing, "eng_paid", employer_allows=False)
    ),
    "after_gig_form.show_public_evidence": Row(
        STUDENT_OWNER, Page("/engagements/{eng_paid}", (False,)), row_is(EvidenceSharing, "eng_paid", student_shows=False)
    ),
    "milestone_form.add_milestone": Row(
        GIG_MANAGER,
        Page("/engagements/{eng_submitted}", ({"milestone_title": "Halfway", "milestone_due_date": in_days(3)},)),
        exists(
            lambda c: select(Milestone).where(Milestone.engagement_id == c.side.eng_submitted, Milestone.title == "Halfway"), "milestone"
        ),
    ),
    "check_in_form.check_in": Row(
        STUDENT_OWNER,
        Page("/engagements/{eng_active}", (form(milestone_id="{milestone}", done="yes", note=""),)),
        row_is(Milestone, "milestone", status="done"),
    ),
    "check_in_form.check_in[another engagement's milestone]": Row(
        NOBODY_ON_ANY, Page("/engagements/{eng_active}", (form(milestone_id="{their_milestone}", done="yes", note=""),))
    ),
    "review.load": Row(PARTY, Page("/engagements/{eng_paid}/review"), state_is(found=True, can_write=True)),
    "review.submit": Row(
        PARTY,
        Page("/engagements/{eng_paid}/review", lambda c: (review_form(c),)),
        exists(lambda c: select(Review).where(Review.author_id == c.user_id, Review.engagement_id == c.side.eng_paid), "review"),
    ),
    # --- disputes ------------------------------------------------------------------------------------------
    "open_dispute.open": Row(
        PARTY,
        Page("/engagements/{eng_active}/dispute", ({"statement": "The work stopped without a word."},)),
        exists(lambda c: select(Dispute).where(Dispute.engagement_id == c.side.eng_active), "dispute"),
    ),
    "dispute.load": Row(PARTY_OR_STAFF, Page("/disputes/{dispute}"), shows("DISPUTEMARK", "DMSGMARK")),
    "dispute.post": Row(
        PARTY_OR_STAFF, Page("/disputes/{dispute}", ({"body": "Here is what happened."},)), exists(dispute_message_posted, "message")
    ),
    "dispute.decide": Row(
        STAFF_ON_ANY,
        Page("/disputes/{dispute}", ({"outcome": "refund", "note": "Refunded in full."},)),
        row_is(Dispute, "dispute", status="decided"),
    ),
    "dispute_queue.load": Row(
        STAFF, Page("/staff/disputes"), all_of(state_is(allowed=True), that(lambda c: len(c.state.items) == 2, "not both"))
    ),
    # --- credentials, portfolio, public evidence ---------------------------------------------------------
    "verify.set_pasted": Row(PUBLIC, Page("/verify", ("abc",), prepare=()), state_is(pasted="abc")),
    "verify.load": Row(PUBLIC_ON_ANY, Page("/verify?id={credential}"), credential_is_valid, never_shows=PUBLIC_RECORD),
    "verify.check_pasted": Row(PUBLIC_ON_ANY, Page("/verify", lambda c: ({"credential": c.side.credential_jwt},)), credential_is_valid),
    "verify.check_upload": Row(
        PUBLIC_ON_ANY, Page("/verify", lambda c: ([upload("credential.jwt", c.side.credential_jwt.encode())],)), credential_is_valid
    ),
    "certificate.load": Row(PUBLIC_ON_ANY, Page("/credentials/{credential}"), state_is(found=True), never_shows=PUBLIC_RECORD),
    "certificate.revoke": Row(
        STAFF_ON_ANY, Page("/credentials/{credential}", ({"reason": "Plagiarism found."},)), exists(revoked, "revocation")
    ),
    "my_credentials.load": Row(ANY_STUDENT, Page("/credentials"), shows_text(lambda c: f"Paid gig {my_side_label(c)}")),
    "portfolio_settings.load": Row(ANY_STUDENT, Page("/portfolio"), state_is(handle=lambda c: f"student-{my_side_label(c).lower()}")),
    "portfolio_settings.save": Row(
        ANY_STUDENT,
        Page("/portfolio", ({"handle": "brand-new-handle", "is_public": "on"},)),
        actor_row(Portfolio, handle="brand-new-handle", is_public=True),
    ),
    # Copies the share link the page already shows; reads and writes nothing.
    "portfolio_settings.copy_share_link": Row(PUBLIC, Page("/portfolio", prepare=()), state_is(notice="Share link copied.")),
    "public_portfolio.load": Row(
        PUBLIC_ON_ANY,
        Page("/p/{handle}"),
        all_of(state_is(found=True), shows_text(lambda c: f"Student {label(c)}")),
        never_shows=PUBLIC_RECORD,
    ),
    "evidence.load": Row(
        PUBLIC_ON_ANY,
        Page("/evidence/{credential}"),
        that(lambda c: c.state.view.shown, "deliverables not shown"),
        never_shows=PUBLIC_RECORD,
    ),
    # --- money ---------------------------------------------------------------------------------------------
    "payments.load_payments": Row(ANY_MANAGER, Page("/payments"), shows_text(lambda c: f"Paid gig {my_side_label(c)}")),
    "receipt.load_receipt": Row(
        GIG_MANAGER_OR_STAFF, Page("/payments/receipt/{eng_paid}"), that(lambda c: c.state.receipt is not None, "no receipt")
    ),
    "earnings.load_earnings": Row(ANY_STUDENT, Page("/earnings"), shows_text(lambda c: f"Paid gig {my_side_label(c)}")),
    "money.load_money": Row(STAFF, Page("/staff/money"), state_is(load_error="", loaded=True)),
    "money.reconcile_now": Row(STAFF, Page("/staff/money"), exists(lambda c: select(ReconciliationReport), "report")),
    "money.retry_payout": Row(
        STAFF_ON_ANY,
        Page("/staff/money", ids("eng_payout_failed")),
        that(lambda c: c.get(EngagementPayment, c.side.eng_payout_failed).state == "paid", "not paid"),
    ),
    # --- notifications ------------------------------------------------------------------------------------
    "notifications.load_notifications": Row(SIGNED_IN_CONFIRMED, Page("/notifications"), shows_text(lambda c: f"Hello {c.role}")),
    # "own": the caller's own notification; "other": someone else's.
    "notifications.mark_read": Row(
        SELF_ONLY,
        Page("/notifications", lambda c: (own_notification(c) if c.column == "own" else someone_elses_notification(c),)),
        that(lambda c: c.get(Notification, own_notification(c)).read_at is not None, "still unread"),
    ),
    "notifications.mark_all_read": Row(SIGNED_IN_CONFIRMED, Page("/notifications"), only_own_notifications_read),
    # --- profile and team ---------------------------------------------------------------------------------
    "profile.load_profile": Row(SIGNED_IN_CONFIRMED, Page("/profile"), state_is(loaded=True, role=lambda c: c.role_kind)),
    "profile.save_student": Row(
        ANY_STUDENT,
        Page("/profile", ({"interests": "Data cleaning", "hours_per_week": "12", "timezone": "UTC", "skills": ["Python"]},)),
        actor_row(StudentProfile, interests="Data cleaning"),
    ),
    "profile.save_language": Row(SIGNED_IN_CONFIRMED, Page("/profile", ({"language": "es"},)), actor_row(User, language="es")),
    "profile.save_manager": Row(
        ANY_MANAGER, Page("/profile", ({"display_name": "Renamed", "title": "Lead"},)), actor_row(User, title="Lead")
    ),
    # Only turns the photo picker's refusal into a message; reads and writes nothing.
    "profile.photo_rejected": Row(
        PUBLIC,
        Page("/profile", ([{"file": {"path": "me.png"}, "errors": [{"code": "file-too-large"}]}],), prepare=()),
        that(lambda c: c.state.errors["photo"], "no message"),
        shows_messages=True,
    ),
    "profile.upload_photo": Row(
        SIGNED_IN_CONFIRMED,
        Page("/profile", lambda c: ([upload("new.png", PNG)], {})),
        photo_replaced,
    ),
    "organization.load_organization": Row(
        ANY_MANAGER, Page("/organization"), state_is(organization_name=lambda c: f"Employer {my_side_label(c)}")
    ),
    # Naming another employer in the URL shows the caller's own team, never that one...
    "organization.load_organization[an employer named]": Row(
        ANY_MANAGER_ON_ANY, Page("/organization?organization={org}"), state_is(organization_name=lambda c: f"Employer {my_side_label(c)}")
    ),
    "organization.invite": Row(ANY_MANAGER, Page("/organization", ({"email": "friend@example.edu"},)), invitation_for_callers_employer),
    # ... and invites to the caller's own team.
    "organization.invite[an employer named]": Row(
        ANY_MANAGER_ON_ANY, Page("/organization?organization={org}", ({"email": "friend@example.edu"},)), invitation_for_callers_employer
    ),
    "organization.remove": Row(
        GIG_MANAGER,
        Page("/organization", (form(user_id="{co_manager}"),)),
        that(lambda c: not count(c.after, "membership", user_id=c.side.co_manager), "still a member"),
    ),
    # --- career-center staff ----------------------------------------------------------------------------
    "staff_employers.load_employers": Row(STAFF, Page("/staff/employers"), shows_text(lambda c: "Pending employer A")),
    "staff_employers.set_status_filter": Row(STAFF, Page("/staff/employers", ("approved",)), shows_text(lambda c: "Employer B")),
    "staff_employers.approve": Row(
        STAFF_ON_ANY,
        Page("/staff/employers", (form(organization_id="{pending_org}"),)),
        row_is(Organization, "pending_org", status="approved"),
    ),
    "staff_employers.reject": Row(
        STAFF_ON_ANY,
        Page("/staff/employers", (form(organization_id="{pending_org}", reason="Not a real company."),)),
        row_is(Organization, "pending_org", status="rejected"),
    ),
    "staff_employers.suspend": Row(
        STAFF_ON_ANY,
        Page("/staff/employers", (form(organization_id="{org}", reason="Unpaid interns."),)),
        row_is(Organization, "org", status="suspended"),
    ),
    "staff_skills.load_skills": Row(STAFF, Page("/staff/skills"), shows_text(lambda c: "Unused skill A")),
    "staff_skills.add_skill": Row(
        STAFF,
        Page("/staff/skills", ({"skill_name": "Rust", "skill_category": "general"},)),
        exists(lambda c: select(Skill).where(Skill.name == "Rust"), "skill"),
    ),
    "staff_skills.remove_skill": Row(
        STAFF_ON_ANY, Page("/staff/skills", (form(skill_id="{skill}"),)), that(lambda c: c.get(Skill, c.side.skill) is None, "still there")
    ),
    "staff_audit.load_audit": Row(STAFF, Page("/staff/audit/"), that(lambda c: c.state.rows, "no events")),
    # Only puts the filters in the URL (the page's load reads and checks them).
    "staff_audit.search": Row(
        PUBLIC, Page("/staff/audit/", ({"actor_email": "x@example.edu"},), prepare=()), redirects_to("/staff/audit/?actor_email=")
    ),
    "staff_student.load_student": Row(STAFF_ON_ANY, Page("/staff/students/{student}"), shows("PEDIGREE")),
    # The staff hub (/staff): links to the staff pages; only whether the viewer is staff.
    "staff_hub.load_hub": Row(STAFF, Page("/staff"), state_is(allowed=True)),
    "insights.load": Row(STAFF, Page("/staff/insights"), state_is(allowed=True)),
    # Only puts the filters in the URL.
    "insights.apply_filters": Row(
        PUBLIC, Page("/staff/insights", ({"start": "2026-01-01", "end": "2026-02-01"},), prepare=()), redirects_to("/staff/insights?start=")
    ),
    "outbox.load_outbox": Row(STAFF, Page("/admin/outbox"), shows_text(lambda c: "MAILMARK-own")),
    "outbox.send_again": Row(STAFF_ON_ANY, Page("/admin/outbox", ids("failed_mail")), row_is(OutboxMail, "failed_mail", status="queued")),
    # The center's own settings (/admin/settings): admins only; career-center staff may not.
    "center_settings.load_settings": Row(ADMIN, Page("/admin/settings"), state_is(load_error="", loaded=True, currency_code="USD")),
    "center_settings.save": Row(
        ADMIN,
        Page("/admin/settings", ({"name": "Renamed center", "brand_color": "#1d4ed8", "currency": "EUR"},)),
        row_is(CenterSettings, lambda c: 1, name="Renamed center", brand_color="#1d4ed8", currency="eur"),
    ),
    # Only the live swatch's colour: reads and writes nothing.
    "center_settings.set_brand_color": Row(PUBLIC, Page("/admin/settings", ("#123456",), prepare=()), state_is(brand_color="#123456")),
    # Only turns the logo picker's refusal into a message; reads and writes nothing.
    "center_settings.logo_rejected": Row(
        PUBLIC,
        Page("/admin/settings", ([{"name": "logo.svg", "codes": ["file-invalid-type"]}],), prepare=()),
        that(lambda c: c.state.errors["logo"], "no message"),
        shows_messages=True,
    ),
    "center_settings.upload_logo": Row(
        ADMIN,
        Page("/admin/settings", lambda c: ([upload("logo.png", LOGO_PNG)],)),
        that(lambda c: c.get(CenterSettings, 1).logo_file not in (None, WORLD_LOGO.rsplit("/", 1)[1]), "no new logo"),
    ),
    "center_settings.remove_logo": Row(ADMIN, Page("/admin/settings"), row_is(CenterSettings, lambda c: 1, logo_file=None)),
    # --- HTTP routes -------------------------------------------------------------------------------------
    "POST /auth/login": Row(
        PUBLIC_ON_ANY,
        Http("POST", "/auth/login", form=login_form),
        all_of(redirects_to("/dashboard"), signed_in_as(lambda c: c.side.student)),
    ),
    "POST /auth/signup": Row(
        PUBLIC,
        Http(
            "POST", "/auth/signup", form={"role": "student", "display_name": "New Person", "email": "new@example.edu", "password": PASSWORD}
        ),
        all_of(redirects_to("/check-email"), exists(lambda c: select(User).where(User.email == "new@example.edu"), "account")),
    ),
    "POST /auth/logout": Row(PUBLIC, Http("POST", "/auth/logout", form={}), all_of(redirects_to("/"), callers_session_revoked)),
    # No campus sign-in is configured here: the same answer for everyone.
    "GET /auth/oidc/{name}/start": Row(PUBLIC, Http("GET", "/auth/oidc/campus/start"), redirects_to("/login?error="), shows_messages=True),
    "GET /auth/oidc/{name}/callback": Row(
        PUBLIC, Http("GET", "/auth/oidc/campus/callback?code=x&state=y"), redirects_to("/login?error="), shows_messages=True
    ),
    # The mailed invitation to a new address makes a manager account; a confirmed account is
    # someone else (and cannot be the invitee, whose address has no account).
    "POST /auth/join": Row(
        NO_IDENTITY_ON_ANY,
        Http("POST", "/auth/join", form=form(token="{invitation_token}", display_name="New Hire", password=PASSWORD)),
        all_of(redirects_to("/organization"), new_manager_joined),
    ),
    "POST /auth/join[in-app invitation]": Row(
        INVITEE,
        Http("POST", "/auth/join", form=form(invitation_id="{in_app_invitation}")),
        all_of(redirects_to("/organization"), invitee_joined),
    ),
    "GET /photos/{user_id}": Row(OWNER_OR_STAFF, Http("GET", "/photos/{student}"), status(200)),
    # A manager's face is for anyone signed in (a student's only for themself and staff).
    "GET /photos/{user_id}[manager]": Row(SIGNED_IN_CONFIRMED_ON_ANY, Http("GET", "/photos/{manager}"), status(200)),
    "GET /auth/verify": Row(PUBLIC, Http("GET", "/auth/verify?token=abc"), redirects_to("/verify-email?token=abc")),
    # The mailed link is the capability (RFC 8058: no cookie, no origin): a GET only offers the button.
    "GET /unsubscribe/{token}": Row(
        PUBLIC_ON_ANY, Http("GET", "/unsubscribe/{unsubscribe_token}"), status(200, body="Stop emails about new gigs")
    ),
    "POST /unsubscribe/{token}": Row(
        PUBLIC_ON_ANY,
        Http("POST", "/unsubscribe/{unsubscribe_token}"),
        all_of(
            status(200, body="you will no longer get emails about new gigs"),
            exists(
                lambda c: select(MailPreference).where(MailPreference.user_id == c.side.student, MailPreference.alert_mail.is_(False)),
                "alert mail off",
            ),
        ),
    ),
    # The confirmation link is the capability: whoever posts it confirms that address and is signed in as it.
    "POST /auth/verify": Row(
        PUBLIC,
        Http("POST", "/auth/verify", form=form(token="{verify_token}")),
        all_of(
            that(lambda c: c.get(User, c.world.users["unconfirmed"]).email_verified, "not confirmed"),
            signed_in_as(lambda c: c.world.users["unconfirmed"]),
        ),
    ),
    "POST /auth/resend-verification": Row(
        UNCONFIRMED_ONLY,
        Http("POST", "/auth/resend-verification", form={}),
        all_of(redirects_to("/account?notice="), that(a_new_mail, "no mail")),
    ),
    "POST /auth/change-password": Row(
        SIGNED_IN_CONFIRMED,
        Http("POST", "/auth/change-password", form={"current_password": PASSWORD, "new_password": "another long passphrase 42"}),
        password_changed(lambda c: c.user_id),
    ),
    "POST /auth/logout-everywhere": Row(SIGNED_IN, Http("POST", "/auth/logout-everywhere", form={}), callers_sessions_revoked),
    "POST /auth/forgot-password": Row(
        PUBLIC,
        Http("POST", "/auth/forgot-password", form=lambda c: {"email": c.world.emails["student"]}),
        that(lambda c: len(c.after["onetimetoken"]) == len(c.before["onetimetoken"]) + 1, "no reset link"),
    ),
    "POST /auth/reset-password": Row(
        PUBLIC_ON_ANY,
        Http("POST", "/auth/reset-password", form=form(token="{reset_token}", password="a brand new passphrase")),
        all_of(redirects_to("/login?notice="), password_changed(lambda c: c.side.student)),
    ),
    "GET /account/export.json": Row(SIGNED_IN_CONFIRMED, Http("GET", "/account/export.json"), export_is_callers),
    # Students and unconfirmed accounts delete themselves; employers and staff go through the career center.
    "POST /account/delete": Row(
        UNCONFIRMED_ONLY,
        Http("POST", "/account/delete", form={"delete_password": PASSWORD}),
        all_of(redirects_to("/"), that(lambda c: c.get(User, c.user_id).deleted_at is not None, "not deleted")),
        exceptions={
            "student": "refused: a student may delete their account, but this one has work in progress",
            "other_student": "refused: a student may delete their account, but this one has work in progress",
        },
    ),
    "GET /files/{file_id}": Row(PARTY_OR_STAFF, Http("GET", "/files/{file}"), status(200, body=lambda c: c.side.marker("FILEBYTES"))),
    "GET /evidence/{public_id}/files/{file_id}": Row(
        PUBLIC_ON_ANY, Http("GET", "/evidence/{credential}/files/{public_file}"), status(200, body="a public report")
    ),
    # One credential's public page never serves another's file.
    "GET /evidence/{public_id}/files/{file_id}[another credential's file]": Row(
        NOBODY_ON_ANY, Http("GET", "/evidence/{credential}/files/{their_public_file}")
    ),
    "GET /healthz": Row(PUBLIC, Http("GET", "/healthz"), status(200, body="ok")),
    # The center's logo: shown to visitors and fetched by mail clients.
    "GET /api/center/logo/{file}": Row(PUBLIC, Http("GET", WORLD_LOGO), status(200, body="PNG")),
    "GET /readyz": Row(PUBLIC, Http("GET", "/readyz"), status(200, body='"database":"ok"')),
    # What makes the app installable: for anyone, and holding nobody's data.
    "GET /manifest.webmanifest": Row(PUBLIC, Http("GET", "/manifest.webmanifest"), status(200, body='"start_url"')),
    "GET /sw.js": Row(PUBLIC, Http("GET", "/sw.js"), status(200, body="addEventListener('fetch'")),
    # The languages: every page's texts (nobody's data), and the switch (a cookie, then back here).
    "GET /i18n/catalog.js": Row(PUBLIC, Http("GET", "/i18n/catalog.js"), status(200, body="window.mgT")),
    "GET /i18n/language": Row(PUBLIC, Http("GET", "/i18n/language?to=es&next=/help"), redirects_to("/help")),
    # The server's figures: admins (and a monitoring server's address, not a role: its own tests).
    "GET /metrics": Row(ADMIN, Http("GET", "/metrics"), status(200, body="microgigs_mail_waiting")),
    "GET /.well-known/jwks.json": Row(PUBLIC, Http("GET", "/.well-known/jwks.json"), status(200, body='"kty"')),
    "POST /api/credentials/verify": Row(
        PUBLIC_ON_ANY, Http("POST", "/api/credentials/verify", body=lambda c: c.side.credential_jwt.encode()), status(200, body='"valid"')
    ),
    "GET /credentials/{public_id}/download.json": Row(
        PUBLIC_ON_ANY,
        Http("GET", "/credentials/{credential}/download.json"),
        status(200, body=lambda c: c.side.credential_jwt),
        never_shows=PUBLIC_RECORD,
    ),
    # A calendar feed's URL is its credential: no session opens one (a cookie with a made-up token
    # is a 404 like any other); the feed read by its token: tests/integration/test_calendar_routes.py.
    "GET /calendar/{token}.ics": Row(NOBODY, Http("GET", "/calendar/not-a-calendar-token.ics")),
    # A gig's dates: for anyone, for the gigs its page shows visitors; a draft's file for no one.
    "GET /gigs/{gig_id:int}/calendar.ics": Row(
        PUBLIC_ON_ANY, Http("GET", "/gigs/{gig_open}/calendar.ics"), status(200, body=lambda c: f"Open gig {label(c)}")
    ),
    "GET /gigs/{gig_id:int}/calendar.ics[draft]": Row(NOBODY_ON_ANY, Http("GET", "/gigs/{gig_draft}/calendar.ics")),
    "GET /staff/insights/{name}.csv": Row(STAFF, Http("GET", "/staff/insights/gigs_over_time.csv"), status(200)),
    # Only the payment service's signature makes a webhook count, never a session.
    "POST /api/stripe/webhook": Row(NOBODY, Http("POST", "/api/stripe/webhook", body=NOT_SIGNED, gateway="stripe")),
    "POST /api/stripe/connect-webhook": Row(NOBODY, Http("POST", "/api/stripe/connect-webhook", body=NOT_SIGNED, gateway="stripe")),
    "POST /payments/fund/{engagement_id:int}": Row(
        GIG_MANAGER,
        Http("POST", "/payments/fund/{eng_funding}", form={}, gateway="stripe"),
        all_of(
            redirects_to("http://127.0.0.1"),  # the payment service's checkout page
            that(lambda c: c.get(EngagementPayment, c.side.eng_funding).state == "checkout_open", "no checkout"),
        ),
    ),
    "GET /payments/payout-account": Row(
        ANY_STUDENT,
        Http("GET", "/payments/payout-account", gateway="stripe"),
        that(lambda c: c.get(PayoutAccount, c.user_id), "no account"),
    ),
    "POST /payments/payout-account": Row(
        ANY_STUDENT,
        Http("POST", "/payments/payout-account", form={}, gateway="stripe"),
        that(lambda c: c.get(PayoutAccount, c.user_id), "no account"),
    ),
    "GET /staff/money/reconciliation.csv": Row(STAFF, Http("GET", "/staff/money/reconciliation.csv"), status(200, body="engagement_id")),
}


CELLS = [(key, role, column) for key, row in TABLE.items() for role in ROLES for column in row.columns]


# --- fixtures ---------------------------------------------------------------------------------------


class Template:
    def __init__(self, world, db_path: Path, data: Path):
        self.world, self.db_path, self.data = world, db_path, data


@pytest.fixture(scope="session")
def matrix_world(tmp_path_factory, schema_template, _shared_engine) -> Template:
    """The world, built once into a SQLite file and a data folder that every cell copies."""
    engine, target, idle = _shared_engine
    folder = tmp_path_factory.mktemp("authz-world")
    db_path, data = folder / "world.db", folder / "data"
    shutil.copyfile(schema_template, db_path)
    saved_env = {k: v for k, v in os.environ.items() if k.startswith("MICROGIGS_")}
    for name in saved_env:
        del os.environ[name]
    os.environ["MICROGIGS_DATA_DIR"] = str(data)
    get_settings.cache_clear()
    saved_hasher = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    engine.dispose()
    target["path"] = str(db_path)
    try:
        with Session(engine, expire_on_commit=False) as session:
            world = build_world(session, Factory(session))
            session.commit()
            session.exec(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        engine.dispose()
        target["path"] = idle
        accounts._hasher = saved_hasher
        os.environ.pop("MICROGIGS_DATA_DIR", None)
        os.environ.update(saved_env)
        get_settings.cache_clear()
    return Template(world, db_path, data)


@pytest.fixture(scope="session")
def stripe_fake():
    with running_fake(secret_key=SECRET_KEY, webhook_secret=PLATFORM_SECRET, connect_webhook_secret=CONNECT_SECRET) as fake:
        yield fake
        fake.check_deliveries()  # the fake never crashed and no delivery failed unnoticed


@pytest.fixture(scope="module")
def cell_folder(tmp_path_factory):
    """Where each cell's copy of the world lives (the same place every time, so the settings,
    which name the data folder, stay as they are from one cell to the next)."""
    folder = tmp_path_factory.mktemp("authz-cell")
    saved = os.environ.get("MICROGIGS_DATA_DIR")
    os.environ["MICROGIGS_DATA_DIR"] = str(folder / "data")
    get_settings.cache_clear()
    yield folder
    if saved is None:
        os.environ.pop("MICROGIGS_DATA_DIR", None)
    else:
        os.environ["MICROGIGS_DATA_DIR"] = saved
    get_settings.cache_clear()


@pytest.fixture
def isolated_settings(cell_folder):
    """Overrides tests/unit/conftest.py's (which makes new settings for every test): the matrix's
    settings are the defaults, with the data folder in `cell_folder`, for all its cells."""
    yield


@pytest.fixture
def cell_engine(matrix_world, cell_folder, _shared_engine, monkeypatch):
    """A fresh copy of the world for one cell: its database, stored files and photos (hard links:
    files are only ever added or deleted, never rewritten), and its signing keys (shared)."""
    engine, target, idle = _shared_engine
    engine.dispose()
    path = cell_folder / "cell.db"
    for leftover in (path, cell_folder / "cell.db-wal", cell_folder / "cell.db-shm"):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(matrix_world.db_path, path)
    data = cell_folder / "data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir()
    for folder in ("files", "photos", "branding"):
        shutil.copytree(matrix_world.data / folder, data / folder, copy_function=os.link)
    (data / "keys").symlink_to(matrix_world.data / "keys")
    target["path"] = str(path)
    monkeypatch.setattr(db, "get_engine", lambda: engine)
    live.reset()
    yield engine
    engine.dispose()
    target["path"] = idle
    live.reset()


# --- running one cell ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "role", "column"), CELLS, ids=[f"{k}-{r}-{c}" for k, r, c in CELLS])
def test_cell(key, role, column, matrix_world, cell_engine, request, monkeypatch):
    row = TABLE[key]
    if base_key(key) not in HANDLERS and base_key(key) not in ROUTES:
        pytest.fail(f"{key} is in the table but there is no such handler or route")
    fake = None
    if row.call.gateway == "stripe":
        fake = request.getfixturevalue("stripe_fake")
        for name, value in stripe_settings(fake.url).items():
            monkeypatch.setenv(f"MICROGIGS_{name.upper()}", value)
        get_settings.cache_clear()
        request.addfinalizer(get_settings.cache_clear)  # after monkeypatch has put the settings back
        asked = len(fake.fake.requests)
    cell = Cell(key, role, column, matrix_world.world, cell_engine)
    if isinstance(row.call, Page):
        run_page(cell, row, *HANDLERS[base_key(key)])
    else:
        run_route(cell, row)
    expected = "allowed" if row.expects_allowed(role, column) else "refused"
    problems = judge(cell, row)
    if fake is not None:
        fake.check_deliveries()  # before the cell's copy of the world goes: nothing failed at the fake
    if fake is not None and expected == "refused" and fake.fake.requests[asked:]:
        # A refusal is decided before anything goes out: no checkout, account or link made at Stripe.
        problems.append(f"refused, yet Stripe was asked {fake.fake.requests[asked:]}")
    assert not problems, f"{key}-{role}-{column} ({row.rule}, expected {expected}): " + "; ".join(problems)


# --- the table itself ------------------------------------------------------------------------------


def test_every_handler_and_route_has_a_row():
    """A new handler or route fails here until it is added to TABLE on purpose."""
    in_table = {base_key(key) for key in TABLE}
    missing = sorted((set(HANDLERS) | set(ROUTES)) - in_table)
    stale = sorted(in_table - set(HANDLERS) - set(ROUTES))
    assert not missing, f"add these to the authorization matrix's TABLE: {missing}"
    assert not stale, f"these TABLE rows name no handler or route: {stale}"
    assert len(HANDLERS) >= 100 and len(ROUTES) >= 28  # discovery found them all (not an empty walk)


def test_every_row_says_who_may_and_what_an_allowed_cell_does():
    for key, row in TABLE.items():
        allowed = [(r, c) for r in ROLES for c in row.columns if row.expects_allowed(r, c)]
        if row.rule.name == "NOBODY":
            assert not allowed and row.check is None, key
        else:
            assert allowed, f"{key}: its rule allows no cell; use NOBODY"
            assert row.check is not None, f"{key}: say what an allowed cell does or shows"


def test_setvar_reaches_nothing_outside_the_table():
    """Reflex gives every state a `setvar(name, value)` event, which calls the state's
    `set_<name>` (Reflex's own, hence not in the table). With auto-setters off (Reflex 0.10's
    default) those are only handlers the states define themselves, each a row of the table
    (an inherited one runs on the state defining it), and the root state's set_is_hydrated."""
    from reflex_base.config import get_state_auto_setters

    assert get_state_auto_setters() is False
    handler_names = {name for _cls, name in HANDLERS.values()}
    for cls in page_states():
        setters = {name for name in dir(cls) if name.startswith("set_") and isinstance(getattr(cls, name), rx.event.EventHandler)}
        assert setters <= handler_names | {"set_is_hydrated"}, f"{cls.__name__}: {sorted(setters - handler_names)}"

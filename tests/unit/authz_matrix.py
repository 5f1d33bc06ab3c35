"""How one cell of the authorization matrix runs: the rules vocabulary, how a row says what to call,
what an allowed cell must show, and how a refusal is recognized.

A cell = one page event handler or HTTP route x one role x one object (the "own" side's, or the
"other" side's; "self" for what names no object: a handler that acts on the caller only). It
runs against a fresh copy of the fixture world (authz_world.py) and asserts one of two outcomes:

- allowed: no refusal is shown, and the row's check of the effect (a row written, the data
  shown) passes;
- refused: a sign-in redirect (a visitor to /login, an unconfirmed account to /account), a
  visible message or "not found" on the page, or an HTTP 401/403/404/429, or a redirect back
  to a form carrying its error -- and the database is exactly as before (every row of every table).

In every cell, whatever the outcome, the page state (or the HTTP body) holds no private text of
a side the role has no part in (the markers of authz_world.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from reflex.istate.data import RouterData
from sqlmodel import Session
from starlette.testclient import TestClient

from microgigs.http.app import build_api
from microgigs.http.limits import limit_request_size
from microgigs.settings import get_settings
from tests.unit.authz_world import SIDE_OF_ROLE, Side, World
from tests.unit.state_harness import run_handler, state_for

STUDENTS = frozenset({"student", "other_student"})
MANAGERS = frozenset({"manager", "other_manager"})
STAFF_ROLES = frozenset({"staff", "admin"})
CONFIRMED = STUDENTS | MANAGERS | STAFF_ROLES
SELF = "self"  # the column of a row whose handler names no object


# --- the rules vocabulary ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """Who may: a name (as the table shows it) and the cells it allows. `about_object`: the row
    names an object, so it has an "own" and an "other" column (else one "self" column)."""

    name: str
    allows: Callable[[str, str], bool]
    about_object: bool = False

    def on_any_object(self) -> Rule:
        """The same rule for a handler that names an object whose owner it does not look at."""
        return replace(self, about_object=True)

    def __repr__(self) -> str:
        return self.name


def _student_owner(role: str, side: str) -> bool:
    return role in STUDENTS and SIDE_OF_ROLE[role] == side


def _gig_manager(role: str, side: str) -> bool:
    return role in MANAGERS and SIDE_OF_ROLE[role] == side


# Who is asking, whatever the object.
PUBLIC = Rule("PUBLIC", lambda role, side: True)
NOBODY = Rule("NOBODY", lambda role, side: False)  # no session grants it (e.g. a webhook: only the gateway's signature)
SIGNED_IN = Rule("SIGNED_IN", lambda role, side: role != "visitor")  # confirmed or not
SIGNED_IN_CONFIRMED = Rule("SIGNED_IN_CONFIRMED", lambda role, side: role in CONFIRMED)
NO_IDENTITY = Rule("NO_IDENTITY", lambda role, side: role in ("visitor", "unconfirmed"))  # not (yet) a confirmed account
UNCONFIRMED_ONLY = Rule("UNCONFIRMED_ONLY", lambda role, side: role == "unconfirmed")
ANY_STUDENT = Rule("ANY_STUDENT", lambda role, side: role in STUDENTS)
ANY_MANAGER = Rule("ANY_MANAGER", lambda role, side: role in MANAGERS)
STAFF = Rule("STAFF", lambda role, side: role in STAFF_ROLES)  # career-center staff and admins
ADMIN = Rule("ADMIN", lambda role, side: role == "admin")  # who runs the install (e.g. /metrics)
# People with dates of their own to follow (a calendar link): students and employer managers.
STUDENT_OR_MANAGER = Rule("STUDENT_OR_MANAGER", lambda role, side: role in STUDENTS | MANAGERS)
PUBLIC_ON_ANY, NOBODY_ON_ANY, SIGNED_IN_CONFIRMED_ON_ANY, NO_IDENTITY_ON_ANY, ANY_STUDENT_ON_ANY, ANY_MANAGER_ON_ANY, STAFF_ON_ANY = (
    rule.on_any_object() for rule in (PUBLIC, NOBODY, SIGNED_IN_CONFIRMED, NO_IDENTITY, ANY_STUDENT, ANY_MANAGER, STAFF)
)
# Whose object it is: the side's student (S or S2), the manager of the side's employer (M or M2).
SELF_ONLY = Rule("SELF_ONLY", lambda role, side: role in CONFIRMED and side == "own", about_object=True)  # "own": the caller's own
STUDENT_OWNER = Rule("STUDENT_OWNER", _student_owner, about_object=True)
GIG_MANAGER = Rule("GIG_MANAGER", _gig_manager, about_object=True)
PARTY = Rule("PARTY", lambda role, side: _student_owner(role, side) or _gig_manager(role, side), about_object=True)
PARTY_OR_STAFF = Rule("PARTY_OR_STAFF", lambda role, side: PARTY.allows(role, side) or role in STAFF_ROLES, about_object=True)
GIG_MANAGER_OR_STAFF = Rule("GIG_MANAGER_OR_STAFF", lambda role, side: _gig_manager(role, side) or role in STAFF_ROLES, about_object=True)
OWNER_OR_STAFF = Rule("OWNER_OR_STAFF", lambda role, side: _student_owner(role, side) or role in STAFF_ROLES, about_object=True)
# The manager the side's employer invited: the other side's manager (who has an account already).
INVITEE = Rule("INVITEE", lambda role, side: role == {"own": "other_manager", "other": "manager"}[side], about_object=True)


# --- what a cell sees ---------------------------------------------------------------------------


@dataclass
class Cell:
    key: str
    role: str
    column: str  # "own", "other" or "self"
    world: World
    engine: Any
    result: Any = None  # a page handler's returned event, or the HTTP response
    state: Any = None  # the page state after the handler
    before: dict | None = None
    after: dict | None = None
    previous: str = ""  # who used the tab before (a refused load)
    fresh_state: Any = None  # the same refused load on a tab nobody used: what the page must look like

    @property
    def side(self) -> Side:
        """The side whose object this cell names (a "self" cell: the caller's own side, else "own")."""
        return self.world.side(self.column if self.column != SELF else SIDE_OF_ROLE.get(self.role, "own"))

    @property
    def other_side(self) -> Side:
        return self.world.side("other" if self.side.name == "own" else "own")

    @property
    def callers_side(self) -> Side:
        """The caller's own side (a visitor's, staff's...: the own side)."""
        return self.world.side(SIDE_OF_ROLE.get(self.role, "own"))

    @property
    def role_kind(self) -> str:
        """ "student", "manager", "staff", "admin", "unconfirmed" or "visitor"."""
        return "student" if self.role in STUDENTS else "manager" if self.role in MANAGERS else self.role

    @property
    def user_id(self) -> int:
        return self.world.users.get(self.role, 0)

    @property
    def token(self) -> str:
        return self.world.tokens[self.role]

    def db(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def get(self, model, key):
        with self.db() as session:
            return session.get(model, key)

    def rows(self, statement) -> list:
        with self.db() as session:
            return list(session.exec(statement))

    def text(self) -> str:
        """Everything the caller was sent: the page state's vars, or the HTTP body and its Location."""
        if self.state is not None:
            sent = [self.state.dict()]
            parent = self.state.parent_state
            while parent is not None:  # a page state's inherited vars live on the states above it
                sent.append({name: getattr(parent, name) for name in type(parent).base_vars})
                parent = parent.parent_state
            return json.dumps(sent, default=repr, ensure_ascii=False)
        response = self.result
        return f"{response.headers.get('location', '')}\n{response.text}"


# --- database snapshots ---------------------------------------------------------------------------


_COLUMNS: dict[str, list[str]] = {}


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table, in rowid order (raw tuples: this runs twice per cell)."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        if not _COLUMNS:
            tables = [r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            for table in tables:
                _COLUMNS[table] = [r[1] for r in cursor.execute(f'PRAGMA table_info("{table}")')]
        return {table: cursor.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall() for table in _COLUMNS}
    finally:
        connection.close()


def records(snap: dict[str, list[tuple]], table: str) -> list[dict]:
    """A snapshot's rows of one table, as column -> value."""
    return [dict(zip(_COLUMNS[table], row, strict=True)) for row in snap[table]]


def changes(before: dict, after: dict) -> str:
    """What differs between two snapshots, in a line per table ("" when nothing does)."""
    lines = []
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, []), after.get(table, [])
        if old != new:
            added, removed = len(set(new) - set(old)), len(set(old) - set(new))
            lines.append(f"{table}: {len(old)} -> {len(new)} rows ({added} new or changed, {removed} gone or changed)")
    return "; ".join(lines)


# --- recognizing a refusal ------------------------------------------------------------------------


def redirect_target(result) -> str | None:
    """The path of an rx.redirect(...) event, else None."""
    if getattr(getattr(getattr(result, "handler", None), "fn", None), "__qualname__", "").endswith("_redirect"):
        return dict((name._js_expr, value) for name, value in result.args)["path"]._var_value
    return None


_NOT_A_REFUSAL = frozenset({"error_count_text"})


def visible_refusal(state) -> str:
    """What on the page says no ("" when nothing does): a message var, or found/allowed/has_team
    False on a page that has loaded."""
    cls = type(state)
    loaded = getattr(state, "loaded", True)
    for name in cls.vars:
        if name in cls.computed_vars or name in _NOT_A_REFUSAL or name.startswith("rx_") or name == "router":
            continue
        value = getattr(state, name)
        if name in ("found", "allowed", "has_team") and value is False and loaded:
            return f"{name} is False"
        if ("error" in name or name.endswith("message") or name == "not_found") and value:
            return f"{name} = {value!r}"[:300]
    return ""


def sign_in_redirect_for(role: str) -> str:
    """Where a refused page sends this role, when it sends it anywhere."""
    return "/account" if role == "unconfirmed" else "/login"


REFUSED_STATUSES = frozenset({400, 401, 403, 404, 429})


def http_refusal(response) -> str:
    """How an HTTP answer says no ("" when it does not)."""
    if response.status_code in REFUSED_STATUSES:
        return f"HTTP {response.status_code}"
    if response.status_code in (302, 303):
        location = response.headers.get("location", "")
        query = parse_qs(urlsplit(location).query)
        if "error" in query or any(k.startswith("error_") for k in query):
            return f"redirect to {location}"
    return ""


def page_vars(state) -> dict[str, Any]:
    """What a page state holds besides who is signed in: its own vars and its parent pages'."""
    from microgigs.state.session import SessionState

    cls = type(state)
    return {
        name: getattr(state, name)
        for name in cls.vars
        # A form's remount key (a counter or digest) is not something a person was shown.
        if name not in SessionState.vars and name not in cls.computed_vars and not name.endswith(("_key", "_version"))
    }


def kept_from_previous_person(cell: Cell) -> list[str]:
    """The page vars of a refused load that differ from the same load on a fresh tab."""
    if cell.fresh_state is None:
        return []
    now, fresh = page_vars(cell.state), page_vars(cell.fresh_state)
    return sorted(name for name in now if now[name] != fresh[name])


# --- leaks ----------------------------------------------------------------------------------------

# Which of a side's people may see each kind of its private text ("staff": staff and admins).
AUDIENCE = {
    # The student's pedigree and address: a manager sees them only where a handler reveals them
    # (shortlisting or accepting an applicant ends blind review).
    "PEDIGREE": {"student", "staff"},
    "DRAFTMARK": {"manager", "staff"},
    "REVIEWMARK": {"manager", "staff"},
    "APPNOTE": {"student", "manager", "staff"},
    "SUBNOTE": {"student", "manager", "staff"},
    "MSGMARK": {"student", "manager", "staff"},
    "MILESTONEMARK": {"student", "manager", "staff"},
    "EXTMARK": {"student", "manager", "staff"},
    "DISPUTEMARK": {"student", "manager", "staff"},
    "DMSGMARK": {"student", "manager", "staff"},
    "FILEBYTES": {"student", "manager", "staff"},
    "MAILMARK": {"staff"},
    "emailmark": {"student", "staff"},  # (lower case: addresses are stored so)
}


def relation(role: str, side: str) -> str:
    """What the role is to a side: its "student", its "manager", "staff", or "" (a stranger)."""
    if role in STAFF_ROLES:
        return "staff"
    if SIDE_OF_ROLE.get(role) == side:
        return "student" if role in STUDENTS else "manager"
    return ""


def leaks(cell: Cell, never: tuple[str, ...] = (), reveals: tuple[str, ...] = ()) -> list[str]:
    """Private markers the caller was sent but may not see (`never`: kinds no one may see here;
    `reveals`: kinds this handler may show any of the side's own people)."""
    sent = cell.text()
    found = []
    for side in cell.world.sides.values():
        related = relation(cell.role, side.name)
        for kind, audience in AUDIENCE.items():
            marker = side.marker(kind)
            may_see = related in audience or (kind in reveals and related != "")
            if marker in sent and (not may_see or kind in never):
                found.append(marker)
    return found


# --- rows of the table ------------------------------------------------------------------------------

Args = Callable[[Cell], tuple] | tuple


@dataclass
class Page:
    """Call a page handler: the page's URL (formatted with the cell's side: "{eng_active}"), its
    arguments (a tuple, or a function of the cell), and handlers to run first on the same tab
    (None: the page's own on_load, as a click comes from a loaded page)."""

    url: str = "/"
    args: Args = ()
    prepare: tuple[str, ...] | None = None
    gateway: str = "demo"


@dataclass
class Http:
    """Call a route: method, path (formatted like Page.url), form fields, or a raw body."""

    method: str
    path: str
    form: Callable[[Cell], dict] | dict | None = None
    body: Callable[[Cell], bytes] | bytes | None = None
    gateway: str = "demo"


@dataclass
class Row:
    rule: Rule
    call: Page | Http
    check: Callable[[Cell], None] | None = None  # what an allowed cell did or showed
    # Cells whose outcome differs from the rule's, each with why: {"student": "refused: ..."}.
    exceptions: dict[str, str] = field(default_factory=dict)
    # The handler's purpose is a message (it may show one when allowed).
    shows_messages: bool = False
    never_shows: tuple[str, ...] = ()  # marker kinds nobody may see here, not even the side's own people
    reveals: tuple[str, ...] = ()  # marker kinds this handler may show the side's own people (beyond AUDIENCE)

    @property
    def columns(self) -> tuple[str, ...]:
        return ("own", "other") if self.rule.about_object else (SELF,)

    def expects_allowed(self, role: str, column: str) -> bool:
        for key in (f"{role}-{column}", role):
            if key in self.exceptions:
                return self.exceptions[key].startswith("allowed")
        return self.rule.allows(role, column)


def fill(template: str, cell: Cell) -> str:
    """A URL template with the cell's side's ids ("{eng_active}"), the other side's ("{their_milestone}")
    and the world's ("{verify_token}")."""
    theirs = {f"their_{name}": value for name, value in vars(cell.other_side).items()}
    values = {**vars(cell.side), **theirs, "verify_token": cell.world.verify_token, "user": cell.user_id}
    return template.format(**values)


def resolve(value, cell: Cell):
    return value(cell) if callable(value) else value


# --- checks for allowed cells ---------------------------------------------------------------------


def shows(*kinds: str) -> Callable[[Cell], None]:
    """The caller was sent these private texts of the cell's side (e.g. the submission's note)."""

    def check(cell: Cell) -> None:
        sent = cell.text()
        missing = [cell.side.marker(k) for k in kinds if cell.side.marker(k) not in sent]
        assert not missing, f"the page does not show {missing}"

    return check


def shows_text(make_text: Callable[[Cell], str]) -> Callable[[Cell], None]:
    def check(cell: Cell) -> None:
        wanted = make_text(cell)
        assert wanted in cell.text(), f"the page does not show {wanted!r}"

    return check


def state_is(**expected) -> Callable[[Cell], None]:
    """Page state vars equal these values (a value may be a function of the cell)."""

    def check(cell: Cell) -> None:
        for name, want in expected.items():
            got = getattr(cell.state, name)
            want = resolve(want, cell)
            assert got == want, f"{name} is {got!r}, not {want!r}"

    return check


def row_is(model, ref: str | Callable[[Cell], Any], **expected) -> Callable[[Cell], None]:
    """After the call, the model's row (`ref`: a field of the side, or a function of the cell) has these
    values; a value may be a predicate."""

    def check(cell: Cell) -> None:
        key = getattr(cell.side, ref) if isinstance(ref, str) else ref(cell)
        row = cell.get(model, key)
        assert row is not None, f"{model.__name__} {key} is gone"
        for name, want in expected.items():
            got = getattr(row, name)
            ok = want(got) if callable(want) else got == want
            assert ok, f"{model.__name__} {key}: {name} is {got!r}"

    return check


def exists(statement_of: Callable[[Cell], Any], what: str) -> Callable[[Cell], None]:
    def check(cell: Cell) -> None:
        assert cell.rows(statement_of(cell)), f"no {what}"

    return check


def redirects_to(prefix: str | Callable[[Cell], str]) -> Callable[[Cell], None]:
    def check(cell: Cell) -> None:
        want = resolve(prefix, cell)
        if cell.state is not None:
            target = redirect_target(cell.result) or ""
        else:
            assert cell.result.status_code in (302, 303), f"HTTP {cell.result.status_code}, not a redirect"
            target = cell.result.headers["location"]
        assert target.startswith(want), f"redirected to {target!r}, not {want!r}"

    return check


def status(code: int, *, body: str | Callable[[Cell], str] = "") -> Callable[[Cell], None]:
    def check(cell: Cell) -> None:
        assert cell.result.status_code == code, f"HTTP {cell.result.status_code}, not {code}: {cell.result.text[:200]}"
        wanted = resolve(body, cell)
        assert wanted in cell.result.text, f"the body does not hold {wanted!r}"

    return check


def that(predicate: Callable[[Cell], Any], failure: str) -> Callable[[Cell], None]:
    """A check from a predicate of the cell, with what to say when it does not hold."""

    def check(cell: Cell) -> None:
        assert predicate(cell), failure

    return check


def count(snap: dict[str, list[tuple]], table: str, **where) -> int:
    """How many rows of a snapshot's table have these values."""
    return sum(1 for row in records(snap, table) if all(row[k] == v for k, v in where.items()))


def all_of(*checks: Callable[[Cell], None]) -> Callable[[Cell], None]:
    def check(cell: Cell) -> None:
        for one in checks:
            one(cell)

    return check


# --- running one cell ----------------------------------------------------------------------------


def state_key(cls: type) -> str:
    """EngagementState -> "engagement", StaffEmployersState -> "staff_employers"."""
    name = cls.__name__.removesuffix("State")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def base_key(key: str) -> str:
    return key.split("[", 1)[0]


# Each page's on_load: what runs before any other handler of its row (unless the row says otherwise).
ON_LOAD = {
    "signup": "load_signup",
    "board": "load_board",
    "verify": "load",
    "certificate": "load",
    "dashboard": "load_dashboard",
    "manage_gig": "load_gig",
    "dispute": "load",
    "engagement": "load_engagement",
    # The workspace's forms (substates of its page state): a click comes from the loaded page.
    **dict.fromkeys(
        (
            "submit_form",
            "review_form",
            "message_form",
            "extension_form",
            "cancel_form",
            "milestone_form",
            "check_in_form",
            "after_gig_form",
        ),
        "load_engagement",
    ),
    "gig_detail": "load_gig",
    "preview_gig": "load_preview",
    "insights": "load",
    "moderation": "load_queue",
    "terms": "load_terms",
    "money": "load_money",
    "notifications": "load_notifications",
    "organization": "load_organization",
    "outbox": "load_outbox",
    "center_settings": "load_settings",
    "portfolio_settings": "load",
    "calendar_link": "load_calendar_link",
    "post_gig": "load_post_gig",
    "profile": "load_profile",
    "review": "load",
    "saved": "load_saved",
    "save_search": "load_board",
    "saved_searches": "load_searches",
    "mail_choices": "load_choices",
    "staff_employers": "load_employers",
    "staff_skills": "load_skills",
    "staff_audit": "load_audit",
    "staff_hub": "load_hub",
}


# Who used the tab before, for a refused load: whoever of these may see the most there.
PREVIOUS_PERSON = ("admin", "staff", "manager", "other_manager", "student", "other_student")


def someone_allowed(row: Row, column: str) -> str | None:
    return next((role for role in PREVIOUS_PERSON if row.expects_allowed(role, column)), None)


def hand_tab_to(state, token: str, url: str) -> None:
    """The same tab, now with another session cookie (or none): Reflex keeps a tab's state on the
    server across our HTTP sign-out and sign-in, so the next person on a shared computer gets it."""
    root = state
    while root.parent_state is not None:
        root = root.parent_state
    cookie = f"{get_settings().session_cookie_name}={token}" if token else ""
    root.router = RouterData.from_router_data(
        {
            "headers": {"origin": "http://testserver", "cookie": cookie},
            "pathname": urlsplit(url).path,
            "asPath": url,
            "query": {},
            "token": "",
        }
    )


def run_page(cell: Cell, row: Row, cls: type, handler: str) -> None:
    """Run a page handler as the cell's role (after the page's on_load, as a click comes from a
    loaded page), keeping the database before and after and the page state."""
    url = fill(row.call.url, cell)
    previous = someone_allowed(row, cell.column) if handler.startswith("load") and not row.expects_allowed(cell.role, cell.column) else None
    if previous is not None:
        # A refused load runs in a tab an allowed person used last: it must not keep their page.
        state = state_for(cls, url, cell.world.tokens[previous])
        run_handler(handler, state)
        hand_tab_to(state, cell.token, url)
    else:
        state = state_for(cls, url, cell.token)
    prepare = row.call.prepare
    if prepare is None:
        on_load = ON_LOAD.get(state_key(cls))
        prepare = (on_load,) if on_load and on_load != handler else ()
    for name in prepare:
        run_handler(name, state)
    args = tuple(resolve(arg, cell) for arg in resolve(row.call.args, cell))
    cell.before = snapshot(cell.engine)
    try:
        cell.result = run_handler(handler, state, *args)
    except Exception as error:
        pytest.fail(f"{handler} raised {error!r} instead of acting or refusing")
    cell.state = state
    cell.after = snapshot(cell.engine)
    if previous is not None:
        cell.previous, cell.fresh_state = previous, state_for(cls, url, cell.token)
        run_handler(handler, cell.fresh_state)


def run_route(cell: Cell, row: Row) -> None:
    """Call a route with the cell's role's cookie (and a same-origin header on a form post)."""
    call = row.call
    headers = {"origin": "http://testserver"} if call.method == "POST" else {}
    if cell.token:
        headers["cookie"] = f"{get_settings().session_cookie_name}={cell.token}"
    client = TestClient(limit_request_size(build_api()), base_url="http://testserver", follow_redirects=False)
    cell.before = snapshot(cell.engine)
    try:
        cell.result = client.request(
            call.method, fill(call.path, cell), data=resolve(call.form, cell), content=resolve(call.body, cell), headers=headers
        )
    except Exception as error:
        pytest.fail(f"the route raised {error!r} instead of answering")
    cell.after = snapshot(cell.engine)


def page_refusal(cell: Cell) -> tuple[str, str]:
    """(how the page said no, what is wrong with how it said it)."""
    target = redirect_target(cell.result)
    if target and (target.startswith("/login") or target.startswith("/account")):
        wanted = sign_in_redirect_for(cell.role)
        if cell.role not in ("visitor", "unconfirmed"):
            return f"redirect to {target}", "a signed-in, confirmed person was sent to sign in"
        if not target.startswith(wanted):
            return f"redirect to {target}", f"a {cell.role} belongs on {wanted}"
        return f"redirect to {target}", ""
    return visible_refusal(cell.state), ""


def judge(cell: Cell, row: Row) -> list[str]:
    """What is wrong with this cell's outcome ([] when nothing is)."""
    allowed = row.expects_allowed(cell.role, cell.column)
    problems = []
    if leaked := leaks(cell, row.never_shows, row.reveals):
        problems.append(f"sent private text it may not see: {leaked}")
    refusal, wrong = page_refusal(cell) if cell.state is not None else (http_refusal(cell.result), "")
    if wrong:
        problems.append(wrong)
    if allowed:
        if refusal and not row.shows_messages:
            problems.append(f"expected it to be allowed, but it was refused ({refusal})")
        else:
            try:
                row.check(cell)
            except AssertionError as error:
                problems.append(f"allowed, but {error}")
            except Exception as error:
                problems.append(f"allowed, but checking it raised {error!r}")
    else:
        if not refusal:
            problems.append("expected a refusal, but nothing says no")
        if diff := changes(cell.before, cell.after):
            problems.append(f"refused, yet the database changed: {diff}")
        if kept := kept_from_previous_person(cell):
            problems.append(f"kept what the tab's previous person ({cell.previous}) was shown: {kept}")
    return problems

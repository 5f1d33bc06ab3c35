"""A crowd of real tabs: page loads, people acting, live pushes, next to a bare Reflex page.

Serves the app built for production (`reflex run --env prod`, its own data dir, a free port; see
live_push.py) and drives it with simulated tabs: raw websocket clients on one asyncio loop that
speak Reflex's protocol as the built frontend does (benchmarks/reflex_wire.py): the socket.io
CONNECT packet carries `hydrate_and_load` with the page's route, links inside the app send
`on_load_internal`, and each page's events go by their real names (taken from the state classes),
with the session cookie our sign-in route set for signed-in people.

Both apps are served side by side for the whole run, ours and a bare Reflex app this script
writes to a temp dir (one state, one on_load that sets two vars), built and served the same way
and driven by the same client: the floor Reflex itself sets on this machine, in the same minute.

1. Memory: `--hold N` hydrated tabs opened on each fresh server (ours: half on the board, half on
   a gig page) at `--hold-rate`: the server's RSS growth per tab (with Redis, redis-server's too).
2. With our N tabs still open, a mix of people for `--mix-seconds` (`--people` arrivals a second):
   visitors open the board, go to its next page, search, open a gig; signed-in students open the
   board, save a gig, open a gig, type a note and apply; managers open a gig's applicants and
   shortlist one; and `--approvals` a second, pairs on one engagement: the student's workspace
   tab is open, the manager approves, and the clock runs until the student's socket receives the
   paid state (the live push).
3. Page loads: `--rate` new tabs a second for `--seconds` on each of `--routes`, each right after
   the same ramp on the bare page (each tab stays open until its ramp ends). A page load is
   timed from sending CONNECT (with the hydrate) to the delta that says the page is hydrated
   (hydrate + on_load done); the server's CPU per load (less its idle CPU) is the cost that
   depends least on whatever else this shared machine is doing.

    .venv/bin/python benchmarks/load.py [--rate 120] [--seconds 10] [--routes / /gigs/{gig}]
        [--hold 1000] [--hold-rate 50] [--people 12] [--approvals 1] [--mix-seconds 10] [--think 0.5]
        [--workers 1] [--redis] [--cpus N] [--html] [--no-bare]

Prints per kind n, p50/p95/p99 (ms) and errors; completed page loads per second; the server's
CPU and memory growth per held tab; the server log's error lines; our page load's p95,
throughput and CPU per load as ratios to the bare page's; and this client's own CPU use (near 100% of a core means the client, not the server, is
the limit). `--workers 2` runs two granian workers sharing a throwaway redis-server (Reflex's
Redis state manager), for the bare app too.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict, deque
from collections.abc import Awaitable, Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.live_push import DEMO_PASSWORD, _gig_input, free_port, pct, server_env, serving  # noqa: E402
from benchmarks.reflex_wire import USER_AGENT, Frontend, Tab, TabClosed, redirect_of, var  # noqa: E402

HOST = "localhost"
WEB_DIR = ROOT / "var" / "benchmark-web"  # live_push.server_env builds the app here
BARE_WEB_DIR = ROOT / "var" / "benchmark-bare-web"  # the bare app's build (node_modules kept between runs)
SEARCH_WORDS = ("data", "design", "survey", "research", "python", "marketing", "writing", "analysis", "video", "social")
TIMEOUT = 60.0  # seconds a tab waits for any one answer before it counts an error

BARE_APP = '''"""The bare page: one state, one on_load that sets two vars."""

import reflex as rx


class BareState(rx.State):
    greeting: str = ""
    loads: int = 0

    @rx.event
    def load(self):
        self.loads += 1
        self.greeting = f"Hello from {self.router.url.path}"


def index() -> rx.Component:
    return rx.el.main(rx.el.h1("A bare Reflex page"), rx.el.p(BareState.greeting))


app = rx.App()
app.add_page(index, route="/", on_load=BareState.load)
'''

# The state store is chosen as our rxconfig.py chooses it (microgigs/state_store.py).
BARE_CONFIG = """import reflex as rx

from microgigs.state_store import state_store_options

config = rx.Config(
    app_name="bare", telemetry_enabled=False, show_built_with_reflex=False, disable_plugins=[rx.plugins.SitemapPlugin], **state_store_options()
)
"""


# --- figures -----------------------------------------------------------------------------------


class Figures:
    """Latencies (ms) and errors by kind, and when each success finished (loop time)."""

    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.done_at: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, Counter] = defaultdict(Counter)
        self.span: tuple[float, float] = (0.0, 0.0)  # (first arrival, all done), monotonic
        self.notes: Counter = Counter()  # answered, but not as hoped (a refusal): not errors
        self.server_cpu = 0.0  # seconds the server's processes ran during the phase

    def add(self, kind: str, seconds: float) -> None:
        self.ms[kind].append(seconds * 1000)
        self.done_at[kind].append(time.monotonic())

    def fail(self, kind: str, error: BaseException | str) -> None:
        reason = error if isinstance(error, str) else (type(error).__name__ if not str(error) else f"{type(error).__name__}: {error}")
        self.errors[kind][reason[:80]] += 1

    def kinds(self) -> list[str]:
        """Page loads first, then the events, then the live pushes."""
        kinds = list(dict.fromkeys([*self.ms, *self.errors]))
        return sorted(kinds, key=lambda k: (0 if k.startswith(("page load", "HTML of")) else 2 if k.startswith("live push") else 1, k))

    def rows(self, title: str) -> None:
        print(f"\n{title}")
        print(f"  {'kind':<46} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for kind in self.kinds():
            values = self.ms.get(kind, [])
            errors = sum(self.errors[kind].values())
            if values:
                print(
                    f"  {kind:<46} {len(values):>6} {statistics.median(values):>8.1f} {pct(values, 95):>8.1f} {pct(values, 99):>8.1f} {errors:>7}"
                )
            else:
                print(f"  {kind:<46} {0:>6} {'-':>8} {'-':>8} {'-':>8} {errors:>7}")
        for kind, reasons in self.errors.items():
            for reason, n in reasons.most_common(3):
                print(f"    error in {kind}: {n} x {reason}")
        for note, n in self.notes.most_common():
            print(f"    note: {n} x {note}")


class Machine:
    """CPU and memory of the server's processes (its process group, and redis when there is one),
    and this client's own CPU, between two moments."""

    def __init__(self, port: int, extra_pids: list[int] | None = None) -> None:
        self.pids = _server_pids(port) + list(extra_pids or [])

    def rss(self) -> int:
        return sum(_proc_rss(pid) for pid in self.pids)

    def cpu(self) -> float:
        return sum(_proc_cpu(pid) for pid in self.pids)

    @contextmanager
    def span(self, label: str):
        """Prints wall time, the server's CPU (% of one core) and the client's; yields a dict that
        then holds them (seconds: "wall", "server_cpu", "client_cpu")."""
        out: dict[str, float] = {}
        wall, server, client = time.monotonic(), self.cpu(), time.process_time()
        yield out
        out.update(wall=time.monotonic() - wall, server_cpu=self.cpu() - server, client_cpu=time.process_time() - client)
        print(
            f"  [{label}: {out['wall']:.1f} s; server CPU {100 * out['server_cpu'] / out['wall']:.0f}% of a core;"
            f" this client's CPU {100 * out['client_cpu'] / out['wall']:.0f}% of a core]"
        )


def _server_pids(port: int) -> list[int]:
    """The server's processes: the process group of the `reflex run` started for this port."""
    leader = None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"reflex" in b" ".join(args) and b"--backend-port" in args and str(port).encode() in args:
            leader = int(entry.name)
            break
    if leader is None:
        return []
    group = os.getpgid(leader)
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == group:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _proc_rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


# --- the app's pages and events, by their real names ----------------------------------------------


@dataclass(frozen=True)
class Names:
    """Full state names and event names, derived from the app's state classes."""

    board: str
    gig: str
    manage: str
    engagement: str
    review_form: str
    toggle_save: str
    search: str
    set_note: str
    apply: str
    shortlist: str
    approve: str
    gig_route: str
    manage_route: str
    engagement_route: str

    @classmethod
    def of_the_app(cls) -> Names:
        from reflex_base.utils.format import format_event_handler

        from microgigs.state import gig_detail, manage_gig
        from microgigs.state.board import BoardState
        from microgigs.state.workspace import ROUTE as ENGAGEMENT_ROUTE
        from microgigs.state.workspace import EngagementState, ReviewForm

        def handler(state, name: str) -> str:
            return format_event_handler(state.event_handlers[name])

        G, M = gig_detail.GigDetailState, manage_gig.ManageGigState
        return cls(
            board=BoardState.get_full_name(),
            gig=G.get_full_name(),
            manage=M.get_full_name(),
            engagement=EngagementState.get_full_name(),
            review_form=ReviewForm.get_full_name(),
            toggle_save=handler(BoardState, "toggle_save"),
            search=handler(BoardState, "search"),
            set_note=handler(G, "set_note"),
            apply=handler(G, "apply"),
            shortlist=handler(M, "shortlist"),
            approve=handler(ReviewForm, "approve"),
            gig_route=gig_detail.ROUTE,
            manage_route=manage_gig.ROUTE,
            engagement_route=ENGAGEMENT_ROUTE,
        )


def changed(state: str, *names: str) -> Callable[[dict], bool]:
    """An update whose delta for `state` carries any of these vars."""
    wanted = [var(n) for n in names]

    def test(update: dict) -> bool:
        delta = (update.get("delta") or {}).get(state)
        return bool(delta) and any(w in delta for w in wanted)

    return test


def paid(names: Names) -> Callable[[dict], bool]:
    """The engagement page's delta once it shows the paid state."""

    def test(update: dict) -> bool:
        return bool(((update.get("delta") or {}).get(names.engagement) or {}).get(var("paid_text")))

    return test


def approved_or_refused(names: Names) -> Callable[[dict], bool]:
    is_paid = paid(names)

    def test(update: dict) -> bool:
        return is_paid(update) or bool(((update.get("delta") or {}).get(names.review_form) or {}).get(var("errors")))

    return test


# --- the data the people act on ---------------------------------------------------------------


@dataclass
class Cast:
    """Who acts on what: ids seeded before the server starts, cookies after it did."""

    open_gigs: list[int]
    students: list[str]
    manager: str
    shortlist: list[tuple[int, int]]  # (gig id, application id), each shortlisted once
    approvals: list[tuple[int, str]]  # (engagement id, its student's email), each approved once
    apply_to: list[int]  # gigs the students apply to (pairs handed out once)
    cookies: dict[str, str] = field(default_factory=dict)
    _pairs: object = None

    def next_apply(self, rng: random.Random) -> tuple[str, int]:
        """A (student, gig) pair nobody used yet in this run (then pairs again: refused, still timed)."""
        if self._pairs is None:
            pairs = [(s, g) for s in self.students for g in self.apply_to]
            rng.shuffle(pairs)
            self._pairs = itertools.cycle(pairs)
        return next(self._pairs)


def seed(data_dir: Path, students: int, gigs_to_apply: int, shortlists: int, approvals: int) -> Cast:
    """Accounts and gigs for the mix, written straight to the database before the server starts."""
    from argon2 import PasswordHasher
    from sqlmodel import Session, select

    from microgigs.db import make_engine
    from microgigs.models import Gig, User
    from microgigs.services import accounts, applications, engagements, gigs
    from microgigs.services.applications import ApplicationInput

    # Cheap hashes: only the accounts' existence matters here (sign-in verifies with the hash's own
    # parameters, and may rehash once: before the measuring starts).
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    engine = make_engine(f"sqlite:///{data_dir / 'microgigs.db'}")
    with Session(engine, expire_on_commit=False) as session:
        manager = session.exec(select(User).where(User.email == "manager1@demo.microgigs.test")).one()
        people = []
        for n in range(students):
            email = f"load{n}@students.example.edu"
            user = accounts.sign_up(session, accounts.SignUp(email=email, password=DEMO_PASSWORD, display_name=f"Load Student {n}"))
            user.email_verified = True
            people.append(user)
        session.flush()
        apply_to = [gigs.create_gig(session, manager, _gig_input(f"Load gig to apply to {n}")).id for n in range(gigs_to_apply)]
        shortlist = []
        per_gig = 5
        for n in range(math.ceil(shortlists / per_gig)):
            gig = gigs.create_gig(session, manager, _gig_input(f"Load gig with applicants {n}"))
            for student in people[:per_gig]:
                shortlist.append((gig.id, applications.apply(session, student, gig.id, ApplicationInput(note="Load test application.")).id))
        approval_list = []
        for n in range(approvals):
            student = people[n % len(people)]
            gig = gigs.create_gig(session, manager, _gig_input(f"Load gig to approve {n}"))
            application = applications.apply(session, student, gig.id, ApplicationInput(note="Load test application."))
            engagement = applications.accept(session, manager, application.id)
            engagements.submit_deliverable(session, student, engagement.id, "The load test's deliverable, described at length.")
            approval_list.append((engagement.id, student.email))
        session.commit()
        open_gigs = [g.id for g in session.exec(select(Gig).where(Gig.status == "open")).all()]
    engine.dispose()
    return Cast(
        open_gigs=open_gigs,
        students=[p.email for p in people],
        manager="manager1@demo.microgigs.test",
        shortlist=shortlist,
        approvals=approval_list,
        apply_to=apply_to,
    )


def sign_in(url: str, email: str) -> str:
    """Sign in through our HTTP route, as the login form does; the Cookie header a browser then sends."""
    response = httpx.post(
        f"{url}/auth/login",
        data={"email": email, "password": DEMO_PASSWORD, "next": "/dashboard"},
        headers={"origin": url},
        follow_redirects=False,
        timeout=60,
    )
    if "microgigs_session" not in response.cookies:
        raise SystemExit(f"signing in {email} failed: {response.status_code} {response.headers.get('location')}")
    return "; ".join(f"{k}={v}" for k, v in response.cookies.items())


# --- load ---------------------------------------------------------------------------------------


class Abort(Exception):
    """A step failed (already counted): the person stops."""


async def step(fig: Figures, kind: str, action: Awaitable, measure: Callable | None = None):
    """Run one step; its time (or, with `measure`, the time it returns) goes under `kind`."""
    started = time.monotonic()
    try:
        result = await action
    except (TabClosed, TimeoutError, OSError, HTTPStatus) as error:
        fig.fail(kind, error)
        raise Abort from error
    fig.add(kind, measure(result) if measure else time.monotonic() - started)
    return result


class Options:
    html = False  # --html: each new tab first GETs its page's HTML, as a first visit does
    redis = False  # --redis: Redis keeps the tabs' state even for one worker (the baseline of --workers 2)


async def open_page(fig: Figures, kind: str, tab: Tab, url: str, route: str | None = None):
    """A page load: time from CONNECT (with the hydrate) to the hydrated page (with --html, the
    document's GET first, timed apart)."""
    if Options.html:
        await step(fig, kind.replace("page load", "HTML of"), fetch_html(tab.port, url, tab.cookie))
    return await step(fig, kind, tab.open(url, route, timeout=TIMEOUT), measure=lambda r: r[1])


class HTTPStatus(Exception):
    """A page's HTML came back with another status than 200."""


async def fetch_html(port: int, url: str, cookie: str) -> None:
    """GET a page's HTML as the browser's first visit does (scripts and styles cached), to the end."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), TIMEOUT)
    headers = [
        f"GET {url} HTTP/1.1",
        f"Host: {HOST}:{port}",
        f"User-Agent: {USER_AGENT}",
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Encoding: gzip, deflate, br",
        "Accept-Language: en-US,en;q=0.9",
        "Connection: close",
        *([f"Cookie: {cookie}"] if cookie else []),
    ]
    try:
        writer.write(("\r\n".join(headers) + "\r\n\r\n").encode())
        response = await asyncio.wait_for(reader.read(), TIMEOUT)
    finally:
        writer.close()
    status = response.split(b" ", 2)[1] if response.startswith(b"HTTP/") else b"?"
    if status != b"200":
        raise HTTPStatus(status.decode(errors="replace"))


async def arrivals(rate: float, seconds: float, start: Callable[[int], Awaitable]) -> None:
    """`rate` arrivals a second for `seconds`, evenly spaced; waits for all of them to finish."""
    if rate <= 0 or seconds <= 0:
        return  # this phase is switched off (e.g. --people 0)
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    tasks = []
    for i in range(max(1, round(rate * seconds))):
        delay = t0 + i / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(start(i)))
    for outcome in await asyncio.gather(*tasks, return_exceptions=True):
        if isinstance(outcome, BaseException):  # a bug in this script, not the server's doing
            print(f"  the load client failed: {outcome!r}", file=sys.stderr)


async def page_loads(frontend: Frontend, port: int, url_of: Callable[[int], str], route: str | None, kind: str, rate, seconds) -> Figures:
    """New tabs at `rate` for `seconds`, each kept open until all are done; then all close."""
    fig = Figures()
    tabs: list[Tab] = []

    async def one(i: int) -> None:
        tab = Tab(frontend, HOST, port)
        tabs.append(tab)
        try:
            await open_page(fig, kind, tab, url_of(i), route)
        except Abort:
            pass

    started = time.monotonic()
    await arrivals(rate, seconds, one)
    fig.span = (started, time.monotonic())
    for tab in tabs:
        count_error_toasts(fig, kind, tab)
        tab.close()
    return fig


def count_error_toasts(fig: Figures, kind: str, tab: Tab) -> None:
    """Reflex answers an exception in a handler with its error toast: an error, even if the page went on."""
    for _ in range(tab.backend_errors):
        fig.fail(kind, "the server's error toast (an exception in a handler)")


def throughput(fig: Figures, kind: str) -> float:
    """Completed page loads per second, from the first arrival to the last completion."""
    done = fig.done_at.get(kind, [])
    return len(done) / (max(done) - fig.span[0]) if done else 0.0


async def warm_up(frontend: Frontend, port: int, urls: list[tuple[str, str | None]]) -> bool:
    """A few loads per page before measuring (first loads import and compile lazily); whether the
    server compresses the websocket (permessage-deflate, which the browser offers and so do we)."""
    compressed = False
    for url, route in urls:
        for _ in range(5):
            tab = Tab(frontend, HOST, port)
            try:
                await tab.open(url, route, timeout=TIMEOUT)
                compressed = tab.compressed
            finally:
                tab.close()
    return compressed


async def hold(frontend: Frontend, port: int, n: int, rate: float, urls: list[tuple[str, str | None]]) -> tuple[list[Tab], Figures]:
    """N tabs opened at `rate` and left open, hydrated."""
    fig = Figures()
    tabs: list[Tab] = []

    async def one(i: int) -> None:
        url, route = urls[i % len(urls)]
        tab = Tab(frontend, HOST, port)
        try:
            await open_page(fig, "held tab page load", tab, url, route)
            tabs.append(tab)
        except Abort:
            tab.close()

    if n:
        await arrivals(rate, n / rate, one)
    return tabs, fig


class People:
    """The scripts of the mix (see the module's docstring); each person is one or two tabs."""

    def __init__(self, frontend: Frontend, port: int, names: Names, cast: Cast, think: float, seed: int) -> None:
        self.frontend, self.port, self.n, self.cast, self.think = frontend, port, names, cast, think
        self.rng = random.Random(seed)
        self.fig = Figures()
        self.shortlist = iter(cast.shortlist)
        self.approvals = iter(cast.approvals)

    def tab(self, cookie: str = "") -> Tab:
        return Tab(self.frontend, HOST, self.port, cookie)

    async def pause(self) -> None:
        await asyncio.sleep(self.rng.expovariate(1 / self.think) if self.think > 0 else 0)

    async def run(self, who: str) -> None:
        tabs: list[Tab] = []
        try:
            await getattr(self, who)(tabs)
        except Abort:
            pass
        finally:
            for tab in tabs:
                count_error_toasts(self.fig, f"{who}'s tabs", tab)
                tab.close()

    async def visitor(self, tabs: list[Tab]) -> None:
        fig, n, gig = self.fig, self.n, self.rng.choice(self.cast.open_gigs)
        tab = self.tab()
        tabs.append(tab)
        await open_page(fig, "page load /", tab, "/")
        await self.pause()
        await step(fig, "board: next page", tab.navigate("/?page=2", timeout=TIMEOUT))
        await self.pause()
        await step(fig, "board: search (event + its new URL's load)", self._search(tab, self.rng.choice(SEARCH_WORDS)))
        await self.pause()
        await step(fig, "open a gig page (link)", tab.navigate(f"/gigs/{gig}", n.gig_route, timeout=TIMEOUT))

    async def _search(self, tab: Tab, words: str):
        form = {"q": words, "category": "all", "skills": "", "mode": "all", "pay_min": "", "pay_max": "", "hours_min": ""}
        form |= {"hours_max": "", "due_within": "all", "employer": "all", "sort": "newest"}
        update = await tab.call(self.n.search, {"form_data": form}, lambda u: redirect_of(u) is not None, TIMEOUT)
        return await tab.navigate(redirect_of(update), timeout=TIMEOUT)

    async def student(self, tabs: list[Tab]) -> None:
        fig, n = self.fig, self.n
        email, gig = self.cast.next_apply(self.rng)
        tab = self.tab(self.cast.cookies[email])
        tabs.append(tab)
        await open_page(fig, "page load / (student)", tab, "/")
        await self.pause()
        saved = self.rng.choice(self.cast.open_gigs)
        await step(fig, "save a gig", tab.call(n.toggle_save, {"gig_id": saved}, changed(n.board, "saved_ids", "save_error"), TIMEOUT))
        await self.pause()
        await step(fig, "open a gig page (link, student)", tab.navigate(f"/gigs/{gig}", n.gig_route, timeout=TIMEOUT))
        note = "I charted survey results for a student newspaper last year, and can start on Monday."
        for typed in (note[:30], note):  # the note's controlled textarea sends what is typed
            await self.pause()
            await step(fig, "type the note", tab.call(n.set_note, {"value": typed}, changed(n.gig, "note"), TIMEOUT))
        form = {"note": note, "sample_links": ""}
        until = changed(n.gig, "applied", "errors", "form_error")
        update = await step(fig, "apply", tab.call(n.apply, {"form_data": form}, until, TIMEOUT))
        if not update["delta"][n.gig].get(var("applied")):
            fig.notes["apply refused by the service (a pair used twice?)"] += 1

    async def manager(self, tabs: list[Tab]) -> None:
        fig, n = self.fig, self.n
        target = next(self.shortlist, None)
        if target is None:
            fig.fail("shortlist", "no applicant left to shortlist (seed more)")
            return
        gig, application = target
        tab = self.tab(self.cast.cookies[self.cast.manager])
        tabs.append(tab)
        await open_page(fig, "page load /manage/gigs/[gig_id]", tab, f"/manage/gigs/{gig}", n.manage_route)
        await self.pause()
        until = changed(n.manage, "notice", "card_errors")
        update = await step(fig, "shortlist an applicant", tab.call(n.shortlist, {"application_id": application}, until, TIMEOUT))
        if update["delta"][n.manage].get(var("card_errors")):
            fig.notes["shortlist refused by the service"] += 1

    async def approval(self, tabs: list[Tab]) -> None:
        fig, n = self.fig, self.n
        target = next(self.approvals, None)
        if target is None:
            fig.fail("approve", "no engagement left to approve (seed more)")
            return
        engagement, student_email = target
        url = f"/engagements/{engagement}"
        student, manager = self.tab(self.cast.cookies[student_email]), self.tab(self.cast.cookies[self.cast.manager])
        tabs += [student, manager]
        await open_page(fig, "page load /engagements/[id] (student)", student, url, n.engagement_route)
        await open_page(fig, "page load /engagements/[id] (manager)", manager, url, n.engagement_route)
        await self.pause()

        async def arrived() -> float:
            await student.wait_for(paid(n), TIMEOUT)
            return time.monotonic()

        pushed = asyncio.create_task(arrived())
        await asyncio.sleep(0)  # the student's tab is listening before the click
        started = time.monotonic()
        try:
            update = await step(
                fig, "approve (manager's own page)", manager.call(n.approve, {"version": 1}, approved_or_refused(n), TIMEOUT)
            )
        except Abort:
            pushed.cancel()
            raise
        if not paid(n)(update):
            pushed.cancel()
            fig.notes["approval refused by the service"] += 1
            return
        await step(fig, "live push: approve -> student's page", pushed, measure=lambda at: at - started)


MIX = (("visitor", 0.65), ("student", 0.25), ("manager", 0.10))


async def mix(people: People, rate: float, approvals: float, seconds: float) -> float:
    """People arriving at `rate` for `seconds` by the MIX's shares, and beside them `approvals`
    workspace pairs a second (the live push); returns the span until all finished."""
    kinds, weights = zip(*MIX, strict=True)
    started = time.monotonic()
    crowd = arrivals(rate, seconds, lambda i: people.run(people.rng.choices(kinds, weights)[0]))
    pairs = arrivals(approvals, seconds, lambda i: people.run("approval")) if approvals > 0 else asyncio.sleep(0)
    await asyncio.gather(crowd, pairs)
    return time.monotonic() - started


# --- serving ------------------------------------------------------------------------------------


def server_log_problems(name: str, log, path: Path) -> None:
    """The server's own errors during the run (tracebacks, error lines), so none hide behind the figures."""
    log.flush()
    lines = path.read_text(errors="replace").splitlines()
    tracebacks = sum(1 for line in lines if line.lstrip().startswith("Traceback"))
    errors = sum(1 for line in lines if re.search(r"\bERROR\b", line))
    # The last line of each traceback names the exception: count them by type.
    raised = Counter(m[1] for line in lines if (m := re.match(r"^\s*((?:\w+\.)*\w*(?:Error|Exception|Exit|Interrupt))\b", line)))
    print(f"  {name}'s server log: {tracebacks} traceback(s), {errors} ERROR line(s)" + (":" if raised else ""))
    for exception, n in raised.most_common(5):
        print(f"    {n} x {exception}")


@contextmanager
def redis_server(base: Path, workers: int):
    """A throwaway redis-server for several workers (None for one, unless --redis said so)."""
    if workers <= 1 and not Options.redis:
        yield None, None
        return
    redis = shutil.which("redis-server")
    if redis is None:
        raise SystemExit("--workers needs Debian's redis-server (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(base)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", server.pid
    finally:
        server.terminate()
        server.wait(timeout=10)


def worker_env(env: dict[str, str], workers: int, redis_url: str | None) -> dict[str, str]:
    env = dict(env)
    env["GRANIAN_WORKERS"] = str(workers)
    if redis_url:
        env["REFLEX_REDIS_URL"] = redis_url
    return env


def run(coroutine):
    return asyncio.run(coroutine)


@dataclass
class Served:
    """One app being served: its port, its build's constants, its processes and log."""

    name: str
    port: int
    frontend: Frontend
    machine: Machine
    log: object
    log_path: Path
    idle_cpu: float = 0.0  # the server's CPU seconds a second with nobody there (its timers, jobs)

    def settle(self, urls: list[tuple[str, str | None]]) -> None:
        """Warm up (first loads import and compile lazily), then measure the idle CPU."""
        compressed = run(warm_up(self.frontend, self.port, urls))
        # The quietest of a few seconds: one-off work after start-up (a job's first run) is not idling.
        samples = []
        for _ in range(5):
            cpu = self.machine.cpu()
            time.sleep(1)
            samples.append(self.machine.cpu() - cpu)
        self.idle_cpu = min(samples)
        print(
            f"  {self.name}: {len(self.machine.pids)} server processes; websocket {'' if compressed else 'not '}compressed;"
            f" idle CPU {100 * self.idle_cpu:.0f}% of a core (seconds: {', '.join(f'{100 * x:.0f}%' for x in samples)})"
        )

    def ramp(self, args, path: str, route: str | None, kind: str) -> Figures:
        """`--rate` new tabs a second on one page for `--seconds`; prints its rows and throughput."""
        time.sleep(2)  # the previous phase's tabs have gone
        with self.machine.span(f"{self.name}: page loads on {path}") as used:
            fig = run(page_loads(self.frontend, self.port, lambda i: path, route, kind, args.rate, args.seconds))
        fig.server_cpu = max(0.0, used["server_cpu"] - self.idle_cpu * used["wall"])
        fig.rows(f"{self.name}, {path}: {args.rate:g} new tabs/s for {args.seconds:g} s")
        print(f"  completed page loads: {throughput(fig, kind):.0f}/s; server CPU per page load: {cost(fig, kind):.1f} ms")
        return fig


def cost(fig: Figures, kind: str) -> float:
    """The server's CPU (ms, all its processes, less what it uses idle) per completed page load in a ramp."""
    done = len(fig.ms.get(kind, []))
    return 1000 * fig.server_cpu / done if done else float("nan")


@contextmanager
def serve_bare(args, base: Path):
    """The bare app (written to a temp dir), built and served like ours, warmed up."""
    app_dir = base / "bare-app"
    (app_dir / "bare").mkdir(parents=True)
    (app_dir / "bare" / "__init__.py").write_text("")
    (app_dir / "bare" / "bare.py").write_text(BARE_APP)
    (app_dir / "rxconfig.py").write_text(BARE_CONFIG)
    (app_dir / "assets").mkdir()
    (base / "bare").mkdir()
    port = free_port()
    env = server_env(base / "bare", f"http://{HOST}:{port}")
    env.update(REFLEX_WEB_WORKDIR=str(BARE_WEB_DIR), REFLEX_STATES_WORKDIR=str(base / "bare-states"))
    env.pop("MICROGIGS_DATA_DIR", None)
    with (
        redis_server(base / "bare", args.workers) as (redis_url, redis_pid),
        serving(worker_env(env, args.workers, redis_url), base / "bare", port, cwd=app_dir) as log,
    ):
        served = Served(
            "bare page",
            port,
            Frontend.from_web_dir(BARE_WEB_DIR),
            Machine(port, [redis_pid] if redis_pid else []),
            log,
            base / "bare" / "server.log",
        )
        served.settle([("/", None)])
        yield served


@contextmanager
def serve_app(args, base: Path):
    """Our app with the demo data and the mix's cast, built and served, its people signed in."""
    (base / "data").mkdir()
    port = free_port()
    url = f"http://{HOST}:{port}"
    env = server_env(base, url)
    subprocess.run([sys.executable, "-m", "reflex", "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [sys.executable, "-c", "import sys; from microgigs.cli import main; sys.exit(main())", "seed-demo"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    os.environ["MICROGIGS_DATA_DIR"] = str(base / "data")
    # Enough of each for the mix (approvals and shortlists are used once each), with room to spare.
    people = args.people * args.mix_seconds
    cast = seed(
        base / "data",
        students=40,
        gigs_to_apply=40,
        shortlists=math.ceil(people * 0.10 * 1.5) + 10,
        approvals=math.ceil(args.approvals * args.mix_seconds) + 5,
    )
    with redis_server(base, args.workers) as (redis_url, redis_pid), serving(worker_env(env, args.workers, redis_url), base, port) as log:
        served = Served(
            "MicroGigs", port, Frontend.from_web_dir(WEB_DIR), Machine(port, [redis_pid] if redis_pid else []), log, base / "server.log"
        )
        for email in [*cast.students, cast.manager]:
            cast.cookies[email] = sign_in(url, email)
        yield served, cast


async def held_tabs(served: Served, args, urls) -> tuple[list[Tab], float | None]:
    """`--hold` hydrated tabs, left open; prints the server's memory growth per tab (bytes)."""
    if not args.hold:
        return [], None
    machine = served.machine
    await asyncio.sleep(1)
    before = machine.rss()
    with machine.span(f"{served.name}: {args.hold} held tabs opened"):
        tabs, fig = await hold(served.frontend, served.port, args.hold, args.hold_rate, urls)
    await asyncio.sleep(2)
    after = machine.rss()
    per_tab = (after - before) / max(1, len(tabs))
    fig.rows(f"{served.name}: held tabs")
    print(f"  {len(tabs)} hydrated tabs held: server RSS {before / 2**20:.0f} -> {after / 2**20:.0f} MB, {per_tab / 1024:.0f} kB per tab")
    return tabs, per_tab


async def held_then_closed(served: Served, args, urls) -> float | None:
    tabs, per_tab = await held_tabs(served, args, urls)
    for tab in tabs:
        tab.close()
    return per_tab


async def held_and_mix(app: Served, args, names: Names, cast: Cast, urls) -> float | None:
    """Held tabs (their memory), and with them open the mix of people; returns memory per tab."""
    tabs, per_tab = await held_tabs(app, args, urls)
    crowd = People(app.frontend, app.port, names, cast, args.think, args.seed)
    with app.machine.span(f"mix with {len(tabs)} held tabs"):
        before = [tab.updates for tab in tabs]
        span = await mix(crowd, args.people, args.approvals, args.mix_seconds)
    events = sum(len(v) for k, v in crowd.fig.ms.items() if not k.startswith(("page load", "live push", "HTML of")))
    loads = sum(len(v) for k, v in crowd.fig.ms.items() if k.startswith("page load"))
    pushes = sum(1 for tab, n in zip(tabs, before, strict=True) if tab.updates > n)
    for tab in tabs:
        count_error_toasts(crowd.fig, "held tabs", tab)
    shares = ", ".join(f"{share:.0%} {who}s" for who, share in MIX)
    crowd.fig.rows(
        f"the mix: {args.people:g} people/s ({shares}) and {args.approvals:g} approvals/s for {args.mix_seconds:g} s, {len(tabs)} tabs held"
    )
    print(
        f"  answered: {events / span:.0f} events/s and {loads / span:.0f} page loads/s over {span:.1f} s; held tabs pushed to meanwhile: {pushes}"
    )
    for tab in tabs:
        tab.close()
    return per_tab


EVENT_KINDS = ("event: type the note (gig page)", "event: save a gig (board)")


async def events_from_open_tabs(app: Served, args, names: Names, cast: Cast) -> None:
    """`--events` a second for `--events-seconds` from `--event-tabs` open tabs of signed-in
    students, as people at their keyboards send them: four in five type a note on a gig page (the
    controlled textarea sends each change), one in five saves a gig on the board (a write). Each
    is timed to the update that answers it; a tab sends its next only once answered."""
    fig = Figures()
    typing: deque[Tab] = deque()
    saving: deque[Tab] = deque()
    for i in range(args.event_tabs):
        tab = Tab(app.frontend, HOST, app.port, cast.cookies[cast.students[i % len(cast.students)]])
        on_board = i % 5 == 0
        gig = cast.open_gigs[i % len(cast.open_gigs)]
        url, route = ("/", None) if on_board else (f"/gigs/{gig}", names.gig_route)
        try:
            await open_page(fig, "event tabs: page load", tab, url, route)
        except Abort:
            tab.close()
            continue
        (saving if on_board else typing).append(tab)
    rng = random.Random(args.seed)

    async def one(i: int) -> None:
        save = i % 5 == 0
        kind, idle = (EVENT_KINDS[1], saving) if save else (EVENT_KINDS[0], typing)
        if not idle:
            fig.fail(kind, "every tab still waiting for its last answer (raise --event-tabs)")
            return
        tab = idle.popleft()
        try:
            if save:
                until = changed(names.board, "saved_ids", "save_error")
                await step(fig, kind, tab.call(names.toggle_save, {"gig_id": rng.choice(cast.open_gigs)}, until, TIMEOUT))
            else:
                await step(
                    fig, kind, tab.call(names.set_note, {"value": f"I can start on Monday ({i})"}, changed(names.gig, "note"), TIMEOUT)
                )
        except Abort:
            return
        idle.append(tab)

    with app.machine.span(f"{args.events:g} events/s from {len(typing) + len(saving)} open tabs"):
        started = time.monotonic()
        await arrivals(args.events, args.events_seconds, one)
        fig.span = (started, time.monotonic())
    for tab in (*typing, *saving):
        count_error_toasts(fig, "event tabs", tab)
        tab.close()
    fig.rows(f"events from open tabs: {args.events:g} a second for {args.events_seconds:g} s")
    answered = sum(len(fig.ms[k]) for k in EVENT_KINDS)
    print(f"  answered: {answered / (fig.span[1] - fig.span[0]):.0f} events/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=120, help="new tabs per second in the page-load phases")
    parser.add_argument("--seconds", type=float, default=10, help="length of each page-load phase")
    parser.add_argument("--routes", nargs="+", default=["/", "/gigs/{gig}"], help="pages to load ({gig}: an open gig's id)")
    parser.add_argument("--hold", type=int, default=1000, help="tabs held open (and hydrated) during the mix")
    parser.add_argument("--hold-rate", type=float, default=50, help="new tabs per second while the held tabs open")
    parser.add_argument("--people", type=float, default=12, help="people arriving per second in the mix")
    parser.add_argument("--approvals", type=float, default=1, help="approvals per second in the mix (each times a live push)")
    parser.add_argument("--mix-seconds", type=float, default=10)
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds a person waits between steps")
    parser.add_argument("--events", type=float, default=300, help="events a second from open tabs in the events phase (0: skip it)")
    parser.add_argument("--events-seconds", type=float, default=10)
    parser.add_argument("--event-tabs", type=int, default=200, help="signed-in students' tabs sending those events")
    parser.add_argument("--workers", type=int, default=1, help="granian workers (2+: sharing a throwaway redis-server)")
    parser.add_argument("--html", action="store_true", help="each new tab first GETs its page's HTML (timed apart)")
    parser.add_argument("--redis", action="store_true", help="a Redis state store for one worker too (to compare with --workers 2)")
    parser.add_argument(
        "--cpus", type=int, default=0, help="run everything (servers, Redis, this client) on the first N cores only (0: all)"
    )
    parser.add_argument("--no-bare", action="store_true", help="skip the bare Reflex page")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    Options.html, Options.redis = args.html, args.redis
    if args.cpus:
        # Inherited by every process started from here: the servers and redis-server share these
        # cores with this client, as they would share a machine that size.
        os.sched_setaffinity(0, range(args.cpus))

    base = Path(tempfile.mkdtemp(prefix="microgigs-load-"))
    try:
        with ExitStack() as stack:
            # Both apps are up from here on, so each of our ramps has a bare one in the same minute.
            bare = None if args.no_bare else stack.enter_context(serve_bare(args, base))
            app, cast = stack.enter_context(serve_app(args, base))
            phases(args, bare, app, cast)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def phases(args, bare: Served | None, app: Served, cast: Cast) -> None:
    names = Names.of_the_app()
    gig = cast.open_gigs[0]
    routes = [(r.replace("{gig}", str(gig)), names.gig_route if "{gig}" in r else None) for r in args.routes]
    app.settle(routes)
    workers = f"{args.workers} worker{'s' if args.workers > 1 else ''} each"
    print(f"\n== Memory per held tab, each app on a fresh server ({workers}) ==")
    bare_tab = run(held_then_closed(bare, args, [("/", None)])) if bare else None
    print("\n== The mix, with the held tabs open ==")
    per_tab = run(held_and_mix(app, args, names, cast, [("/", None), (f"/gigs/{gig}", names.gig_route)]))
    if args.events > 0:
        print("\n== Events from open tabs (typing and saving) ==")
        run(events_from_open_tabs(app, args, names, cast))
    print("\n== Page loads: each of our pages right after the bare page, at the same rate ==")
    pairs = []
    for path, route in routes:
        bare_fig = bare.ramp(args, "/", None, BARE_KIND) if bare else None
        kind = f"page load {route or path}"
        pairs.append((kind, app.ramp(args, path, route, kind), bare_fig))
    print()
    for served in (bare, app):
        if served is not None:
            server_log_problems(served.name, served.log, served.log_path)
    summary(args, pairs, per_tab, bare_tab)


BARE_KIND = "page load / (bare)"


def summary(args, pairs: list[tuple[str, Figures, Figures | None]], per_tab: float | None, bare_tab: float | None) -> None:
    """Each page's load against the bare page's just before it: p95, completed loads a second, and the
    server's CPU per load (the cost that depends least on what else the machine is doing)."""
    print(f"\n== Page loads against the bare Reflex page (same client, {args.rate:g} new tabs/s for {args.seconds:g} s, same minute) ==")
    print(f"  {'page':<30} {'p95 ms':>8} {'/ bare':>7} {'loads/s':>8} {'/ bare':>7} {'CPU ms/load':>12} {'/ bare':>7}")

    def figures(fig: Figures, kind: str) -> tuple[float, float, float] | None:
        values = fig.ms.get(kind, [])
        return (pct(values, 95), throughput(fig, kind), cost(fig, kind)) if values else None

    for kind, fig, bare_fig in pairs:
        ours, base = figures(fig, kind), figures(bare_fig, BARE_KIND) if bare_fig else None
        for label, row in (("  bare page, just before", base), (kind, ours)):
            if label.startswith("  bare") and bare_fig is None:
                continue
            if row is None:
                print(f"  {label:<30} no page load completed")
                continue
            ratios = [f"{v / b:>7.2f}" if base else f"{'':>7}" for v, b in zip(row, base or row, strict=True)]
            print(f"  {label:<30} {row[0]:>8.1f} {ratios[0]} {row[1]:>8.0f} {ratios[1]} {row[2]:>12.1f} {ratios[2]}")
    if per_tab is not None:
        also = f" (bare page: {bare_tab / 1024:.0f} kB)" if bare_tab is not None else ""
        print(f"  server memory per held tab: {per_tab / 1024:.0f} kB{also}")


if __name__ == "__main__":
    main()

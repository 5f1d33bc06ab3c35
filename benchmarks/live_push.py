"""Live push latency: one person acts, how long until the other's open page shows it?

Serves the real app (`reflex run --env prod`, one worker, SQLite) on a free port with its
own data dir, seeds N funded engagements with a submission waiting, then for each one:
the student's page (Playwright, Chromium) and the manager's page are open on the same
workspace; the clock starts just before the manager clicks "Approve and pay" and stops when
the student's page shows "paid to" — no reload. The same run measures a bare Reflex event
round trip on the manager's page (an empty message: one event, one database read, one
delta back) as the baseline, and repeats everything with 200 other idle connected sessions
(raw socket.io websocket clients in Reflex's /_event namespace, each with its own client
token and session state on the server, answering pings).

Two more pushes are timed the same way, each the one a browser test only waits for (with a
generous timeout, never a threshold): on the same workspace the student sends a message and the
clock stops when the manager's page shows it (tests/e2e/test_live_workspace.py), and on a gig
of its own the student applies while the manager's applicant list is open, until that list
shows the new applicant (tests/e2e/test_blind_review_frames.py).

    .venv/bin/python benchmarks/live_push.py [--samples 20] [--idle 200] [--timings]

Prints p50/p95 per case and the ratio of p95 to the baseline's p95. "student page drawn" is
when Playwright sees the paid state, which it looks for only after the manager's own frame
came back; the two "page clock" rows stamp the same moments inside the student's page
(Date.now(), the wall clock the script reads before the click): the frame's arrival, and the
animation frame after the DOM first shows the paid state. With --timings the server runs with
MICROGIGS_TIMINGS=1 (see microgigs/timings.py) and the script also prints each server-side
phase (wall and CPU, p50/p95) per case, and the page's time from the frame to the paid DOM.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEMO_PASSWORD = "demo-password-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("", 0))
        return s.getsockname()[1]


def server_env(base: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROGIGS_")}
    env["PATH"] = os.pathsep.join([str(ROOT / ".tools/node_modules/.bin"), str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(
        MICROGIGS_DATA_DIR=str(base / "data"),
        MICROGIGS_PUBLIC_URL=url,
        MICROGIGS_DEMO_MODE="true",
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_USE_NPM="0",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="0",
        PYTHONUNBUFFERED="1",
        REFLEX_WEB_WORKDIR=str(ROOT / "var" / "benchmark-web"),  # kept between runs (node_modules)
        REFLEX_STATES_WORKDIR=str(base / "states"),
        REFLEX_UPLOADED_FILES_DIR=str(base / "uploaded_files"),
    )
    return env


@contextmanager
def serving(env: dict[str, str], base: Path, port: int, cwd: Path = ROOT):
    """The app in `cwd` built and served (`reflex run --env prod`, one port) until the block ends;
    yields its open log file (base/server.log). Exits with the log's end if it does not start."""
    url = f"http://localhost:{port}"
    log = (base / "server.log").open("w")
    print(f"building and serving the app on {url} (log: {base / 'server.log'}) ...")
    server = subprocess.Popen(
        [sys.executable, "-m", "reflex", "run", "--env", "prod", "--frontend-port", str(port), "--backend-port", str(port)],
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/ping", timeout=2).status_code == 200 and httpx.get(f"{url}/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        else:
            log.flush()
            raise SystemExit(f"the app did not start; the end of its log:\n{(base / 'server.log').read_text()[-3000:]}")
        yield log
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(server.pid, sig)
                server.wait(timeout=20)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue
        log.close()


def _gig_input(title: str):
    from microgigs.services.gigs import GigInput

    return GigInput(
        title=title,
        summary="A gig for the live push benchmark.",
        scope="Hand in anything; the manager approves it.",
        category="Data analysis",
        estimated_hours=5,
        due_date=date.today() + timedelta(days=30),
        application_deadline=date.today() + timedelta(days=10),
        pay_cents=20_000,
    )


def seed(data_dir: Path, n: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """N funded engagements of manager1 with a first version waiting, each (id, student email),
    and N open gigs of manager1 nobody applied to yet, each (id, title)."""
    from sqlmodel import Session, select

    from microgigs.db import make_engine
    from microgigs.models import User
    from microgigs.services import accounts, applications, engagements, gigs
    from microgigs.services.applications import ApplicationInput

    engine = make_engine(f"sqlite:///{data_dir / 'microgigs.db'}")
    out, open_gigs = [], []
    with Session(engine, expire_on_commit=False) as session:
        manager = session.exec(select(User).where(User.email == "manager1@demo.microgigs.test")).one()
        tag = uuid.uuid4().hex[:6]
        student = accounts.sign_up(
            session, accounts.SignUp(email=f"bench.{tag}@students.example.edu", password=DEMO_PASSWORD, display_name=f"Bench Student {tag}")
        )
        student.email_verified = True  # as if they followed the confirmation mail
        for i in range(n):
            gig = gigs.create_gig(session, manager, _gig_input(f"Benchmark gig {tag} {i}"))
            application = applications.apply(session, student, gig.id, ApplicationInput(note="Benchmark application note."))
            engagement = applications.accept(session, manager, application.id)
            engagements.submit_deliverable(session, student, engagement.id, "The benchmark deliverable, described at length.")
            out.append((engagement.id, student.email))
            title = f"Benchmark open gig {tag} {i}"
            open_gigs.append((gigs.create_gig(session, manager, _gig_input(title)).id, title))
        session.commit()
    engine.dispose()
    return out, open_gigs


class IdleSessions:
    """Raw socket.io clients on Reflex's /_event websocket: connected, token-linked, idle."""

    def __init__(self, url: str, count: int):
        self.url = url.replace("http://", "ws://") + "/_event/?EIO=4&transport=websocket&token="
        self.count = count
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.connected = 0
        self._lock = threading.Lock()

    def _run(self) -> None:
        import simple_websocket

        try:
            ws = simple_websocket.Client.connect(self.url + str(uuid.uuid4()))
            ws.receive(timeout=10)  # engine.io open
            # Join Reflex's event namespace, as the frontend does: the token is linked to a session
            # state on the server, so each idle tab costs what a real one costs.
            ws.send("40/_event,")
            ws.receive(timeout=10)
            with self._lock:
                self.connected += 1
            while not self.stop.is_set():
                message = ws.receive(timeout=1)
                if message == "2":
                    ws.send("3")  # answer the server's ping, or it drops us
            ws.close()
        except Exception as error:
            print(f"idle session failed: {error!r}", file=sys.stderr)

    def __enter__(self):
        for _ in range(self.count):
            t = threading.Thread(target=self._run, daemon=True)
            t.start()
            self.threads.append(t)
        deadline = time.monotonic() + 60
        while self.connected < self.count and time.monotonic() < deadline:
            time.sleep(0.2)
        print(f"  {self.connected} idle sessions connected")
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=5)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


# In the student's page, once armed (just before the click): when the frame that says "paid"
# arrives, when the DOM first shows the paid state (a MutationObserver), and the start of the
# next animation frame after that (the frame that paints it), on the page's clock (Date.now(),
# the same wall clock as the script's time.time()).
PAGE_PROBE = """
(() => {
  const Native = window.WebSocket;
  window.__probe = {armed: false, frame: 0, dom: 0};
  const shown = () => {
    const probe = window.__probe;
    probe.dom = performance.now();
    probe.domEpoch = Date.now();
    requestAnimationFrame(() => { probe.paintEpoch = Date.now(); });
  };
  const watch = () => {
    const seen = () => document.body && document.body.innerText.includes('paid to');
    if (seen()) { shown(); return; }
    const observer = new MutationObserver(() => {
      if (seen()) { shown(); observer.disconnect(); }
    });
    observer.observe(document.body, {subtree: true, childList: true, characterData: true});
  };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const probe = window.__probe;
        if (probe.armed && probe.frame === 0 && typeof event.data === 'string' && event.data.includes('"paid"')) {
          window.__probe.frame = performance.now(); window.__probe.frameEpoch = Date.now();
          watch();
        }
      });
    }
  };
})();
"""


def _message_form_answered(frame) -> bool:
    """The delta answering an empty message: the message form's errors (set anew by each event)."""
    text = str(frame)
    return "message_form" in text and "errors" in text


def measure(browser, url: str, engagements: list[tuple[int, str]], open_gigs: list[tuple[int, str]]) -> dict[str, list[float]]:
    """Each figure's samples in ms, by name (see `run_cases` for the rows they make)."""
    # The probes are polled with wait_for_function, which evaluates a string in the page: the
    # app's Content-Security-Policy refuses that (it has no 'unsafe-eval'), so the harness bypasses it.
    manager = browser.new_context(base_url=url, bypass_csp=True).new_page()
    student_context = browser.new_context(base_url=url, bypass_csp=True)
    student_context.add_init_script(PAGE_PROBE)
    student = student_context.new_page()
    sockets: dict[str, list] = {"manager": [], "student": []}
    manager.on("websocket", lambda ws: sockets["manager"].append(ws))
    student.on("websocket", lambda ws: sockets["student"].append(ws))
    for page, email in ((manager, "manager1@demo.microgigs.test"), (student, engagements[0][1])):
        page.goto("/login")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/dashboard"))
    pushed, drawn, bare, own, in_page, page_frame, page_painted = [], [], [], [], [], [], []
    message_pushed, message_drawn = [], []
    for engagement_id, _ in engagements:
        for page in (manager, student):
            page.goto(f"/engagements/{engagement_id}")
            page.get_by_role("heading", name="Submissions").wait_for()
        approve = manager.get_by_role("button", name="Approve and pay")
        approve.wait_for()
        manager_ws, student_ws = sockets["manager"][-1], sockets["student"][-1]
        # Baseline: a bare event round trip on the manager's own socket (an empty message:
        # one event, the actor lookup and page read, one delta back).
        for _ in range(3):
            with manager_ws.expect_event("framereceived", predicate=_message_form_answered, timeout=15_000):
                t0 = time.perf_counter()
                manager.get_by_role("button", name="Send message").click()
            bare.append((time.perf_counter() - t0) * 1000)
        # A message: the student sends one; the manager's open page gets it pushed.
        text = f"Benchmark message {engagement_id} {uuid.uuid4().hex[:8]}"
        student.get_by_label("Your message").fill(text)
        with manager_ws.expect_event("framereceived", predicate=lambda f: text in str(f), timeout=15_000):
            t0 = time.perf_counter()
            student.get_by_role("button", name="Send message").click()
        message_pushed.append((time.perf_counter() - t0) * 1000)
        manager.wait_for_function("(text) => document.body.innerText.includes(text)", arg=text, polling="raf", timeout=15_000)
        message_drawn.append((time.perf_counter() - t0) * 1000)
        student.evaluate("window.__probe = {armed: true, frame: 0, dom: 0}")
        # The push: the manager approves; the student's socket gets the delta, the page draws it.
        # The manager's own approve round trip is timed too: the push can't beat the event that causes it.
        with student_ws.expect_event("framereceived", predicate=lambda f: '"paid"' in str(f), timeout=15_000):
            with manager_ws.expect_event("framereceived", predicate=lambda f: '"paid"' in str(f), timeout=15_000):
                epoch0 = time.time() * 1000  # the page's clock (Date.now()) is this wall clock
                t0 = time.perf_counter()
                approve.click()
            own.append((time.perf_counter() - t0) * 1000)
        pushed.append((time.perf_counter() - t0) * 1000)
        student.wait_for_function("document.body.innerText.includes('paid to')", polling="raf", timeout=15_000)
        drawn.append((time.perf_counter() - t0) * 1000)
        student.wait_for_function("window.__probe.paintEpoch > 0", timeout=15_000)
        frame, dom, frame_epoch, paint_epoch = student.evaluate(
            "[window.__probe.frame, window.__probe.dom, window.__probe.frameEpoch, window.__probe.paintEpoch]"
        )
        in_page.append(dom - frame)
        page_frame.append(frame_epoch - epoch0)
        page_painted.append(paint_epoch - epoch0)
    applied_pushed, applied_drawn = measure_applying(manager, student, sockets, open_gigs)
    manager.context.close()
    student.context.close()
    return {
        "bare": bare,
        "own": own,
        "pushed": pushed,
        "drawn": drawn,
        "in_page": in_page,
        "page_frame": page_frame,
        "page_painted": page_painted,
        "message_pushed": message_pushed,
        "message_drawn": message_drawn,
        "applied_pushed": applied_pushed,
        "applied_drawn": applied_drawn,
    }


def measure_applying(manager, student, sockets, open_gigs: list[tuple[int, str]]) -> tuple[list[float], list[float]]:
    """The student applies to a gig whose applicant list is open on the manager's page: ms from
    the click to the manager's socket getting the new applicant, and to the list drawing them
    (as "Applicant 1": gigs are reviewed blind by default)."""
    pushed, drawn = [], []
    for gig_id, title in open_gigs:
        for page, path in ((manager, f"/manage/gigs/{gig_id}"), (student, f"/gigs/{gig_id}")):
            page.goto(path)
            page.get_by_role("heading", level=1, name=title).wait_for()
        apply = student.get_by_role("button", name="Apply", exact=True)
        apply.wait_for()
        manager_ws = sockets["manager"][-1]
        student.get_by_label("Why you fit this gig").fill("I charted survey results for a student newspaper last year.")
        with manager_ws.expect_event("framereceived", predicate=lambda f: "Applicant 1" in str(f), timeout=15_000):
            t0 = time.perf_counter()
            apply.click()
        pushed.append((time.perf_counter() - t0) * 1000)
        manager.get_by_role("heading", level=2, name="Applicant 1").wait_for()
        drawn.append((time.perf_counter() - t0) * 1000)
    return pushed, drawn


def phase_table(log_text: str) -> dict[str, tuple[list[float], list[float]]]:
    """The server's `timing phase=... wall_ms=... cpu_ms=...` lines, by phase: (wall, cpu)."""
    phases: dict[str, tuple[list[float], list[float]]] = {}
    for match in re.finditer(r"^timing phase=(\S+) wall_ms=([\d.]+)(?: cpu_ms=([\d.]+))?", log_text, re.MULTILINE):
        wall, cpu = phases.setdefault(match[1], ([], []))
        wall.append(float(match[2]))
        if match[3] is not None:
            cpu.append(float(match[3]))
    return phases


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--idle", type=int, default=200)
    parser.add_argument("--timings", action="store_true", help="also print server-side phases and in-page draw time")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="microgigs-bench-"))
    (base / "data").mkdir()
    port = free_port()
    url = f"http://localhost:{port}"
    env = server_env(base, url)
    if args.timings:
        env["MICROGIGS_TIMINGS"] = "1"
    reflex = [sys.executable, "-m", "reflex"]
    subprocess.run([*reflex, "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [sys.executable, "-c", "import sys; from microgigs.cli import main; sys.exit(main())", "seed-demo"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    os.environ["MICROGIGS_DATA_DIR"] = str(base / "data")
    engagements, open_gigs = seed(base / "data", args.samples * 2)
    try:
        run_cases(args, env, base, port, engagements, open_gigs)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def run_cases(
    args,
    env: dict[str, str],
    base: Path,
    port: int,
    engagements: list[tuple[int, str]],
    open_gigs: list[tuple[int, str]],
) -> None:
    from playwright.sync_api import sync_playwright

    url = f"http://localhost:{port}"
    with serving(env, base, port) as log:
        chromium = os.environ.get("MICROGIGS_CHROMIUM") or "/usr/bin/chromium"
        rows = []
        server_phases = []
        log_path = base / "server.log"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            print("case 1: no other sessions")
            log.flush()
            start = log_path.stat().st_size
            rows.append(("0 idle sessions", measure(browser, url, engagements[: args.samples], open_gigs[: args.samples])))
            log.flush()
            server_phases.append(("0 idle sessions", log_path.read_text()[start:]))
            print(f"case 2: {args.idle} idle connected sessions")
            with IdleSessions(url, args.idle):
                start = log_path.stat().st_size
                rows.append(
                    (
                        f"{args.idle} idle sessions",
                        measure(browser, url, engagements[args.samples :], open_gigs[args.samples :]),
                    )
                )
                server_phases.append((f"{args.idle} idle sessions", log_path.read_text()[start:]))
            browser.close()
        if args.timings:
            print()
            print(f"{'case':<20} {'server-side phase':<34} {'n':>4} {'wall p50':>9} {'wall p95':>9} {'cpu p50':>8} {'cpu p95':>8}")
            for name, text in server_phases:
                for phase, (wall, cpu) in phase_table(text).items():
                    cpu_cols = f"{statistics.median(cpu):>8.1f} {pct(cpu, 95):>8.1f}" if cpu else f"{'':>8} {'':>8}"
                    print(f"{name:<20} {phase:<34} {len(wall):>4} {statistics.median(wall):>9.1f} {pct(wall, 95):>9.1f} {cpu_cols}")
            for name, figures in rows:
                in_page = figures["in_page"]
                print(
                    f"{name:<20} {'in page: frame -> paid in DOM':<34} {len(in_page):>4} {statistics.median(in_page):>9.1f} {pct(in_page, 95):>9.1f}"
                )
        print()
        print(f"{'case':<20} {'what':<32} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'p95 / bare p95':>15}")
        for name, figures in rows:
            bare = figures["bare"]
            print(
                f"{name:<20} {'bare event round trip':<32} {len(bare):>4} {statistics.median(bare):>8.1f} {pct(bare, 95):>8.1f} {'1.00':>15}"
            )
            for what, values in (
                ("approve -> manager's own socket", figures["own"]),
                ("approve -> student socket", figures["pushed"]),
                ("approve -> student page drawn", figures["drawn"]),
                # The same two moments on the student page's own clock, stamped inside the page
                # (the rows above are when Playwright notices them, after the manager's frame).
                ("  page clock: frame arrived", figures["page_frame"]),
                ("  page clock: painted", figures["page_painted"]),
                ("message -> manager socket", figures["message_pushed"]),
                ("message -> manager page drawn", figures["message_drawn"]),
                ("apply -> manager socket", figures["applied_pushed"]),
                ("apply -> applicant list drawn", figures["applied_drawn"]),
            ):
                print(
                    f"{name:<20} {what:<32} {len(values):>4} {statistics.median(values):>8.1f} {pct(values, 95):>8.1f} {pct(values, 95) / pct(bare, 95):>15.2f}"
                )


if __name__ == "__main__":
    main()

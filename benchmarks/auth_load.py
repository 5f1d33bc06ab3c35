"""Sign-ups and password resets at a steady rate: does another tab still get quick answers?

Serves the real app (`reflex run --env prod`, one worker, SQLite) on a free port with its own data
dir and a real SMTP server on loopback (aiosmtpd, in this process) as its mailbox. A Chromium tab
on the sign-up page times a bare Reflex event round trip (choosing "hiring for an employer": one
event, one small delta back), first with nothing else going on (the baseline, measured in the same
run), then while other clients, each from its own address behind a trusted proxy, keep arriving:
- sign-ups (POST /auth/signup: argon2 hashing, an account, a confirmation mail), and
- password resets: a request (POST /auth/forgot-password: a mail), and, once the mail with the link
  has arrived, the new password (POST /auth/reset-password: argon2 again).
Argon2 (64 MiB) and SMTP must never run on the event loop that carries every open tab.

    .venv/bin/python benchmarks/auth_load.py [--seconds 30] [--signups 3] [--resets 2]

Prints p50/p95 of the tab's round trip quiet and under load, their ratio, and what the load did
(requests per second, their own p50/p95, mails delivered). The target: under load, the round
trip's p95 stays within 2x of the quiet one.
"""

import argparse
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.live_push import free_port, pct, server_env, serving  # noqa: E402
from tests.smtp_server import mail_parts, smtp_settings, start_smtp_server  # noqa: E402

PASSWORD = "a long enough passphrase"
STUDENTS = 400  # accounts whose passwords the resets change


def seed_students(data_dir: Path) -> list[str]:
    """Confirmed student accounts (cheap hashing here: only their existence matters)."""
    from argon2 import PasswordHasher
    from sqlmodel import Session

    from microgigs.db import make_engine
    from microgigs.services import accounts

    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    engine = make_engine(f"sqlite:///{data_dir / 'microgigs.db'}")
    emails = []
    with Session(engine) as session:
        for n in range(STUDENTS):
            email = f"reset{n}@students.example.edu"
            user = accounts.sign_up(session, accounts.SignUp(email=email, password=PASSWORD, display_name=f"Reset Student {n}"))
            user.email_verified = True
            session.add(user)
            emails.append(email)
        session.commit()
    engine.dispose()
    return emails


def round_trips(page, ws, samples: int, pause: float) -> list[float]:
    """Click between the two sign-up roles; time each click until its delta frame arrives (ms)."""
    out = []
    for _ in range(samples):
        # The role not chosen now: choosing the chosen one again sends nothing.
        employer = page.get_by_role("radio", name="hiring for an employer")
        other = page.get_by_role("radio", name="a student") if employer.is_checked() else employer
        with ws.expect_event("framereceived", predicate=lambda f: "delta" in str(f), timeout=30_000):
            t0 = time.perf_counter()
            other.check()
        out.append((time.perf_counter() - t0) * 1000)
        time.sleep(pause)
    return out


class Load:
    """Sign-ups and resets at a steady rate, each request in its own thread, each from its own
    client address (X-Forwarded-For from the trusted proxy: the benchmark itself)."""

    def __init__(self, url: str, inbox, students: list[str], signups_per_s: float, resets_per_s: float):
        self.url, self.inbox, self.students = url, inbox, list(students)
        self.signups_per_s, self.resets_per_s = signups_per_s, resets_per_s
        self.stop = threading.Event()
        self.latency: dict[str, list[float]] = {"sign-up": [], "reset request": [], "new password": []}
        self.status: dict[str, dict[int, int]] = {k: {} for k in self.latency}
        self.addresses = (f"10.{a}.{b}.{c}" for a in range(1, 200) for b in range(256) for c in range(1, 255))
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=64)

    def _post(self, what: str, path: str, data: dict) -> None:
        with self.lock:
            address = next(self.addresses)
        headers = {"origin": self.url, "x-forwarded-for": address}
        t0 = time.perf_counter()
        try:
            response = httpx.post(self.url + path, data=data, headers=headers, timeout=60, follow_redirects=False)
            code = response.status_code
        except httpx.HTTPError:
            code = 0
        with self.lock:
            self.latency[what].append((time.perf_counter() - t0) * 1000)
            self.status[what][code] = self.status[what].get(code, 0) + 1

    def _reset_when_mailed(self, email: str) -> None:
        """Wait for the reset mail (as its owner would), then choose the new password."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.stop.is_set():
            for message in self.inbox.to(email):
                match = re.search(r"/reset-password\?token=([\w-]+)", mail_parts(message)["text/plain"])
                if match:
                    self._post("new password", "/auth/reset-password", {"token": match.group(1), "password": "a brand new passphrase"})
                    return
            time.sleep(0.1)

    def _reset(self, email: str) -> None:
        self._post("reset request", "/auth/forgot-password", {"email": email})
        self._reset_when_mailed(email)

    def run(self) -> None:
        counter = itertools.count()
        next_signup = next_reset = time.monotonic()
        while not self.stop.is_set():
            now = time.monotonic()
            if self.signups_per_s and now >= next_signup:
                n = next(counter)
                data = {
                    "role": "student",
                    "display_name": f"Load {n}",
                    "email": f"load{n}-{os.getpid()}@students.example.edu",
                    "password": PASSWORD,
                }
                self.pool.submit(self._post, "sign-up", "/auth/signup", data)
                next_signup += 1 / self.signups_per_s
            if self.resets_per_s and now >= next_reset and self.students:
                self.pool.submit(self._reset, self.students.pop())
                next_reset += 1 / self.resets_per_s
            time.sleep(0.005)

    def __enter__(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self.pool.shutdown(wait=True, cancel_futures=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0, help="how long each phase runs")
    parser.add_argument("--signups", type=float, default=3.0, help="sign-ups per second under load")
    parser.add_argument("--resets", type=float, default=2.0, help="password resets per second under load")
    args = parser.parse_args()

    inbox, smtp = start_smtp_server()
    base = Path(tempfile.mkdtemp(prefix="microgigs-authload-"))
    (base / "data").mkdir()
    port = free_port()
    url = f"http://localhost:{port}"
    env = {
        **server_env(base, url),
        **smtp_settings(inbox.port),
        "MICROGIGS_DEMO_MODE": "false",
        "MICROGIGS_TRUSTED_PROXIES": "127.0.0.1,::1",
    }
    reflex = [sys.executable, "-m", "reflex"]
    subprocess.run([*reflex, "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    students = seed_students(base / "data")
    try:
        with serving(env, base, port):
            run(args, url, inbox, students)
    finally:
        smtp.stop()
        shutil.rmtree(base, ignore_errors=True)


def run(args, url: str, inbox, students: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    samples = max(10, int(args.seconds / 0.25))
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("MICROGIGS_CHROMIUM") or "/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        page = browser.new_context(base_url=url).new_page()
        with page.expect_websocket() as opened:
            page.goto("/signup")
        ws = opened.value
        page.get_by_role("radio", name="a student").wait_for()
        round_trips(page, ws, 5, 0.1)  # warm up
        print(f"quiet: {samples} round trips ...")
        quiet = round_trips(page, ws, samples, 0.25)
        print(f"under load: {args.signups:g} sign-ups/s and {args.resets:g} resets/s for about {args.seconds:g} s ...")
        mails_before = len(inbox.messages)
        started = time.monotonic()
        with Load(url, inbox, students, args.signups, args.resets) as load:
            time.sleep(2)  # let the load reach its rate
            loaded = round_trips(page, ws, samples, 0.25)
        elapsed = time.monotonic() - started
        browser.close()
    mails = len(inbox.messages) - mails_before
    print()
    print(f"{'tab event round trip':<34} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'p95 / quiet p95':>16}")
    print(f"{'quiet (baseline)':<34} {len(quiet):>4} {statistics.median(quiet):>8.1f} {pct(quiet, 95):>8.1f} {'1.00':>16}")
    print(
        f"{'during sign-ups and resets':<34} {len(loaded):>4} {statistics.median(loaded):>8.1f} {pct(loaded, 95):>8.1f} {pct(loaded, 95) / pct(quiet, 95):>16.2f}"
    )
    print()
    print(f"{'the load':<34} {'n':>4} {'per s':>8} {'p50 ms':>8} {'p95 ms':>8}  statuses")
    for what, values in load.latency.items():
        if values:
            print(
                f"{what:<34} {len(values):>4} {len(values) / elapsed:>8.2f} {statistics.median(values):>8.1f} {pct(values, 95):>8.1f}  {load.status[what]}"
            )
    print(f"{'mails delivered to the mailbox':<34} {mails:>4} {mails / elapsed:>8.2f}")


if __name__ == "__main__":
    main()

"""The board's first page in a real browser: serve the production build over a database of
100,000 gigs, open board URLs in Debian's Chromium (Playwright), and time from the start of
the navigation until the first page of results is on screen: the count and every card of the
page drawn. Two moments per visit: the first page on screen (from the HTML the server sends
with it, http/board_first_page.py, or from the app, whichever comes first) and the app's own
first page drawn (interactive: search form, save buttons, client-side links).

Prints p50/p95 for a cold visit (a new browser context: nothing cached) and a warm one (the
same tab loads another board URL), on the page's own clock (navigation start to the painted
frame, as a user would see it), and on the harness's for the first moment (from Playwright's
goto call until it learns the page is drawn, which adds its own round trips).

The baseline, measured in the same rounds: a cold visit to the board's built HTML with its
scripts taken out (header, heading and the same stylesheets, from a plain file server): what a
new browser context costs on this machine before any of the app's code runs. This machine's
speed varies from minute to minute (a shared host), so compare the app with that floor.
Figures only; nothing is asserted.

    .venv/bin/python benchmarks/board_browser.py [--gigs 100000] [--rounds 10]

Needs what `make test` installs (bun in .tools, /usr/bin/chromium). The first run builds
the frontend (a few minutes); the build is kept with the browser tests' in .pytest_cache.
"""

import argparse
import functools
import http.server
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import httpx  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM_ARGS, _chromium_path, _free_port, _server_env, _stop  # noqa: E402

URLS = ["/", "/?q=survey", "/?sort=pay", "/?q=dashboard+python&sort=match", "/?category=Design&sort=deadline", "/?q=acme"]


# A first page is drawn when its count and all its cards are visible: anywhere on the page (the
# HTML's copy or the app's), or inside <main> (the app's own).
def _drawn(scope: str) -> str:
    return f"""() => {{
    const shown = (e) => e.getBoundingClientRect().height > 0;
    const count = [...document.querySelectorAll('{scope}[role=status]')].some(e => shown(e) && /open gigs?/.test(e.textContent));
    return count && [...document.querySelectorAll('{scope}article')].filter(shown).length >= 20;
}}"""


DRAWN, APP_DRAWN = _drawn(""), _drawn("main ")


def seed_database(data_dir: Path, env: dict[str, str], n_gigs: int) -> None:
    """The schema by alembic (as `make run` does), then `microgigs seed-load`: the server-side
    benchmark's data set (same gigs, same words)."""
    subprocess.run([sys.executable, "-m", "reflex", "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    load = [sys.executable, "-m", "microgigs.cli", "seed-load", "--gigs", str(n_gigs), "--students", str(n_gigs // 5)]
    subprocess.run(load, cwd=ROOT, env=env, check=True, capture_output=True)


def serve(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"reflex run exited; see {log_path}")
        try:
            if httpx.get(f"{url}/ping", timeout=2).status_code == 200 and httpx.get(f"{url}/", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(1)
    _stop(server)
    raise SystemExit(f"the app did not start within 15 minutes; see {log_path}")


# Runs in each page before the app's scripts: checks both once per animation frame; the first
# frame where one holds is painted before the next frame starts, so the time at that next frame
# (page clock, from the start of the navigation) is when it was on screen.
WATCH_DRAWN = f"""(() => {{
    const watch = (drawn, mark) => {{
        const check = () => {{
            if (!drawn()) return requestAnimationFrame(check);
            requestAnimationFrame(() => {{ window[mark] = performance.now(); }});
        }};
        requestAnimationFrame(check);
    }};
    watch({DRAWN}, "__boardDrawnAt");
    watch({APP_DRAWN}, "__appDrawnAt");
}})();"""


def time_visit(page, url: str) -> tuple[float, float, float]:
    """(first page on screen, app's first page drawn: page clock; first page: harness clock)
    in ms for one visit; the context must have WATCH_DRAWN."""
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__boardDrawnAt !== undefined", timeout=60_000, polling="raf")
    harness = (time.perf_counter() - start) * 1000
    page.wait_for_function("() => window.__appDrawnAt !== undefined", timeout=60_000, polling="raf")
    return page.evaluate("window.__boardDrawnAt"), page.evaluate("window.__appDrawnAt"), harness


# The shell page's frame after `load` (stylesheets applied, body parsed) is painted by the next.
WATCH_SHELL = """addEventListener("load", () => requestAnimationFrame(() => requestAnimationFrame(() => {
    window.__shellPaintedAt = performance.now();
})));"""


class _ShellServer(http.server.SimpleHTTPRequestHandler):
    """The built client's files, and at /shell the board's HTML without scripts."""

    shell = b""

    def do_GET(self):
        if self.path != "/shell":
            return super().do_GET()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.shell)))
        self.end_headers()
        self.wfile.write(self.shell)

    def log_message(self, *args):
        pass


def serve_shell(web_dir: Path) -> http.server.ThreadingHTTPServer:
    client = web_dir / "build" / "client"
    html = (client / "index.html").read_text()
    html = re.sub(r"<script\b.*?</script>", "", html, flags=re.DOTALL)
    _ShellServer.shell = re.sub(r'<link rel="modulepreload"[^>]*>', "", html).encode()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_ShellServer, directory=str(client)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def time_shell(page, url: str) -> float:
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.__shellPaintedAt !== undefined", timeout=60_000, polling="raf")
    return page.evaluate("window.__shellPaintedAt")


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=10, help="rounds over the board URLs")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="microgigs-board-browser-") as tmp:
        base = Path(tmp)
        data_dir = base / "data"
        data_dir.mkdir()
        port = _free_port()
        web_dir = ROOT / ".pytest_cache" / "d" / "e2e-web"
        web_dir.mkdir(parents=True, exist_ok=True)
        env = _server_env(base, data_dir, web_dir, f"http://localhost:{port}")
        started = time.perf_counter()
        seed_database(data_dir, env, args.gigs)
        print(f"seeded {args.gigs:,} gigs in {time.perf_counter() - started:.0f} s; building and starting the app…")
        server = serve(env, port, base / "server.log")
        shell_server = serve_shell(web_dir)
        shell_url = f"http://127.0.0.1:{shell_server.server_address[1]}/shell"
        try:
            cold, warm, floor = [], [], []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=_chromium_path(), args=CHROMIUM_ARGS)
                # bypass_csp: the probes are polled with wait_for_function, which evaluates a string in
                # the page; the app's Content-Security-Policy (no 'unsafe-eval') would refuse it.
                phone = {"viewport": {"width": 375, "height": 812}, "base_url": f"http://localhost:{port}", "bypass_csp": True}

                def new_page():
                    context = browser.new_context(**phone)
                    context.add_init_script(WATCH_DRAWN)
                    return context.new_page()

                def shell_visit() -> float:
                    context = browser.new_context(**phone)
                    context.add_init_script(WATCH_SHELL)
                    painted = time_shell(context.new_page(), shell_url)
                    context.close()
                    return painted

                warmup = new_page()
                for url in URLS:  # the server's first queries and the browser's first compile
                    time_visit(warmup, url)
                warmup.context.close()
                shell_visit()
                for _ in range(args.rounds):
                    for url in URLS:
                        page = new_page()
                        cold.append(time_visit(page, url))
                        # Same tab, another board URL: the app's code is cached, the data is not.
                        warm.append(time_visit(page, url + ("&" if "?" in url else "?") + "page=2"))
                        page.context.close()
                        floor.append(shell_visit())
                browser.close()
        finally:
            shell_server.shutdown()
            _stop(server)
    print(f"board first page in Chromium at 375 px, {args.gigs:,} gigs, loopback, {len(URLS)} URLs x {args.rounds}:")
    print("                        first page on screen     app's own page drawn      harness (goto -> seen on screen)")
    for name, visits in (("cold (new context)", cold), ("warm (same tab)   ", warm)):
        shown, app, harness = ([v[i] for v in visits] for i in range(3))
        print(
            f"  {name} : p50 {pct(shown, 50):5.0f}  p95 {pct(shown, 95):5.0f} ms   p50 {pct(app, 50):5.0f}  p95 {pct(app, 95):5.0f} ms"
            f"   p50 {pct(harness, 50):5.0f}  p95 {pct(harness, 95):5.0f} ms   ({len(visits)} visits)"
        )
    print(
        f"  baseline: cold visit to the board's HTML without scripts: p50 {pct(floor, 50):5.0f} ms  p95 {pct(floor, 95):5.0f} ms   ({len(floor)} visits)"
    )
    for what, i in (("first page on screen", 0), ("app's own page drawn", 1)):
        board = [v[i] for v in cold]
        print(
            f"  cold {what} / baseline: p50 {pct(board, 50) / pct(floor, 50):.2f}x  p95 {pct(board, 95) / pct(floor, 95):.2f}x;"
            f" adds p50 {pct(board, 50) - pct(floor, 50):.0f} ms"
        )
    print(f"  load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

"""Browser fixtures: the real app served once per test session, Chromium, one context per person.

- `app_server`: builds the frontend and serves app + API on one free port (`reflex run --env prod`)
  against a fresh data dir that holds the demo data (`microgigs seed-demo`). `.url`, `.data_dir`.
  The ONLY production build of a test session: `swapped_app(app_server, ...)` serves that same
  build with other settings (e.g. the Stripe gateway) on the same port, then puts it back.
- `browser`: Debian's Chromium through Playwright (MICROGIGS_CHROMIUM may name another binary).
- `new_context(viewport=...)`: a new BrowserContext = one person with their own cookies.
- `page`: a page in a fresh context, for tests with only one person.
- `assert_accessible(page)`: runs axe-core on the page and fails listing every violation.
- `open_menu(page)`: below 768 px, opens the header's "Menu" dialog and returns it.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.processes import stop_process_group
from tests.smtp_server import Inbox, mail_parts, smtp_settings, start_smtp_server

ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
START_TIMEOUT = float(os.environ.get("MICROGIGS_E2E_START_TIMEOUT", "240"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]

# A first render waits for the websocket and page data; 5 s (Playwright's default) is tight on CI.
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@dataclass
class AppServer:
    url: str
    data_dir: Path
    log_path: Path
    port: int = 0
    env: dict[str, str] = field(default_factory=dict, repr=False)
    process: subprocess.Popen | None = field(default=None, repr=False)
    # The mailbox: a real SMTP server on loopback that the app's mail worker delivers to.
    inbox: Inbox | None = field(default=None, repr=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("", 0))
        return s.getsockname()[1]


def _log_tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _server_env(base: Path, data_dir: Path, web_dir: Path, url: str) -> dict[str, str]:
    # Our settings come only from the values below (defaults otherwise), never from the shell.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROGIGS_")}
    # bun from .tools (Reflex must not download its own) and this venv's scripts first.
    env["PATH"] = os.pathsep.join([str(ROOT / ".tools/node_modules/.bin"), str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(
        MICROGIGS_DATA_DIR=str(data_dir),
        MICROGIGS_PUBLIC_URL=url,
        # The browser tests sign in as the demo campus's people (seeded by `microgigs seed-demo`).
        MICROGIGS_DEMO_MODE="true",
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_USE_NPM="0",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="0",
        PYTHONUNBUFFERED="1",
        # Reflex's own work dirs, apart from the checkout's, so a `make run` beside us is unharmed
        # (a prod start rebuilds its web dir and wipes its states dir).
        REFLEX_WEB_WORKDIR=str(web_dir),
        REFLEX_STATES_WORKDIR=str(base / "states"),
        REFLEX_UPLOADED_FILES_DIR=str(base / "uploaded_files"),
    )
    return env


def _run_step(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail(f"{what} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}", pytrace=False)


@pytest.fixture(scope="session")
def app_extra_env(request):
    """Extra MICROGIGS_* settings for the served app, given its URL: a campus OpenID provider
    (real oidc-provider on loopback, tests/oidc_provider) whose client redirects to the app."""
    from contextlib import ExitStack

    from tests.oidc_provider.harness import running_provider

    stack = ExitStack()
    request.addfinalizer(stack.close)

    def env_for(url: str) -> dict[str, str]:
        provider = stack.enter_context(running_provider([f"{url}/auth/oidc/campus/callback"]))
        return {"MICROGIGS_OIDC_PROVIDERS": provider.settings_json()}

    return env_for


@pytest.fixture(scope="session")
def mailbox():
    """One loopback SMTP server for the whole test session; every served app sends mail there."""
    inbox, controller = start_smtp_server()
    yield inbox
    controller.stop()


@pytest.fixture(scope="session")
def app_server(request, tmp_path_factory, mailbox):
    extra_env = request.getfixturevalue("app_extra_env")

    def with_mail(url: str) -> dict[str, str]:
        return {**smtp_settings(mailbox.port), **extra_env(url)}

    with running_app(request, tmp_path_factory, "e2e-web", with_mail) as server:
        server.inbox = mailbox
        yield server


@contextmanager
def running_app(request, tmp_path_factory, web_cache: str, extra_env, serve_only_env=None):
    """Migrate, seed the demo data and serve the app; `serve_only_env(url)` adds settings the
    server gets but the demo seeding does not (the seed always runs on demo payments)."""
    base = tmp_path_factory.mktemp("app")
    data_dir, log_path = base / "data", base / "server.log"
    data_dir.mkdir()
    # The frontend build dir is kept between sessions (in .pytest_cache) so its node_modules stay.
    cache = getattr(request.config, "cache", None)
    web_dir = cache.mkdir(web_cache) if cache else base / "web"
    port = _free_port()
    url = f"http://localhost:{port}"
    env = _server_env(base, data_dir, web_dir, url)
    env.update(extra_env(url))
    if shutil.which("bun", path=env["PATH"]) is None:
        pytest.fail("bun is missing: run `make test` (it installs bun into .tools).", pytrace=False)

    reflex = [sys.executable, "-m", "reflex"]
    _migrate_and_seed(env)
    if serve_only_env is not None:
        env.update(serve_only_env(url))

    with log_path.open("w") as log:
        # Prod serves the built frontend, the websocket and our routes on this one port.
        server = subprocess.Popen(
            [*reflex, "run", "--env", "prod", "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown stops its workers too
        )
    app = AppServer(url=url, data_dir=data_dir, log_path=log_path, port=port, env=env, process=server)
    try:
        _wait_until_serving(server, url, log_path)
        yield app
    finally:
        stop_process_group(app.process)


def _migrate_and_seed(env: dict[str, str]) -> None:
    _run_step([sys.executable, "-m", "reflex", "db", "migrate"], env, "reflex db migrate")
    # The `microgigs` console script, called through this interpreter so no install step is assumed.
    _run_step(
        [sys.executable, "-c", "import sys; from microgigs.cli import main; sys.exit(main())", "seed-demo"], env, "microgigs seed-demo"
    )


def _serve_built(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    """Serve the frontend already built in env's REFLEX_WEB_WORKDIR (no build: seconds, not minutes)."""
    with log_path.open("a") as log:
        return subprocess.Popen(
            # The same start as `microgigs start --no-build`, on every address like `reflex run`.
            [sys.executable, "-m", "microgigs.operations.serve_built", "0.0.0.0", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@contextmanager
def swapped_app(server: AppServer, tmp_path_factory, serve_only_env):
    """Serve the session's build, on the session's port, against a fresh data dir (migrated,
    demo-seeded) with `serve_only_env(url)` added to its settings; afterwards the session's app
    is served again as it was (its data dir untouched). The built pages name the backend by
    its port, which is why the port stays the same; nothing is built again."""
    base = tmp_path_factory.mktemp("app-swapped")
    data_dir, log_path = base / "data", base / "server.log"
    data_dir.mkdir()
    env = dict(server.env)
    env.update(
        MICROGIGS_DATA_DIR=str(data_dir),
        REFLEX_STATES_WORKDIR=str(base / "states"),
        REFLEX_UPLOADED_FILES_DIR=str(base / "uploaded_files"),
    )
    _migrate_and_seed(env)
    env.update(serve_only_env(server.url))
    stop_process_group(server.process)
    swapped = _serve_built(env, server.port, log_path)
    try:
        _wait_until_serving(swapped, server.url, log_path)
        yield AppServer(
            url=server.url, data_dir=data_dir, log_path=log_path, port=server.port, env=env, process=swapped, inbox=server.inbox
        )
    finally:
        stop_process_group(swapped)
        server.process = _serve_built(server.env, server.port, server.log_path)
        _wait_until_serving(server.process, server.url, server.log_path)


def _wait_until_serving(server: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"`reflex run` exited with {server.returncode}. Server log:\n{_log_tail(log_path)}", pytrace=False)
        try:
            # /ping is Reflex's backend liveness route; / is the built frontend.
            if httpx.get(f"{url}/ping", timeout=2).status_code == 200 and httpx.get(f"{url}/", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    stop_process_group(server)
    pytest.fail(f"The app did not answer on {url} within {START_TIMEOUT:.0f} s. Server log:\n{_log_tail(log_path)}", pytrace=False)


def _chromium_path() -> str:
    path = os.environ.get("MICROGIGS_CHROMIUM") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium"))
    if not path:
        pytest.fail("Chromium not found: install Debian's `chromium` (make test does) or set MICROGIGS_CHROMIUM.", pytrace=False)
    return path


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Every page a test opens reports what its Content-Security-Policy refused (an inline script
# without its hash, an eval, a connection elsewhere...): the listener is in place before any
# script of the page runs.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => window.__microgigsCspViolation(
  `${e.effectiveDirective} refused ${e.blockedURI || 'inline'} on ${location.pathname}${location.search}: ${(e.sample || '').slice(0, 100)}`));
"""


def watch_csp(context) -> list[str]:
    """Record every CSP refusal in this context's pages (the event, or Chromium's console error)."""
    refused: list[str] = []
    context.expose_binding("__microgigsCspViolation", lambda _source, text: refused.append(text))
    context.add_init_script(_REPORT_CSP_VIOLATIONS)
    context.on("console", lambda message: refused.append(f"console: {message.text}") if "Content Security Policy" in message.text else None)
    return refused


@pytest.fixture
def new_context(browser, app_server):
    """Call it once per person: `alice = new_context(); bob = new_context(viewport=PHONE)`.
    A test fails (at teardown) if any page of its contexts met a Content-Security-Policy refusal."""
    contexts = []

    def make(viewport: dict | None = None, **options):
        options.setdefault("base_url", app_server.url)  # another server's URL for tests that start their own
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 800}, **options)
        context.csp_refusals = watch_csp(context)
        contexts.append(context)
        return context

    yield make
    refused = [text for context in contexts for text in context.csp_refusals]
    for context in contexts:
        context.close()
    if refused:
        pytest.fail("The Content-Security-Policy refused:\n" + "\n".join(dict.fromkeys(refused)), pytrace=False)


@pytest.fixture
def page(new_context):
    return new_context().new_page()


_axe = None


def check_accessible(page, context=None, options=None) -> None:
    """Fail with every axe-core violation on the page (rule id, impact, help, offending nodes);
    `options` are axe's run options (e.g. only some rules)."""
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()  # reads the bundled axe.min.js once
    # Every page is drawn inside the layout's <main>: wait for it, so a navigation still in flight
    # is not judged as an empty document.
    page.wait_for_load_state()
    page.locator("main").first.wait_for(state="attached", timeout=15_000)
    extra = {} if options is None else {"options": options}  # else axe-playwright-python's defaults
    violations = _axe.run(page, context=context, **extra).response["violations"]
    if violations:
        lines = []
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']}  [{v['helpUrl']}]")
            for node in v["nodes"]:
                lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
                # axe's own explanation, e.g. the measured contrast and both colours.
                lines += [f"      {line.strip()}" for line in node.get("failureSummary", "").splitlines()[1:3]]
        pytest.fail(f"{len(violations)} accessibility violation(s) on {page.url}:\n" + "\n".join(lines), pytrace=False)


@pytest.fixture
def assert_accessible():
    """The checker as a fixture: `def test_x(page, assert_accessible): ...; assert_accessible(page)`."""
    return check_accessible


def mail_link(app_server: AppServer, to: str, pattern: str, *, nth: int | None = None, timeout: float = 20.0) -> str:
    """The app link matching `pattern` in the mail the app sent to `to`, as the recipient's mailbox
    got it: in the newest mail that has such a link, or in the `nth` one (0 = the first). Waits for
    the app's mail worker to deliver it."""

    def links(messages) -> list[str]:
        mails = [m for m in messages if m["To"] == to]
        return [m.group(0) for m in (re.search(pattern, mail_parts(mail)["text/plain"]) for mail in mails) if m]

    def wanted_link_arrived(messages) -> list[str]:
        found = links(messages)
        return found if found and (nth is None or len(found) > nth) else []

    found = app_server.inbox.wait_for(wanted_link_arrived, timeout)
    if not found:
        subjects = [m["Subject"] for m in app_server.inbox.to(to)]
        pytest.fail(f"no mail to {to} with {pattern} arrived within {timeout:.0f} s (it got: {subjects})", pytrace=False)
    return found[-1] if nth is None else found[nth]


def goto_ready(page, path: str) -> None:
    """Open `path` and wait until the app has answered the page's first event on its websocket
    (Reflex's hydrate): from then on a click reaches a handler. A click in the moment between
    the served HTML and that answer can be lost, and a loaded machine stretches that moment."""
    with page.expect_websocket() as opened:
        page.goto(path)
    opened.value.wait_for_event("framereceived", predicate=lambda frame: "delta" in str(frame), timeout=30_000)


def open_menu(page):
    """On a screen narrower than 768 px: open the header's "Menu" dialog and return it (its links
    are the header's navigation there)."""
    button = page.get_by_role("banner").get_by_role("button", name="Menu")
    dialog = page.get_by_role("dialog", name="Menu")
    # A click that lands before the page is hydrated opens nothing (React has not attached the
    # button's handler yet): press again until the dialog shows, never once it has.
    for _ in range(10):
        if dialog.is_visible():
            return dialog
        button.click()
        try:
            expect(dialog).to_be_visible(timeout=2_000)
            return dialog
        except AssertionError:
            continue
    expect(dialog).to_be_visible()
    return dialog

"""Several workers sharing Redis, for real: two app processes (`reflex run --env prod
--backend-only`, one worker each) behind one SQLite database and one throwaway
`redis-server`. The student's tab holds a websocket on worker A; the manager acts through
worker B; the change must arrive on A's socket without a reload, and the other way round.

Each tab is Chromium's own WebSocket speaking Reflex's protocol (engine.io 4 / socket.io) as
the built frontend does: connect with the context's session cookie, hydrate the page (which
runs its on_load and so subscribes the tab), then send page events and watch the deltas. No
frontend build is needed (a build bakes in one backend port), which keeps this test to the
two backends' start-up time. It needs Debian's redis-server
(`make test` installs it).
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.e2e.app_data import funded_engagement
from tests.processes import free_port, running_redis, stop_process_group

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-password-2026"
START_TIMEOUT = 180
# Seconds: a generous bound for a push to arrive at all (the same as every browser test's expect);
# how fast it arrives is measured in benchmarks/live_push.py, never asserted here.
LIVE = 15.0


def _env(base: Path, data_dir: Path, public_url: str, redis_url: str, name: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROGIGS_", "REFLEX_"))}
    env["PATH"] = os.pathsep.join([str(ROOT / ".tools/node_modules/.bin"), str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(
        MICROGIGS_DATA_DIR=str(data_dir),
        MICROGIGS_PUBLIC_URL=public_url,
        MICROGIGS_DEMO_MODE="true",
        REFLEX_REDIS_URL=redis_url,
        GRANIAN_WORKERS="1",  # one worker per process: the two processes are the two workers
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="0",
        PYTHONUNBUFFERED="1",
        REFLEX_WEB_WORKDIR=str(base / f"web-{name}"),
        REFLEX_STATES_WORKDIR=str(base / f"states-{name}"),
        REFLEX_UPLOADED_FILES_DIR=str(base / "uploaded_files"),
    )
    return env


def _app_copy(base: Path) -> Path:
    """The app as Reflex finds it from its working directory, with a copy of reflex.lock/: a
    backend-only start rewrites that folder's package.json without the frontend's packages,
    which must not touch the checkout."""
    app_dir = base / "app"
    app_dir.mkdir()
    for name in ("microgigs", "assets", "alembic", "alembic.ini"):
        (app_dir / name).symlink_to(ROOT / name)
    shutil.copy(ROOT / "rxconfig.py", app_dir / "rxconfig.py")
    shutil.copytree(ROOT / "reflex.lock", app_dir / "reflex.lock")
    return app_dir


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """(url of worker A, url of worker B, data dir): both share the database and Redis."""
    base = tmp_path_factory.mktemp("two-workers")
    data_dir = base / "data"
    data_dir.mkdir()
    workers: list[subprocess.Popen] = []
    app_dir = _app_copy(base)
    with ExitStack() as stack:
        redis_url = stack.enter_context(running_redis(base))
        stack.callback(lambda: [stop_process_group(worker) for worker in reversed(workers)])  # before Redis
        ports = [free_port(), free_port()]
        urls = [f"http://localhost:{p}" for p in ports]
        setup_env = _env(base, data_dir, urls[0], redis_url, "setup")
        for args in (
            [sys.executable, "-m", "reflex", "db", "migrate"],
            [sys.executable, "-c", "import sys; from microgigs.cli import main; sys.exit(main())", "seed-demo"],
        ):
            done = subprocess.run(args, cwd=app_dir, env=setup_env, capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, done.stdout + done.stderr
        for name, port, url in zip("ab", ports, urls, strict=True):
            # Each worker believes it is the public URL, so its CORS / Origin checks accept our clients.
            log = (base / f"worker-{name}.log").open("w")
            workers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "reflex", "run", "--env", "prod", "--backend-only", "--backend-port", str(port)],
                    cwd=app_dir,
                    env=_env(base, data_dir, url, redis_url, name),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        deadline = time.monotonic() + START_TIMEOUT
        for name, worker, url in zip("ab", workers, urls, strict=True):
            while True:
                if worker.poll() is not None:
                    pytest.fail(f"worker {name} exited:\n{(base / f'worker-{name}.log').read_text()[-3000:]}", pytrace=False)
                try:
                    if httpx.get(f"{url}/ping", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"worker {name} did not start:\n{(base / f'worker-{name}.log').read_text()[-3000:]}", pytrace=False)
                time.sleep(0.5)
        yield urls[0], urls[1], data_dir, base


class ReflexTab:
    """One tab as Reflex's frontend speaks to a worker: a socket.io client on /_event, run by
    Chromium's own WebSocket (with the context's session cookie) in a page of that worker's origin."""

    OPEN = """([url, key]) => {
        window.reflexFrames = window.reflexFrames || {};
        const frames = (window.reflexFrames[key] = []);
        const ws = new WebSocket(url);
        window['socket_' + key] = ws;
        ws.onmessage = (m) => {
            const data = String(m.data);
            if (data === '2') { ws.send('3'); return; }      // the server's ping: answer, or it drops us
            if (data.startsWith('0')) { ws.send('40/_event,'); }  // engine.io open -> join Reflex's /_event namespace
            frames.push(data);
        };
    }"""

    def __init__(self, page, base_url: str, path: str, key: str):
        self.page, self.path, self.key = page, path, key
        url = base_url.replace("http://", "ws://") + f"/_event/?EIO=4&transport=websocket&token={uuid.uuid4()}"
        page.evaluate(self.OPEN, [url, key])
        self.wait_for('40/_event,{"sid"', timeout=60)  # joined the namespace

    def emit(self, handler: str, **payload) -> None:
        event = {"name": handler, "payload": payload, "router_data": {"pathname": self.path, "asPath": self.path}}
        self.page.evaluate("([key, text]) => window['socket_' + key].send(text)", [self.key, "42/_event," + json.dumps(["event", event])])

    def wait_for(self, text: str, timeout: float = LIVE) -> None:
        """Until a frame holding `text` has arrived on this socket (fails after `timeout` s)."""
        self._wait("(f, text) => f.includes(text)", text, repr(text), timeout)

    def wait_until_loaded(self, timeout: float = LIVE) -> None:
        """Until the page's on_load chain has run to its end: Reflex closes it with
        set_is_hydrated(True), whose delta says so. By then the page's on_load has subscribed
        this tab to what it shows, so a change made from now on is pushed to it."""
        self._wait('(f) => /"is_hydrated_rx_state_":\\s*true/.test(f)', None, "the end of on_load (is_hydrated)", timeout)

    def _wait(self, matches: str, arg, what: str, timeout: float) -> None:
        try:
            self.page.wait_for_function(
                f"([key, arg]) => (window.reflexFrames[key] || []).some((f) => ({matches})(f, arg))",
                arg=[self.key, arg],
                timeout=timeout * 1000,
            )
        except Exception as error:
            frames = self.page.evaluate("(key) => window.reflexFrames[key] || []", self.key)
            raise AssertionError(
                f"{what} did not arrive within {timeout} s; last frames:\n" + "\n".join(f[:300] for f in frames[-8:])
            ) from error


def _signed_in_page(browser, url: str, email: str):
    """A browser context signed in through the worker's own route, with a page on its origin."""
    # This page is only a harness for raw sockets (on /ping, a JSON answer whose policy allows
    # nothing) and polls with wait_for_function (an eval): the app's Content-Security-Policy is
    # not what is under test here.
    context = browser.new_context(base_url=url, bypass_csp=True)
    response = context.request.post(
        f"{url}/auth/login", form={"email": email, "password": PASSWORD}, headers={"origin": url}, max_redirects=0
    )
    assert response.status in (302, 303), response.text()[:500]
    page = context.new_page()
    page.goto(f"{url}/ping")  # any page of the worker's origin: the websocket's Origin header
    return context, page


def test_a_change_made_through_one_worker_reaches_a_tab_held_by_the_other(two_workers, browser):
    from microgigs.state.session import SessionState
    from microgigs.state.workspace import MessageForm

    url_a, url_b, data_dir, base = two_workers
    token = secrets.token_hex(3)
    student_email = f"duo.{token}@students.example.edu"
    engagement_id = funded_engagement(data_dir, student_email, "Two Worker Student", f"Two workers {token}")
    path = f"/engagements/{engagement_id}"
    hydrate = SessionState.get_root_state().get_full_name() + ".hydrate_and_load"
    post_message = f"{MessageForm.get_full_name()}.post_message"

    student_context, student_page = _signed_in_page(browser, url_a, student_email)
    manager_context, manager_page = _signed_in_page(browser, url_b, "manager1@demo.microgigs.test")
    try:
        student = ReflexTab(student_page, url_a, path, "student")  # held by worker A
        manager = ReflexTab(manager_page, url_b, path, "manager")  # held by worker B
        for tab in (student, manager):
            tab.emit(hydrate)
            # The page's on_load ran (its data came back) and so the tab is subscribed. A worker's
            # first event also loads its state tree: allow for that once.
            tab.wait_for(f"Two workers {token}", timeout=60)
            tab.wait_until_loaded()  # and so subscribed: the change below is pushed to it

        # The manager acts through worker B; the student's socket on worker A gets it.
        manager.emit(post_message, form_data={"body": f"Hello from worker B {token}"})
        manager.wait_for(f"Hello from worker B {token}")  # the actor's own answer
        student.wait_for(f"Hello from worker B {token}")

        # And back: the student acts through A, the manager's socket on B gets it.
        student.emit(post_message, form_data={"body": f"Hello from worker A {token}"})
        manager.wait_for(f"Hello from worker A {token}")
    except AssertionError as failure:
        logs = "\n".join(f"--- worker {n} ---\n" + (base / f"worker-{n}.log").read_text(errors="replace")[-4000:] for n in "ab")
        raise AssertionError(f"{failure}\n{logs}") from failure
    finally:
        student_context.close()
        manager_context.close()

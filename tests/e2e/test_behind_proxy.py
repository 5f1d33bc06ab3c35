"""Behind a proxy, for real: the shipped nginx site (deploy/nginx/microgigs.conf), run by
Debian's nginx with a self-signed certificate, in front of two app processes started with the
production command (`microgigs start`, demo mode off) that share a throwaway PostgreSQL and a
throwaway Redis. Chromium goes through nginx over https only: two people sign in through the
login form, the student hands in a file through one app process and the manager's open page,
held by the other process, shows it without a reload; the manager downloads the file (the same
bytes); /healthz and /readyz answer through nginx; the session cookie is Secure; the client's
address is taken from X-Forwarded-For as nginx sets it.

What nginx serves is the shipped file itself: `site_config` replaces only the values marked
CHANGE there (host name, certificate, ports, the app processes) and fails if one is not where
the file says. One addition is the test's own: which process a person reaches. The shipped
upstream spreads connections over the processes (least_conn), which would put both people on
one process or the other at random; the test's main file (nginx.conf around the site) routes a
browser carrying the cookie `microgigs_test_worker=a` (or `b`) to that process and everyone
else to the shipped upstream, by pointing the site's two `proxy_pass` lines at a variable. The
access log (with the upstream each request went to) shows both the pinning and the balancing.

Time: the first process builds the frontend (REFLEX_API_URL names nginx's https address, which
the build bakes in; the web folder is kept in .pytest_cache so its packages stay installed);
the second serves that same build (`microgigs start --no-build`), so nothing is built twice.
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.e2e.conftest import watch_csp
from tests.e2e.test_accounts import sign_in
from tests.migrations import empty_postgres_database
from tests.processes import free_port, running_redis, stop_process_group, wait_for_port
from tests.smtp_server import certificate

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "microgigs.conf"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
REDIS = shutil.which("redis-server")
HOST = "127.0.0.1"  # the public host name: not "localhost", whose port Reflex's pages drop under https
PASSWORD = "proxy-test-password-2026"
BUILD_TIMEOUT = float(os.environ.get("MICROGIGS_E2E_START_TIMEOUT", "420"))
PIN_COOKIE = "microgigs_test_worker"
# A deliverable well over nginx's default request body limit (1 MB), well under the app's.
PDF = b"%PDF-1.4\n" + secrets.token_bytes(3 * 1024 * 1024) + b"\n%%EOF\n"


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- nginx ------------------------------------------------------------------------------------


def site_config(https_port: int, http_port: int, cert_file: str, key_file: str, app_ports: list[int]) -> str:
    """deploy/nginx/microgigs.conf with its CHANGE values set for this test, nothing else."""
    site = SITE.read_text()
    public_url = f"https://{HOST}:{https_port}"
    replacements = [
        # (what the shipped file says, what the test puts there, how many times the file says it)
        ("server 127.0.0.1:3000;", " ".join(f"server {HOST}:{port};" for port in app_ports), 1),
        ("listen 80;", f"listen {HOST}:{http_port};", 1),
        ("listen 443 ssl http2;", f"listen {HOST}:{https_port} ssl http2;", 1),
        ("server_name gigs.example.edu;", f"server_name {HOST};", 2),
        ("https://gigs.example.edu$request_uri", f"{public_url}$request_uri", 1),
        ("/etc/ssl/microgigs/fullchain.pem", cert_file, 1),
        ("/etc/ssl/microgigs/privkey.pem", key_file, 1),
        # The test's pinning (see the module's docstring): the shipped upstream stays the default.
        ("proxy_pass http://microgigs_app;", "proxy_pass http://$microgigs_test_upstream;", 2),
    ]
    for shipped, ours, times in replacements:
        assert site.count(shipped) == times, f"{SITE.name} no longer says {shipped!r} {times} time(s): update the test with it"
        site = site.replace(shipped, ours)
    directives = "\n".join(line.split("#", 1)[0] for line in site.splitlines())
    assert "example.edu" not in directives and "/etc/ssl" not in directives and ":3000" not in directives, "a CHANGE value was left"
    return site


def main_config(folder: Path, app_ports: list[int]) -> str:
    """nginx's main file (what /etc/nginx/nginx.conf is on Debian), everything in `folder`."""
    user = "user root;" if os.geteuid() == 0 else ""  # as root, workers would be `nobody`: no way into our temp folder
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""
{user}
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} info;
events {{ worker_connections 256; }}
http {{
    default_type application/octet-stream;
{temp}
    log_format upstreams '$remote_addr "$request" $status upstream=$upstream_addr pin=$cookie_{PIN_COOKIE}';
    access_log {folder / "access.log"} upstreams;

    # The test's own: a person whose browser carries the cookie {PIN_COOKIE}=a (or b) reaches that app
    # process; everyone else the site's own upstream (microgigs_app), as a real install does.
    upstream microgigs_test_a {{ server {HOST}:{app_ports[0]}; }}
    upstream microgigs_test_b {{ server {HOST}:{app_ports[1]}; }}
    map $cookie_{PIN_COOKIE} $microgigs_test_upstream {{
        default microgigs_app;
        a microgigs_test_a;
        b microgigs_test_b;
    }}

    include {folder / "microgigs.conf"};
}}
"""


def start_nginx(folder: Path, https_port: int, http_port: int, app_ports: list[int]) -> subprocess.Popen:
    cert = certificate(HOST)
    folder.mkdir()
    (folder / "microgigs.conf").write_text(site_config(https_port, http_port, cert.cert_file, cert.key_file, app_ports))
    (folder / "nginx.conf").write_text(main_config(folder, app_ports))
    command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, f"nginx -t refused the configuration:\n{checked.stderr}"
    nginx = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    if not wait_for_port(HOST, https_port, 10):
        stop_process_group(nginx)
        pytest.fail(f"nginx did not listen on {https_port}:\n{_tail(folder / 'error.log')}", pytrace=False)
    return nginx


def access_log(folder: Path, until=lambda rows: True, timeout: float = 15) -> list[dict[str, str]]:
    """nginx's access log as rows (client, method, path, status, upstream, pin), read again
    until `until(rows)` holds (nginx writes a line when a request ends) or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while True:
        rows = []
        for line in (folder / "access.log").read_text().splitlines():
            found = re.match(r'(\S+) "(\S+) (\S+) [^"]*" (\d+) upstream=(\S+) pin=(\S*)', line)
            if found:
                rows.append(dict(zip(("client", "method", "path", "status", "upstream", "pin"), found.groups(), strict=True)))
        if until(rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


# --- the app ----------------------------------------------------------------------------------


def app_env(base: Path, name: str, public_url: str, database_url: str, redis_url: str, web_dir: Path) -> dict[str, str]:
    # Our settings come only from the values below (defaults otherwise), never from the shell.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROGIGS_", "REFLEX_", "GRANIAN_"))}
    env["PATH"] = os.pathsep.join([str(ROOT / ".tools/node_modules/.bin"), str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(
        MICROGIGS_DEMO_MODE="false",
        MICROGIGS_PUBLIC_URL=public_url,
        MICROGIGS_DATABASE_URL=database_url,
        MICROGIGS_DATA_DIR=str(base / "data"),  # the stored deliverables: shared, as on one machine
        MICROGIGS_TRUSTED_PROXIES=HOST,  # nginx, as the apps see it
        REFLEX_REDIS_URL=redis_url,
        # The built pages connect their websocket here: nginx on its (non-443) port.
        REFLEX_API_URL=public_url,
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_USE_NPM="0",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="0",
        PYTHONUNBUFFERED="1",
        REFLEX_WEB_WORKDIR=str(web_dir),  # one build, served by both processes
        REFLEX_STATES_WORKDIR=str(base / f"states-{name}"),
        REFLEX_UPLOADED_FILES_DIR=str(base / "uploaded_files"),
    )
    return env


def microgigs(*args: str) -> list[str]:
    """The `microgigs` console script, through this interpreter (no install step assumed)."""
    return [sys.executable, "-c", "import sys; from microgigs.cli import main; sys.exit(main())", *args]


def start_app(base: Path, name: str, env: dict[str, str], port: int, *extra: str) -> subprocess.Popen:
    log = (base / f"app-{name}.log").open("w")
    return subprocess.Popen(
        microgigs("start", "--workers", "1", "--host", HOST, "--port", str(port), *extra),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: teardown stops its workers too
    )


def wait_until_serving(process: subprocess.Popen, port: int, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`microgigs start` exited with {process.returncode}:\n{_tail(log)}", pytrace=False)
        try:
            if httpx.get(f"http://{HOST}:{port}/ping", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    pytest.fail(f"`microgigs start` did not serve on {port} within {timeout:.0f} s:\n{_tail(log)}", pytrace=False)


def seed(token: str) -> dict:
    """Run in a subprocess whose settings name the test's database (demo mode off): an employer
    the career center approved, its manager, a student accepted on its gig (funded by the demo
    gateway). Prints the emails, the title and the engagement's id as JSON."""
    from sqlmodel import Session

    from microgigs.db import make_engine
    from microgigs.demo import builders
    from microgigs.services import accounts, applications, gigs
    from microgigs.services.applications import ApplicationInput
    from microgigs.settings import get_settings
    from tests.e2e.app_data import survey_gig

    people = {
        "manager": f"manager.{token}@employer.example.com",
        "student": f"student.{token}@students.example.edu",
        "title": f"Proxy survey charts {token}",
    }
    engine = make_engine(get_settings().sqlalchemy_url)
    with Session(engine, expire_on_commit=False) as session:
        manager, _ = builders.vetted_employer(
            session,
            accounts.SignUp(
                email=people["manager"], password=PASSWORD, display_name="Pat Proxy", role="manager", organization_name="Proxy Works"
            ),
        )
        student = builders.signed_up(session, accounts.SignUp(email=people["student"], password=PASSWORD, display_name="Sam Student"))
        gig = gigs.create_gig(session, manager, survey_gig(people["title"]))
        application = applications.apply(session, student, gig.id, ApplicationInput(note="I chart surveys."))
        people["engagement"] = applications.accept(session, manager, application.id).id
        session.commit()
    engine.dispose()
    print(json.dumps(people))
    return people


# --- the test ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def behind_nginx(request, tmp_path_factory, postgres_server):
    """Redis, two app processes on one database, and nginx in front: a dict of what the test needs."""
    if NGINX is None or REDIS is None:
        pytest.fail("nginx and redis-server are needed (apt-get install nginx redis-server; `make test` installs them)", pytrace=False)
    base = tmp_path_factory.mktemp("behind-proxy")
    (base / "data").mkdir(mode=0o700)
    cache = getattr(request.config, "cache", None)
    web_dir = cache.mkdir("behind-proxy-web") if cache else base / "web"
    https_port, http_port = free_port(HOST), free_port(HOST)
    app_ports = [free_port(HOST), free_port(HOST)]
    public_url = f"https://{HOST}:{https_port}"
    processes: list[subprocess.Popen] = []
    logs = [base / "app-a.log", base / "app-b.log", base / "nginx" / "error.log"]
    with ExitStack() as stack:
        database_url = stack.enter_context(empty_postgres_database(postgres_server, "behind_proxy"))
        redis_url = stack.enter_context(running_redis(base, HOST))
        stack.callback(lambda: [stop_process_group(p) for p in reversed(processes)])  # before Redis and the database
        envs = {name: app_env(base, name, public_url, database_url, redis_url, web_dir) for name in "ab"}

        started = time.monotonic()
        # A migrates the empty database, consults the doctor, builds the frontend and serves it.
        processes.append(start_app(base, "a", envs["a"], app_ports[0]))
        wait_until_serving(processes[-1], app_ports[0], logs[0], BUILD_TIMEOUT)
        built = time.monotonic()
        # B serves the build A made (same web folder), without building again.
        processes.append(start_app(base, "b", envs["b"], app_ports[1], "--no-build"))
        wait_until_serving(processes[-1], app_ports[1], logs[1], 120)
        print(f"\napp A built and served in {built - started:.0f} s; app B served {time.monotonic() - built:.0f} s later")

        seeded = subprocess.run(
            [sys.executable, "-c", f"from tests.e2e.test_behind_proxy import seed; seed({secrets.token_hex(3)!r})"],
            cwd=ROOT,
            env=envs["a"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert seeded.returncode == 0, seeded.stdout + seeded.stderr
        people = json.loads(seeded.stdout.strip().splitlines()[-1])

        processes.append(start_nginx(base / "nginx", https_port, http_port, app_ports))
        yield {
            "url": public_url,
            "http_port": http_port,
            "app_ports": app_ports,
            "database_url": database_url,
            "nginx_dir": base / "nginx",
            "logs": logs,
            "people": people,
            "cert": certificate(HOST).cert_file,
        }


@contextmanager
def logs_shown_on_failure(logs: list[Path]):
    """A failure prints the tail of each app's and nginx's log (pytest shows a failed test's output)."""
    try:
        yield
    except BaseException:
        for log in logs:
            print(f"\n--- {log.name} ---\n{_tail(log)}")
        raise


def person(browser, url: str, worker: str):
    """A browser context for one person, whose every request nginx sends to app process `worker`."""
    context = browser.new_context(base_url=url, ignore_https_errors=True, viewport={"width": 1280, "height": 800})
    context.csp_refusals = watch_csp(context)
    context.add_cookies([{"name": PIN_COOKIE, "value": worker, "url": url}])
    return context


def test_two_people_on_two_app_processes_through_nginx_over_https(behind_nginx, browser):
    with logs_shown_on_failure(behind_nginx["logs"]):
        _two_people_through_nginx(behind_nginx, browser)


def _two_people_through_nginx(behind_nginx, browser) -> None:
    url, people = behind_nginx["url"], behind_nginx["people"]
    a_port, b_port = behind_nginx["app_ports"]

    # The health checks through nginx (whichever process answers), and plain http sent to https.
    with httpx.Client(verify=behind_nginx["cert"], timeout=10) as trusting_our_cert:
        for path in ("/healthz", "/readyz", "/healthz", "/readyz"):
            answer = trusting_our_cert.get(f"{url}{path}")
            assert answer.status_code == 200, f"{path}: {answer.status_code} {answer.text[:300]}"
    redirect = httpx.get(f"http://{HOST}:{behind_nginx['http_port']}/login?next=/dashboard")
    assert redirect.status_code == 301 and redirect.headers["location"] == f"{url}/login?next=/dashboard"

    # The client's address as the app sees it: nginx appends the address it saw to whatever the
    # client claimed, and the app (trusting only nginx) reads from the right, so the claim is ignored.
    with httpx.Client(transport=httpx.HTTPTransport(verify=behind_nginx["cert"], local_address="127.0.0.3"), timeout=10) as other:
        signed_in = other.post(
            f"{url}/auth/login",
            data={"email": people["student"], "password": PASSWORD},
            headers={"origin": url, "x-forwarded-for": "203.0.113.7"},
        )
    assert signed_in.status_code in (302, 303), signed_in.text[:500]
    assert _session_addresses(behind_nginx["database_url"], people["student"]) == ["127.0.0.3"]

    # Two people, each held by another app process.
    student_context, manager_context = person(browser, url, "a"), person(browser, url, "b")
    try:
        _hand_in_and_review(student_context, manager_context, people)
    finally:
        refused = student_context.csp_refusals + manager_context.csp_refusals
        student_context.close()
        manager_context.close()
    assert not refused, f"The Content-Security-Policy refused: {refused}"

    # Where nginx sent what: each person's requests (their websocket too) to their own process,
    # everyone else's spread over both. nginx logs a websocket once it has closed.
    upstream = {"a": f"{HOST}:{a_port}", "b": f"{HOST}:{b_port}"}
    rows = access_log(behind_nginx["nginx_dir"], until=lambda rows: {r["pin"] for r in rows if r["status"] == "101"} >= {"a", "b"})
    for pin in "ab":
        mine = [row for row in rows if row["pin"] == pin]
        assert mine and {row["upstream"] for row in mine} == {upstream[pin]}, mine
        assert any(row["path"].startswith("/_event") and row["status"] == "101" for row in mine), f"no websocket for {pin}: {mine}"
    assert any(row["pin"] == "a" and row["path"].startswith("/_upload") and row["status"] == "200" for row in rows), "no upload via A"
    health = {row["upstream"] for row in rows if row["pin"] == "-" and row["path"] in ("/healthz", "/readyz")}
    assert health == set(upstream.values()), f"the health checks did not reach both processes: {health}"


def _hand_in_and_review(student_context, manager_context, people: dict) -> None:
    """The student (on process A) hands in a file; the manager (on B) sees it arrive, downloads
    it, and writes back; each side sees the other's change without a reload."""
    student, manager = student_context.new_page(), manager_context.new_page()
    sign_in(student, people["student"], PASSWORD)
    sign_in(manager, people["manager"], PASSWORD)
    for context in (student_context, manager_context):
        cookie = next(c for c in context.cookies() if c["name"] == "microgigs_session")
        assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax", cookie

    workspace = f"/engagements/{people['engagement']}"
    for page in (student, manager):
        page.goto(workspace)
        expect(page.get_by_role("heading", level=1, name=people["title"])).to_be_visible()
    expect(manager.get_by_text("The student has not submitted anything yet.")).to_be_visible()

    # The student hands in a file through process A; the manager's open page on B shows it.
    student.get_by_label("What you are handing in").fill("The five charts are in the PDF.")
    student.get_by_label("Files", exact=True).set_input_files(files=[{"name": "charts.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    expect(student.get_by_text("charts.pdf")).to_be_visible()
    student.get_by_role("button", name="Submit", exact=True).click()
    expect(student.get_by_text("Version 1 submitted")).to_be_visible()
    expect(manager.get_by_role("heading", name="Review version 1")).to_be_visible()  # no reload: pushed across processes

    # The manager downloads it through nginx: the same bytes.
    link = manager.get_by_role("link", name="charts.pdf")
    expect(link).to_be_visible()
    download = manager_context.request.get(link.get_attribute("href"))
    assert download.status == 200 and download.body() == PDF

    # And the other way: the manager writes through B; the student's open page on A shows it.
    manager.get_by_label("Your message").fill("Got the charts, reading them now.")
    manager.get_by_role("button", name="Send message").click()
    expect(student.get_by_text("Got the charts, reading them now.")).to_be_visible()


def _session_addresses(database_url: str, email: str) -> list[str]:
    from microgigs.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text('SELECT s.ip_address FROM authsession s JOIN "user" u ON u.id = s.user_id WHERE u.email = :email'),
                {"email": email},
            )
            return [row[0] for row in rows]
    finally:
        engine.dispose()

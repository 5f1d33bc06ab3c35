"""/metrics (issue 16, "Eyes on it"): who may read it, and that what it reports follows what
happened: requests and events in the histograms (labelled by route template and handler, never
by what a client sent), jobs run and failed, the tabs connected, the mail queue and the payouts
from the database.
Read through the real route and Prometheus's own parser, as a scraper would."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace

import pytest
from prometheus_client.parser import text_string_to_metric_families
from reflex.utils.token_manager import LocalTokenManager, SocketRecord
from sqlmodel import Session
from starlette.testclient import TestClient

from microgigs import jobs, live, settings
from microgigs.http.app import build_api
from microgigs.http.limits import limit_request_size
from microgigs.http.observe import observe_requests
from microgigs.models import EngagementPayment, OutboxMail, utcnow
from microgigs.services import accounts
from microgigs.services.payments.payouts import PAYOUT_REFUSED_PREFIX
from tests.integration.conftest import ORIGIN, PASSWORD, make_user
from tests.unit.conftest import Factory

ADMIN = "root@uni.edu"
REQUESTS = "microgigs_http_request_duration_seconds_count"


def serve(peer: str = "testclient") -> TestClient:
    """The routes inside the same wrappers as in production, as seen from `peer`."""
    return TestClient(
        observe_requests(limit_request_size(build_api())), base_url="http://testserver", follow_redirects=False, client=(peer, 50000)
    )


def signed_in(engine, email: str, role: str) -> TestClient:
    if role == "admin":
        with Session(engine) as session:
            accounts.create_privileged_user(session, email=email, display_name="Root", password=PASSWORD, role="admin")
            session.commit()
    else:
        make_user(engine, email, role)
    client = serve()
    answer = client.post("/auth/login", data={"email": email, "password": PASSWORD}, headers=ORIGIN)
    assert answer.status_code == 303 and "error" not in answer.headers["location"]
    return client


@pytest.fixture
def admin(configured) -> TestClient:
    return signed_in(configured, ADMIN, "admin")


def figures(text: str) -> dict[tuple[str, frozenset], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float:
    return figures(text).get((name, frozenset(labels.items())), 0.0)


def scrape(client: TestClient) -> str:
    answer = client.get("/metrics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain") and answer.headers["cache-control"] == "no-store"
    return answer.text


# --- who may read it --------------------------------------------------------------------------------


def test_a_visitor_and_a_student_get_a_404_with_no_figures(configured):
    student = signed_in(configured, "ada@uni.edu", "student")
    for client in (serve(), student):
        answer = client.get("/metrics")
        assert (answer.status_code, answer.text) == (404, "Not Found")
        assert "microgigs_" not in answer.text


def test_an_admin_reads_the_figures(admin):
    text = scrape(admin)
    names = {name for name, _labels in figures(text)}
    for name in ("microgigs_mail_waiting", "microgigs_mail_failed", "microgigs_payouts_waiting", "microgigs_connected_tabs"):
        assert name in names, name


def test_an_allowed_address_reads_them_without_signing_in_and_no_other_does(configured, monkeypatch):
    monkeypatch.setenv("MICROGIGS_METRICS_ALLOW", "10.0.0.0/8, 192.0.2.7")
    monkeypatch.setenv("MICROGIGS_TRUSTED_PROXIES", "127.0.0.1")
    settings.get_settings.cache_clear()
    assert "microgigs_mail_waiting" in scrape(serve("10.1.2.3"))
    assert "microgigs_mail_waiting" in scrape(serve("192.0.2.7"))
    assert serve("192.0.2.8").get("/metrics").status_code == 404
    # Behind the trusted proxy, the address it saw counts; anyone else's X-Forwarded-For does not.
    assert "microgigs_mail_waiting" in scrape_via(serve("127.0.0.1"), "10.1.2.3")
    assert serve("127.0.0.1").get("/metrics", headers={"x-forwarded-for": "203.0.113.5"}).status_code == 404
    assert serve("203.0.113.5").get("/metrics", headers={"x-forwarded-for": "10.1.2.3"}).status_code == 404


def scrape_via(proxy: TestClient, client_address: str) -> str:
    answer = proxy.get("/metrics", headers={"x-forwarded-for": client_address})
    assert answer.status_code == 200
    return answer.text


# --- what it counts ---------------------------------------------------------------------------------


def test_requests_are_timed_by_route_template_never_by_the_path_asked_for(admin):
    before = scrape(admin)
    admin.get("/healthz")
    admin.get("/healthz")
    assert admin.get("/files/424242").status_code == 404
    assert admin.get("/no/such/page-9911").status_code == 404
    after = scrape(admin)
    assert (
        value(after, REQUESTS, route="/healthz", method="GET", status="2xx")
        == value(before, REQUESTS, route="/healthz", method="GET", status="2xx") + 2
    )
    assert value(after, REQUESTS, route="/files/{file_id}", method="GET", status="4xx") >= 1
    assert value(after, REQUESTS, route="unrouted", method="GET", status="4xx") >= 1
    # (Whole paths: a bare number could turn up inside some timing's digits.)
    assert "/files/424242" not in after and "page-9911" not in after


def test_an_event_is_timed_by_its_handler(configured, admin):
    from tests.unit.tab_harness import Tabs

    tabs = Tabs()
    try:
        frames = tabs.new_tab().open("/", "")  # a page load: hydrate_and_load, then the board's on_load
    finally:
        tabs.close()
    assert frames
    text = scrape(admin)
    handlers = {dict(labels)["handler"] for name, labels in figures(text) if name == "microgigs_event_duration_seconds_count"}
    assert "State.hydrate_and_load" in handlers, handlers
    assert value(text, "microgigs_event_duration_seconds_count", handler="State.hydrate_and_load") >= 1
    assert all("tab-" not in handler for handler in handlers)


def test_a_failing_job_counts_as_run_and_failed(admin, monkeypatch):
    def breaks(_session, _now):
        raise RuntimeError("the test job broke")

    monkeypatch.setattr(jobs, "JOBS", [jobs.Job("test job that breaks", breaks), jobs.Job("test job that works", lambda _s, _n: 0)])
    before = scrape(admin)
    assert jobs.run_due_jobs() == {"test job that breaks": -1, "test job that works": 0}
    after = scrape(admin)
    for job, failed in (("test job that breaks", 1), ("test job that works", 0)):
        assert value(after, "microgigs_job_runs_total", job=job) == value(before, "microgigs_job_runs_total", job=job) + 1
        assert value(after, "microgigs_job_failures_total", job=job) == value(before, "microgigs_job_failures_total", job=job) + failed


def _mail(status: str = "queued", **fields) -> OutboxMail:
    return OutboxMail(to_address="ada@uni.edu", subject="A notice", text_body="text", html_body="<p>text</p>", status=status, **fields)


def test_the_mail_and_payout_figures_follow_the_rows(configured, admin):
    with Session(configured) as session:
        make = Factory(session)
        engagements = [make.hired().engagement.id for _ in range(4)]  # hiring queues mail of its own
        session.commit()
    before = scrape(admin)
    with Session(configured) as session:
        queued = _mail(created_at=utcnow() - timedelta(hours=2))
        session.add_all([queued, _mail(attempts=2, last_error="timed out"), _mail("sending"), _mail("failed", attempts=8), _mail("sent")])
        stopped = {"refused": f"{PAYOUT_REFUSED_PREFIX}: the account is closed", "failing": "The payment service kept failing."}
        for engagement_id, (state, message) in zip(
            engagements,
            [
                ("payout_pending", ""),
                ("awaiting_payout_account", ""),
                ("payout_failed", stopped["refused"]),
                ("payout_failed", stopped["failing"]),
            ],
            strict=True,
        ):
            payment = session.get(EngagementPayment, engagement_id) or EngagementPayment(engagement_id=engagement_id)
            payment.state, payment.message = state, message
            session.add(payment)
        session.commit()
        queued_id = queued.id
    after = scrape(admin)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("microgigs_mail_waiting") == 3
    assert grew("microgigs_mail_retrying") == 1
    assert grew("microgigs_mail_failed") == 1
    assert value(after, "microgigs_mail_oldest_waiting_seconds") >= 2 * 3600
    assert grew("microgigs_payouts_waiting", state="payout_pending") == 1
    assert grew("microgigs_payouts_waiting", state="awaiting_payout_account") == 1
    assert grew("microgigs_payouts_stopped", cause="refused") == 1
    assert grew("microgigs_payouts_stopped", cause="failing") == 1

    with Session(configured) as session:
        session.get(OutboxMail, queued_id).status = "sent"
        session.commit()
    later = scrape(admin)
    assert value(later, "microgigs_mail_waiting") == value(after, "microgigs_mail_waiting") - 1
    assert value(later, "microgigs_mail_oldest_waiting_seconds") < 2 * 3600


def test_connected_tabs_count_this_workers_open_websockets(admin, monkeypatch):
    """Through Reflex's own token registry: tabs connect and leave; a record of a socket another
    worker holds (Redis keeps those) is not counted here."""
    registry = LocalTokenManager()
    monkeypatch.setattr(live, "_app", SimpleNamespace(event_namespace=SimpleNamespace(_token_manager=registry)))

    async def connect_two_and_drop_one():
        await registry.link_token_to_sid("tab-a", "sid-a")
        await registry.link_token_to_sid("tab-b", "sid-b")
        await registry.link_token_to_sid("tab-c", "sid-c")
        await registry.disconnect_token("tab-c", "sid-c")

    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop of its own, in a thread
        pool.submit(asyncio.run, connect_two_and_drop_one()).result()
    registry.token_to_socket["tab-elsewhere"] = SocketRecord(instance_id="another-worker", sid="sid-x")
    assert value(scrape(admin), "microgigs_connected_tabs") == 2

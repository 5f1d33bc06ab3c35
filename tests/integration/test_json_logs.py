"""MICROGIGS_LOG_FORMAT=json: every log line is one JSON object, and a line written while a request
is answered (on the event loop or in the worker thread its work runs in) carries that request's
id, the one its answer's X-Request-Id names; a line written during a Reflex event carries the
event's id, its handler and a hash of the tab's token (never the token)."""

import asyncio
import io
import json
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
from reflex_base.event import Event
from reflex_base.event.context import EventContext
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from microgigs import logs, settings
from microgigs.http.observe import observe_requests
from microgigs.http.unit_of_work import Unit, route
from microgigs.state.event_observer import EventObserver, token_hash

log = logging.getLogger("microgigs.test_json_logs")


@route()
def logs_from_the_worker_thread(_unit: Unit) -> PlainTextResponse:
    log.warning("from the worker thread")
    try:
        raise ValueError("broken on purpose")
    except ValueError:
        log.exception("with its traceback")
    return PlainTextResponse("done")


async def logs_from_the_loop(_request: Request) -> PlainTextResponse:
    log.warning("from the event loop")
    return PlainTextResponse("done")


def serve(peer: str = "testclient") -> TestClient:
    app = Starlette(routes=[Route("/thread", logs_from_the_worker_thread), Route("/loop", logs_from_the_loop)])
    return TestClient(observe_requests(app), base_url="http://testserver", client=(peer, 50000))


@pytest.fixture
def json_log(monkeypatch):
    monkeypatch.setenv("MICROGIGS_LOG_FORMAT", "json")
    settings.get_settings.cache_clear()
    stream = io.StringIO()
    handler = logs.configure(stream)
    assert handler is not None
    yield stream
    logging.getLogger().removeHandler(handler)
    settings.get_settings.cache_clear()


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]  # each line parses alone


def ours(stream: io.StringIO) -> list[dict]:
    return [line for line in lines(stream) if line["logger"] == log.name]


def test_each_line_is_json_with_the_request_id_its_answer_names(configured, json_log):
    client = serve()
    thread, loop = client.get("/thread"), client.get("/loop")
    found = {line["message"]: line for line in ours(json_log)}
    assert found["from the worker thread"]["request_id"] == thread.headers["x-request-id"]
    assert found["with its traceback"]["request_id"] == thread.headers["x-request-id"]
    assert found["from the event loop"]["request_id"] == loop.headers["x-request-id"]
    assert thread.headers["x-request-id"] != loop.headers["x-request-id"]
    failed = found["with its traceback"]
    assert failed["level"] == "ERROR" and "ValueError: broken on purpose" in failed["exception"]
    warning = found["from the event loop"]
    assert (warning["level"], warning["logger"]) == ("WARNING", log.name) and warning["time"].endswith("+00:00")
    assert "exception" not in warning


def test_a_trusted_proxys_request_id_is_kept_and_anyone_elses_replaced(configured, json_log, monkeypatch):
    monkeypatch.setenv("MICROGIGS_TRUSTED_PROXIES", "127.0.0.1")
    settings.get_settings.cache_clear()
    kept = serve("127.0.0.1").get("/loop", headers={"x-request-id": "proxy-4f2a"})
    replaced = serve("203.0.113.9").get("/loop", headers={"x-request-id": "made-up-by-a-client"})
    assert kept.headers["x-request-id"] == "proxy-4f2a"
    assert replaced.headers["x-request-id"] not in ("made-up-by-a-client", "")
    assert [line["request_id"] for line in ours(json_log)] == ["proxy-4f2a", replaced.headers["x-request-id"]]


def test_an_events_lines_carry_its_id_handler_and_a_hash_of_its_tab(json_log):
    token = "the-tabs-own-token"
    context = EventContext(token=token, state_manager=None, enqueue_impl=None)

    async def event_task():
        EventContext.set(context)
        await EventObserver().preprocess(None, None, Event(name="some_state.save_profile"))
        await asyncio.to_thread(log.warning, "while the event runs")

    async def scenario():
        await asyncio.create_task(event_task())
        log.warning("after the event")

    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop of its own, in a thread
        pool.submit(asyncio.run, scenario()).result()
    during, after = ours(json_log)
    # A name the app has no handler for is labelled "unknown" (a client chose it: never a label
    # of its own); registered handlers' labels are checked through the real event processor in
    # test_monitoring.py.
    assert (during["event_id"], during["handler"], during["client"]) == (context.txid, "unknown", token_hash(token))
    assert token not in json.dumps(during)
    assert "event_id" not in after  # the event's context stays in its own task


def test_plain_text_stays_the_default(monkeypatch):
    monkeypatch.delenv("MICROGIGS_LOG_FORMAT", raising=False)
    settings.get_settings.cache_clear()
    before = list(logging.getLogger().handlers)
    assert logs.configure(io.StringIO()) is None
    assert logging.getLogger().handlers == before
    settings.get_settings.cache_clear()

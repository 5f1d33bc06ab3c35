"""The one way an HTTP route acts (microgigs/http/unit_of_work.py): a refusal writes nothing and
is answered by the route's own callback, nobody gets the route's own answer, a form from
another site is refused before anything runs, and no other http module opens the database."""

import ast
from pathlib import Path

from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

import microgigs.http
from microgigs.http.unit_of_work import Unit, route
from microgigs.models import RateLimitHit
from microgigs.services.errors import DomainError
from tests.integration.conftest import ORIGIN, make_user, sign_in

BUCKET = "written by a refused unit"


@route(form=True, refused=lambda unit, error: PlainTextResponse(f"{error.message} ({unit.text('why')})", status_code=409))
def writes_then_refuses(unit: Unit):
    unit.session.add(RateLimitHit(bucket=BUCKET, key_hash="x"))
    unit.session.flush()
    raise DomainError("No.")


@route()
def whoami(unit: Unit):
    actor = unit.signed_in_or(PlainTextResponse("Sign in first.", status_code=401))
    return PlainTextResponse(actor.email)


def _client() -> TestClient:
    app = Starlette(routes=[Route("/refused", writes_then_refuses, methods=["POST"]), Route("/whoami", whoami)])
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


def test_a_refusal_writes_nothing_and_is_answered_by_the_routes_callback(configured):
    answer = _client().post("/refused", data={"why": "testing"}, headers=ORIGIN)
    assert (answer.status_code, answer.text) == (409, "No. (testing)")
    with Session(configured) as session:
        assert session.exec(select(RateLimitHit).where(RateLimitHit.bucket == BUCKET)).all() == []


def test_a_form_from_another_site_is_refused_before_anything_runs(configured):
    answer = _client().post("/refused", data={"why": "x"}, headers={"origin": "https://elsewhere.example"})
    assert answer.status_code == 403


def test_nobody_gets_the_routes_own_answer_and_the_signed_in_account_is_the_actor(configured, client):
    nobody = _client().get("/whoami")
    assert (nobody.status_code, nobody.text) == (401, "Sign in first.")
    make_user(configured, "ada@uni.edu")
    sign_in(client, "ada@uni.edu")
    mine = _client()
    mine.cookies = client.cookies
    assert mine.get("/whoami").text == "ada@uni.edu"


def test_only_the_unit_of_work_opens_the_database_among_http_modules():
    folder = Path(microgigs.http.__file__).parent
    importers = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            if any(name == "microgigs.db" for name in names):
                importers.append(path.name)
    assert sorted(set(importers)) == ["unit_of_work.py"]

"""/assets/ answered from memory ahead of the app: the gzip copy when the browser takes it, a
year-long immutable cache header, and everything else (other paths, unknown names, names that
try to leave the folder, other methods) handed on to the app."""

import gzip

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from microgigs.http.assets import CACHE_FOREVER, accepts_gzip, serve_built_assets


def _client(folder):
    async def fallback(request):
        return PlainTextResponse(f"app: {request.url.path}", status_code=404)

    inner = Starlette(routes=[Route("/{path:path}", fallback, methods=["GET", "HEAD", "POST"])])
    return TestClient(serve_built_assets(inner, folder=lambda: folder))


def test_a_built_asset_comes_gzipped_with_an_immutable_cache_header(tmp_path):
    code = b"export const answer = 42;\n" * 50
    (tmp_path / "entry-ab12.js").write_bytes(code)
    (tmp_path / "entry-ab12.js.gz").write_bytes(gzip.compress(code))
    client = _client(tmp_path)

    packed = client.get("/assets/entry-ab12.js", headers={"accept-encoding": "gzip, deflate, br"})
    assert packed.status_code == 200 and packed.content == code  # the client unpacked the gzip body
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["cache-control"] == CACHE_FOREVER.decode()
    assert packed.headers["content-type"].split(";")[0] in ("text/javascript", "application/javascript")

    plain = client.get("/assets/entry-ab12.js", headers={"accept-encoding": "identity"})
    assert plain.content == code and "content-encoding" not in plain.headers
    assert int(plain.headers["content-length"]) == len(code)

    head = client.head("/assets/entry-ab12.js", headers={"accept-encoding": "identity"})
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) == len(code)


def test_a_file_without_a_gzip_copy_is_sent_as_it_is(tmp_path):
    (tmp_path / "styles-cd34.css").write_text("main { color: red }")
    answer = _client(tmp_path).get("/assets/styles-cd34.css", headers={"accept-encoding": "gzip"})
    assert answer.text == "main { color: red }" and "content-encoding" not in answer.headers
    assert answer.headers["content-type"].startswith("text/css")


def test_everything_else_goes_on_to_the_app(tmp_path):
    (tmp_path / "entry-ab12.js").write_text("x")
    (tmp_path.parent / "secret.txt").write_text("not an asset")
    client = _client(tmp_path)
    for path in (
        "/",
        "/gigs/1",
        "/assets/",
        "/assets/missing-00.js",
        "/assets/..%2Fsecret.txt",
        "/assets/../secret.txt",
        "/assets/.hidden",
    ):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.text.startswith("app: "), path
    assert client.post("/assets/entry-ab12.js").text == "app: /assets/entry-ab12.js"


def test_accept_encoding_is_read_with_its_qualities():
    assert accepts_gzip([(b"accept-encoding", b"gzip, deflate, br")])
    assert accepts_gzip([(b"accept-encoding", b"br;q=1.0, GZIP;q=0.5")])
    assert not accepts_gzip([(b"accept-encoding", b"gzip;q=0, br")])
    assert not accepts_gzip([(b"accept-encoding", b"gzip; q=0.000")]) and accepts_gzip([(b"accept-encoding", b"*;q=0.1")])
    assert not accepts_gzip([(b"accept-encoding", b"identity")]) and not accepts_gzip([])

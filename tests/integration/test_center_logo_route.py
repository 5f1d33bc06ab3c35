"""GET /api/center/logo/<name> (http/branding.py): the stored logo for anyone, as an image
that is never sniffed nor run, kept for a year; nothing but a stored logo's own name answers."""

import pytest
from sqlmodel import Session, select

from microgigs.models import User
from microgigs.services import accounts, center_settings
from microgigs.settings import get_settings
from tests.integration.conftest import PASSWORD
from tests.unit.test_center_settings import jpeg, png


def saved_logo(engine, data: bytes) -> str:
    with Session(engine, expire_on_commit=False) as session:
        admin = accounts.create_privileged_user(session, email="admin@example.edu", display_name="Admin", password=PASSWORD, role="admin")
        url = center_settings.save_logo(session, admin, "logo.png", data).logo_url
        session.commit()
    return url


def test_the_logo_is_served_to_anyone_as_an_image_kept_for_a_year(client, configured):
    data = png(4, 3)
    url = saved_logo(configured, data)
    answer = client.get(url)  # no cookie: a visitor, or a mail client
    assert answer.status_code == 200
    assert answer.content == data
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert answer.headers["content-disposition"] == "inline"


def test_a_replaced_logo_is_still_served_by_its_name(client, configured):
    first = saved_logo(configured, png(1, 1))
    with Session(configured) as session:
        admin = session.exec(select(User).where(User.email == "admin@example.edu")).one()
        second = center_settings.save_logo(session, admin, "new.jpg", jpeg()).logo_url
        session.commit()
    assert client.get(first).status_code == 200
    answer = client.get(second)
    assert (answer.status_code, answer.headers["content-type"]) == (200, "image/jpeg")


@pytest.mark.parametrize(
    "name",
    [
        "logo-0123456789abcdef0123456789abcdef.png",  # the pattern, but nothing stored by that name
        "microgigs.db",
        "..%2Fmicrogigs.db",
        "..%2F..%2Fetc%2Fpasswd",
        "%2E%2E%2Fkeys%2Fcurrent-kid",
        "logo-0123456789ABCDEF0123456789ABCDEF.png",
        "logo-0123456789abcdef0123456789abcdef.svg",
        "logo-0123456789abcdef0123456789abcdef.png%00.txt",
        "logo-0123456789abcdef0123456789abcdef.png.html",
    ],
)
def test_anything_but_a_stored_logos_name_is_not_found(client, configured, name):
    saved_logo(configured, png())
    # Beside branding/ lies the SQLite database (on PostgreSQL a stand-in, so the test means the same).
    database = get_settings().data_dir / "microgigs.db"
    if not database.exists():
        database.write_bytes(b"SQLite format 3\x00 stand-in")
    answer = client.get(f"/api/center/logo/{name}")
    assert answer.status_code == 404  # ours, or no route at all for a name with a "/" in it
    assert answer.headers["content-type"].startswith("text/plain") and b"SQLite" not in answer.content


def test_a_path_outside_the_route_is_not_ours(client, configured):
    saved_logo(configured, png())
    assert client.get("/api/center/logo/../../microgigs.db").status_code == 404
    assert client.get("/api/center/logo/").status_code == 404

"""Issue 14, point 7: every stored file our routes send (a deliverable, a public evidence file,
a profile photo) says `Cache-Control: private, no-store`, so no browser on a shared computer and
no proxy keeps a copy after it was shown."""

from sqlmodel import Session

from microgigs.models import User
from microgigs.services import profiles
from tests.integration.conftest import ORIGIN, make_user, sign_in
from tests.integration.test_files_and_limits import delivered_file  # noqa: F401  (fixture)
from tests.integration.test_public_evidence_routes import _turn, approved  # noqa: F401  (fixture)

NO_STORE = "private, no-store"


def test_a_deliverable_download_is_kept_by_no_cache(client, delivered_file):  # noqa: F811
    for email in ("sam@uni.edu", "boss@acme.com"):
        sign_in(client, email)
        response = client.get(f"/files/{delivered_file}")
        assert response.status_code == 200
        assert response.headers["cache-control"] == NO_STORE
        assert response.headers["content-security-policy"] == "sandbox"  # kept as it was
        client.post("/auth/logout", headers=ORIGIN)


def test_a_public_evidence_file_is_kept_by_no_cache(client, configured, approved):  # noqa: F811
    engagement_id, public_id, file_id, manager_id, student_id = approved
    _turn(configured, manager_id, engagement_id, "employer", True)
    _turn(configured, student_id, engagement_id, "student", True)
    response = client.get(f"/evidence/{public_id}/files/{file_id}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == NO_STORE


def test_a_profile_photo_is_kept_by_no_cache(client, configured):
    uid = make_user(configured, "fa@uni.edu")
    with Session(configured) as session:
        profiles.set_photo(session, session.get(User, uid), "me.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 10)
        session.commit()
    sign_in(client, "fa@uni.edu")
    photo = client.get(f"/photos/{uid}")
    assert photo.status_code == 200
    assert photo.headers["cache-control"] == NO_STORE

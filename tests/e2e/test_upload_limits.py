"""Issue 14, point 7 in the browser: a file over the size limit is refused by the file picker as
soon as it is chosen, with the reason next to the picker (read out by screen readers), and
nothing is uploaded: a deliverable just over 25 MB, and a profile photo just over 2 MB."""

import re
import sqlite3

from playwright.sync_api import expect

from tests.e2e.app_data import DEMO_PASSWORD, funded_engagement
from tests.e2e.test_accounts import sign_in
from tests.e2e.test_core_loop import PHONE, loaded

MB = 1024 * 1024


def file_just_over(tmp_path, name: str, limit: int):
    path = tmp_path / name
    with path.open("wb") as out:
        out.truncate(limit + 1)  # sparse: no 25 MB written to the disk
    return path


def uploads_seen(page) -> list[str]:
    """Every request that could carry a file to the server (Reflex's upload endpoint, any POST)."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if request.method == "POST" or "/_upload" in request.url else None)
    return seen


def largest_frame_sent(page) -> list[int]:
    """The size of the largest websocket frame the page sends (call before it opens its socket):
    a refused file must not travel in an event either (socket.io sends a File's bytes along)."""
    largest = [0]

    def watch(socket):
        socket.on("framesent", lambda payload: largest.__setitem__(0, max(largest[0], len(payload))))

    page.on("websocket", watch)
    return largest


def test_a_deliverable_over_the_limit_is_refused_as_soon_as_it_is_chosen(new_context, app_server, tmp_path, assert_accessible):
    email = "picker-limit@uni.example.edu"
    engagement_id = funded_engagement(app_server.data_dir, email, "Pia Picker", "Chart the member survey (limits)")
    student = new_context(viewport=PHONE).new_page()
    largest = largest_frame_sent(student)
    sign_in(student, email, DEMO_PASSWORD)
    student.goto(f"/engagements/{engagement_id}")
    loaded(student)
    expect(student.get_by_role("heading", name="Submit deliverable")).to_be_visible()
    posted = uploads_seen(student)

    student.get_by_label("Files", exact=True).set_input_files(file_just_over(tmp_path, "survey-export.zip", 25 * MB))

    message = "survey-export.zip was not added: it is larger than 25 MB."
    expect(student.get_by_text(message)).to_be_visible()
    expect(student.get_by_text(message)).to_have_attribute("aria-live", "polite")
    expect(student.get_by_role("button", name="Choose files")).to_have_accessible_description(re.compile(re.escape(message)))
    expect(student.get_by_text("Selected:")).to_have_count(0)  # nothing waits to be sent either
    assert posted == []
    assert largest[0] < 64 * 1024
    with sqlite3.connect(app_server.data_dir / "microgigs.db") as db:
        assert db.execute("SELECT count(*) FROM submission WHERE engagement_id = ?", (engagement_id,)).fetchone()[0] == 0
    assert_accessible(student)


def test_a_profile_photo_over_the_limit_is_refused_as_soon_as_it_is_chosen(new_context, app_server, tmp_path, assert_accessible):
    email = "photo-limit@uni.example.edu"
    funded_engagement(app_server.data_dir, email, "Pat Photo", "Chart the member survey (photo)")
    student = new_context(viewport=PHONE).new_page()
    largest = largest_frame_sent(student)
    sign_in(student, email, DEMO_PASSWORD)
    student.goto("/profile")
    loaded(student)
    posted = uploads_seen(student)

    student.get_by_label("Photo", exact=True).set_input_files(file_just_over(tmp_path, "me.png", 2 * MB))

    message = "That photo is too large: at most 2 MB."
    expect(student.get_by_text(message)).to_be_visible()
    expect(student.get_by_role("button", name="Choose a photo")).to_have_accessible_description(re.compile(re.escape(message)))
    expect(student.get_by_text("Selected: me.png")).to_have_count(0)
    assert posted == []
    assert largest[0] < 64 * 1024
    assert_accessible(student)

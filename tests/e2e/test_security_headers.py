"""Issue 14, point 7 in the real browser: the security headers are on every response of the built
app, and its Content-Security-Policy (only our scripts and the build's inline ones by hash, no
eval) refuses nothing on the main pages of a visitor, a student, a manager and staff, including
what used to need eval (print buttons, copying a link, focusing a form's errors, clearing the
files a submission sent). Any refusal, as a `securitypolicyviolation` event or Chromium's console
error, fails the test (tests/e2e/conftest.py watches every context of every browser test)."""

import base64
import hashlib
import re
import sqlite3

import httpx
from playwright.sync_api import expect

from tests.e2e.app_data import DEMO_MANAGER, DEMO_PASSWORD, funded_engagement
from tests.e2e.test_accounts import sign_in
from tests.e2e.test_core_loop import PDF, PHONE, loaded

STAFF = "staff@demo.microgigs.test"
# Print buttons call this; the real dialog would wait for a person in a headed browser. It
# counts on the page's <html> (read with a locator: Playwright's wait_for_function evaluates a
# string in the page, which the policy refuses too).
STUB_PRINT = (
    "window.print = () => { const html = document.documentElement; html.dataset.printed = String(Number(html.dataset.printed || 0) + 1); };"
)


def count_answers(page) -> list[int]:
    """How many answers (state deltas) the page's app has received over its websockets so far."""
    answers = [0]

    def watch(socket):
        socket.on("framereceived", lambda frame: answers.__setitem__(0, answers[0] + ("delta" in str(frame))))

    page.on("websocket", watch)
    return answers


def visit(page, answers: list[int], path: str) -> None:
    """Open `path` as a new document (its own response must carry the page policy) and wait
    until the app has hydrated over its websocket (its scripts and styles ran) and drawn its data."""
    before = answers[0]
    response = page.goto(path)
    assert response is not None
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self' 'sha256-" in policy and "'unsafe-eval'" not in policy, f"{path}: {policy!r}"
    assert "frame-ancestors 'none'" in policy
    for _ in range(300):  # a wait, not a timed assertion: at most 30 s for the first answer
        if answers[0] > before:
            break
        page.wait_for_timeout(100)
    assert answers[0] > before, f"{path}: the app never answered"
    loaded(page)
    page.evaluate("0")  # one round trip: anything reported while drawing has arrived


def refusals(*contexts) -> list[str]:
    return [text for context in contexts for text in context.csp_refusals]


def demo_ids(data_dir):
    with sqlite3.connect(data_dir / "microgigs.db") as db:
        gig_id = db.execute("SELECT id FROM gig WHERE status = 'open' ORDER BY id LIMIT 1").fetchone()[0]
        public_id = db.execute("SELECT public_id FROM credential WHERE revoked_at IS NULL ORDER BY id LIMIT 1").fetchone()[0]
        student_id = db.execute("SELECT id FROM user WHERE role = 'student' ORDER BY id LIMIT 1").fetchone()[0]
    return gig_id, public_id, student_id


def test_every_response_of_the_built_app_carries_the_headers(app_server):
    with httpx.Client(base_url=app_server.url, timeout=30, follow_redirects=True) as client:
        board = client.get("/")
        login = client.get("/login")
        asset = re.search(r'"(/assets/[^"]+\.js)"', login.text)
        responses = {
            "/": board,
            "/login": login,
            "/reset-password?token=x": client.get("/reset-password?token=x"),
            "/no-such-page": client.get("/no-such-page"),
            "/healthz": client.get("/healthz"),
            "/ping": client.get("/ping"),
            "/favicon.ico": client.get("/favicon.ico"),
            "asset": client.get(asset[1]),
            "/manifest.webmanifest": client.get("/manifest.webmanifest"),
            "/sw.js": client.get("/sw.js"),
            "/icons/icon-192.png": client.get("/icons/icon-192.png"),
        }
    for name, response in responses.items():
        assert response.headers.get("content-security-policy"), name
        assert response.headers["x-content-type-options"] == "nosniff", name
        assert response.headers["x-frame-options"] == "DENY", name
        assert "referrer-policy" in response.headers, name
    assert responses["/reset-password?token=x"].headers["referrer-policy"] == "same-origin"
    assert responses["/login"].headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert responses["asset"].headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    # The service worker's own policy: it may fetch the built files from us, nothing else.
    assert responses["/sw.js"].headers["content-security-policy"] == "default-src 'none'; connect-src 'self'"
    # The real build's pages: every inline script is allowed by its hash.
    for page in (board, login, responses["/no-such-page"]):
        policy = page.headers["content-security-policy"]
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.DOTALL):
            if "src=" not in attributes:
                digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                assert f"'sha256-{digest}'" in policy, body[:80]


def test_no_page_meets_a_refusal_as_a_visitor_a_student_a_manager_and_staff(new_context, app_server, tmp_path):
    gig_id, public_id, student_id = demo_ids(app_server.data_dir)
    email = "csp-student@uni.example.edu"
    engagement_id = funded_engagement(app_server.data_dir, email, "Cass Policy", "Chart the member survey (policy)")

    # --- a visitor on a phone --------------------------------------------------------------
    visitor_context = new_context(viewport=PHONE)
    visitor_context.add_init_script(STUB_PRINT)
    visitor = visitor_context.new_page()
    seen = count_answers(visitor)
    for path in (
        "/",
        f"/gigs/{gig_id}",
        "/login",
        "/signup",
        "/forgot-password",
        "/verify",
        f"/verify?id={public_id}",
        f"/evidence/{public_id}",
        "/reset-password?token=nope",
        "/join?token=nope",
        "/no-such-page",
    ):
        visit(visitor, seen, path)
    visit(visitor, seen, f"/credentials/{public_id}")
    visitor.get_by_role("button", name="Print certificate").click()
    expect(visitor.locator("html")).to_have_attribute("data-printed", "1")
    assert refusals(visitor_context) == []

    # --- a student ---------------------------------------------------------------------------
    student_context = new_context(viewport=PHONE)
    student_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_server.url)
    student = student_context.new_page()
    seen = count_answers(student)
    sign_in(student, email, DEMO_PASSWORD)
    for path in ("/dashboard", "/profile", "/credentials", "/notifications", "/saved", "/earnings", "/account"):
        visit(student, seen, path)
    # Submitting files: the form is drawn anew and clears its picker (the page, not an eval).
    visit(student, seen, f"/engagements/{engagement_id}")
    student.get_by_label("What you are handing in").fill("The charts are in the PDF; the cleaned CSV is linked.")
    student.get_by_label("Files", exact=True).set_input_files(files=[{"name": "charts.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    expect(student.get_by_text("Selected:")).to_be_visible()
    student.get_by_role("button", name="Submit", exact=True).click()
    expect(student.get_by_text("Version 1 submitted")).to_be_visible()
    expect(student.get_by_text("Selected:")).to_have_count(0)
    # Copying the portfolio's link: the page writes the clipboard itself.
    visit(student, seen, "/portfolio")
    student.get_by_label("Handle").fill("cass-policy")
    student.get_by_role("button", name="Save portfolio settings").click()
    expect(student.get_by_label("Your portfolio's address")).to_have_value(re.compile(r"/p/cass-policy$"))
    student.get_by_role("button", name="Copy share link").click()
    expect(student.get_by_text("Share link copied.")).to_be_visible()
    assert student.evaluate("navigator.clipboard.readText()").endswith("/p/cass-policy")
    assert refusals(student_context) == []

    # --- a manager -----------------------------------------------------------------------------
    manager_context = new_context()
    manager_context.add_init_script(STUB_PRINT)
    manager = manager_context.new_page()
    seen = count_answers(manager)
    sign_in(manager, DEMO_MANAGER, DEMO_PASSWORD)
    for path in ("/dashboard", f"/manage/gigs/{gig_id}", "/payments", "/organization", f"/engagements/{engagement_id}"):
        visit(manager, seen, path)
    visit(manager, seen, f"/payments/receipt/{engagement_id}")
    manager.get_by_role("button", name="Print this receipt").click()
    expect(manager.locator("html")).to_have_attribute("data-printed", "1")
    # A refused gig: the page moves to its messages (focus, which scrolls; no eval).
    visit(manager, seen, "/gigs/new")
    manager.get_by_role("form", name="Post a gig").get_by_role("button", name="Post gig").click()
    messages = manager.locator("#post-gig-messages")
    expect(messages).to_contain_text("The gig was not posted")
    expect(messages).to_be_focused()
    assert refusals(manager_context) == []

    # --- career-center staff -----------------------------------------------------------------------
    staff_context = new_context()
    staff = staff_context.new_page()
    seen = count_answers(staff)
    sign_in(staff, STAFF, DEMO_PASSWORD)
    for path in (
        "/staff/employers",
        "/staff/gigs",
        "/staff/money",
        "/staff/insights",
        "/staff/audit",
        "/staff/skills",
        "/staff/disputes",
        "/staff/terms",
        f"/staff/students/{student_id}",
        "/admin/outbox",
    ):
        visit(staff, seen, path)
    assert refusals(staff_context) == []

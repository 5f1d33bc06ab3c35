"""The whole loop with the keyboard alone, and a focus ring a sighted keyboard user can see.

A new student signs up (the confirmation link comes from the mailbox) and applies; the manager
shortlists and accepts (the demo gateway funds at once); the student submits with a file; the
manager asks for changes; the student resubmits; the manager approves and pays; both review.
Only Tab / Shift+Tab, Enter, Space, arrow keys and typing drive the pages (the OS file dialog,
which no page controls, gets its file from Playwright's file chooser). `tab_to` fails with the
list of what got the focus when a control cannot be reached, and every element the focus lands
on must show a ring: an outline (or a ring drawn by a pseudo-element or the text field around
it) at least 2 px wide. The gig itself is put in through the services (posting is tested
elsewhere); addresses are typed as URLs, as a keyboard user would.
"""

import re
import secrets

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from microgigs.services import gigs
from tests.e2e.app_data import DEMO_MANAGER, DEMO_PASSWORD, app_session, demo_manager, survey_gig
from tests.e2e.conftest import mail_link
from tests.e2e.test_accounts import VERIFY_LINK
from tests.e2e.test_live_workspace import loaded

PHONE = {"width": 375, "height": 812}
PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
MAX_PRESSES = 80

# What has the focus, in a few words, and how wide a ring it shows: its own outline, one drawn by
# its ::before / ::after (Radix radios and checkboxes), or its text field's root's (Radix rings
# the box around an input, not the input itself).
FOCUSED = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {label: '(nothing)', ring: 0};
  const named = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].textContent)
    || el.textContent || el.getAttribute('placeholder') || '';
  const label = `${el.getAttribute('role') || el.tagName.toLowerCase()} "${named.trim().replace(/\s+/g, ' ').slice(0, 50)}"`;
  let ring = 0;
  for (const node of [el, el.closest('.rt-TextFieldRoot, .rt-TextAreaRoot')]) {
    if (!node) continue;
    for (const pseudo of [null, '::before', '::after']) {
      const style = getComputedStyle(node, pseudo);
      if (style.outlineStyle !== 'none' && style.outlineColor !== 'rgba(0, 0, 0, 0)') ring = Math.max(ring, parseFloat(style.outlineWidth) || 0);
    }
  }
  return {label, ring};
}"""


class Keyboard:
    """One person's keyboard on one page, remembering every control the focus showed no ring on."""

    def __init__(self, page: Page):
        self.page = page
        self.without_ring: list[str] = []
        self.chooser = None  # the file dialog open_file_dialog opened

    def tab_to(self, role: str, name: str | re.Pattern, *, backwards: bool = False, exact: bool = True) -> None:
        """Press Tab (Shift+Tab) until the control with this role and accessible name has the
        focus; each stop on the way must show a focus ring."""
        target = self.page.get_by_role(role, name=name, exact=exact) if isinstance(name, str) else self.page.get_by_role(role, name=name)
        expect(target.first).to_be_attached()
        seen = []
        for _ in range(MAX_PRESSES):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            focused = self.page.evaluate(FOCUSED)
            seen.append(focused["label"])
            if focused["label"] != "(nothing)" and focused["ring"] < 2:
                self.without_ring.append(f"{self.page.url}: {focused['label']}")
            if target.evaluate_all("(els) => els.some((el) => el === document.activeElement)"):
                assert focused["ring"] >= 2, f"{role} {name!r} has the focus but no visible focus ring"
                return
        raise AssertionError(f"{role} {name!r} never got the focus in {MAX_PRESSES} presses; it went to:\n  " + "\n  ".join(seen))

    def type_into(self, role: str, name: str | re.Pattern, text: str) -> None:
        self.tab_to(role, name)
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.type(text)

    def press(self, role: str, name: str | re.Pattern, key: str = "Enter") -> None:
        self.tab_to(role, name)
        self.page.keyboard.press(key)

    def choose(self, combobox: str, option: str) -> None:
        """A Radix select: open it from the keyboard, move to the option, take it."""
        self.tab_to("combobox", combobox)
        self.page.keyboard.press("Enter")
        listbox = self.page.get_by_role("listbox")
        expect(listbox).to_be_visible()
        wanted = self.page.get_by_role("option", name=option, exact=True)
        for _ in range(10):
            if wanted.evaluate_all("(els) => els.some((el) => el === document.activeElement)"):
                break
            self.page.keyboard.press("ArrowDown")
        self.page.keyboard.press("Enter")
        expect(listbox).to_have_count(0)
        expect(self.page.get_by_role("combobox", name=combobox)).to_be_focused()  # the focus came back
        expect(self.page.get_by_role("combobox", name=combobox)).to_have_text(option)

    def open(self, path: str) -> None:
        """Type an address (a fresh page: the focus starts at the top)."""
        self.page.goto(path)
        loaded(self.page)


def open_file_dialog(keys: Keyboard) -> None:
    """Enter on the focused "Choose files" opens the OS file dialog (Playwright's file chooser).
    On a loaded CI machine the first press can come before the drop zone's handler is attached
    (CI saw no dialog in 30 s): a person would press again, so the test does too (at most
    three times, the focus checked to be on the button each time)."""
    button = keys.page.get_by_role("button", name="Choose files", exact=True)
    for attempt in range(3):
        expect(button).to_be_focused()
        try:
            with keys.page.expect_file_chooser(timeout=10_000) as chooser:
                keys.page.keyboard.press("Enter")
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            continue
        keys.chooser = chooser.value
        return


def sign_in_by_keyboard(keys: Keyboard, email: str, password: str) -> None:
    keys.open("/login")
    keys.type_into("textbox", "Email address", email)
    keys.type_into("textbox", "Password", password)
    keys.page.keyboard.press("Enter")  # submits the form from its last field
    expect(keys.page).to_have_url(re.compile(r"/dashboard"))
    loaded(keys.page)


def test_the_whole_loop_by_keyboard_with_a_visible_focus_ring(new_context, app_server, assert_accessible):
    token = secrets.token_hex(3)
    title = f"Keyboard survey {token}"
    student_name = f"Kai Keys {token}"
    student_email = f"kai.{token}@students.example.edu"
    with app_session(app_server.data_dir) as session:
        gig_id = gigs.create_gig(session, demo_manager(session), survey_gig(title)).id
        session.commit()

    student = Keyboard(new_context(viewport=PHONE).new_page())
    manager = Keyboard(new_context().new_page())

    # --- the student signs up and confirms the address ---------------------------------------------
    student.open("/signup")
    student.tab_to("radio", "a student looking for gigs")
    student.page.keyboard.press("Space")
    expect(student.page.get_by_role("radio", name="a student looking for gigs")).to_be_checked()
    student.type_into("textbox", "Your name", student_name)
    student.type_into("textbox", "Email address", student_email)
    student.type_into("textbox", "Password", "a long walk by the river")
    student.press("button", "Create account")
    expect(student.page).to_have_url(re.compile(r"/check-email"))
    assert_accessible(student.page)
    student.page.goto(mail_link(app_server, student_email, VERIFY_LINK))
    student.press("button", "Confirm my email address")
    expect(student.page.get_by_role("status").filter(has_text="email address is confirmed")).to_be_visible()

    # --- finds the gig on the board and applies -----------------------------------------------------
    student.open("/")
    student.type_into("searchbox", "Search gigs", title)
    student.page.keyboard.press("Enter")
    expect(student.page.get_by_role("link", name=title)).to_be_visible()
    student.press("link", title)
    expect(student.page.get_by_role("heading", level=1, name=title)).to_be_visible()
    loaded(student.page)
    student.type_into("textbox", "Why you fit this gig", "I cleaned survey data for our student union and charted it in Python.")
    student.press("button", "Apply")
    expect(student.page.get_by_text(re.compile("Applied — see your"))).to_be_visible()
    assert_accessible(student.page)

    # --- the manager shortlists, then accepts (the demo gateway funds it at once) -------------------
    sign_in_by_keyboard(manager, DEMO_MANAGER, DEMO_PASSWORD)
    manager.open(f"/manage/gigs/{gig_id}")
    expect(manager.page.get_by_role("heading", level=1, name=title)).to_be_visible()
    manager.press("button", re.compile(r"^Shortlist "))
    expect(manager.page.get_by_role("button", name=f"Accept {student_name}")).to_be_visible()
    manager.press("button", f"Accept {student_name}")
    workspace_link = manager.page.get_by_role("link", name=f"Open engagement workspace for {student_name}")
    expect(workspace_link).to_be_visible()
    workspace = workspace_link.get_attribute("href")
    assert workspace and re.fullmatch(r"/engagements/\d+", workspace)
    assert_accessible(manager.page)
    manager.press("link", f"Open engagement workspace for {student_name}")
    expect(manager.page).to_have_url(re.compile(re.escape(workspace)))
    loaded(manager.page)
    expect(manager.page.get_by_text("The student has not submitted anything yet.")).to_be_visible()

    # --- the student submits a note, a link and a file ---------------------------------------------
    student.open(workspace)
    expect(student.page.get_by_role("heading", name="Submit deliverable")).to_be_visible()
    student.type_into("textbox", "What you are handing in", "The cleaned CSV is in the folder; the PDF has the five charts.")
    student.type_into("textbox", re.compile(r"^Link to the deliverable"), "https://drive.example.com/keyboard-survey")
    student.tab_to("button", "Choose files")
    open_file_dialog(student)
    student.chooser.set_files(files=[{"name": "findings.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    expect(student.page.get_by_text("findings.pdf")).to_be_visible()
    student.press("button", "Submit")
    expect(student.page.get_by_text("Version 1 submitted")).to_be_visible()
    assert_accessible(student.page)

    # --- the manager asks for changes ----------------------------------------------------------------
    expect(manager.page.get_by_role("heading", name="Review version 1")).to_be_visible()  # arrived live
    manager.type_into("textbox", "What should change", "Label the axes and add the sample size to each chart.")
    manager.press("button", "Request changes")
    expect(manager.page.get_by_text("Changes requested. The student has been told.")).to_be_visible()

    # --- the student resubmits -----------------------------------------------------------------------
    expect(student.page.get_by_text("Label the axes and add the sample size to each chart.")).to_be_visible()
    student.type_into("textbox", "What you are handing in", "Second cut: axes labelled, sample sizes in each chart's footnote.")
    student.press("button", "Submit")
    expect(student.page.get_by_text("Version 2 submitted")).to_be_visible()

    # --- the manager approves and pays ----------------------------------------------------------------
    expect(manager.page.get_by_role("heading", name="Review version 2")).to_be_visible()
    manager.press("button", "Approve and pay")
    expect(manager.page.get_by_text(re.compile(re.escape(f"paid to {student_name}")))).to_be_visible()
    assert_accessible(manager.page)

    # --- both review -------------------------------------------------------------------------------
    manager.open(f"{workspace}/review")
    expect(manager.page.get_by_role("form", name="Write your review")).to_be_visible()
    for question in ("Quality of the work", "Timeliness", "Communication"):
        manager.choose(question, "5 of 5")
    manager.type_into("textbox", re.compile(r"^Your review"), "Thorough, on time, and clear in every update.")
    manager.press("button", "Submit review")
    expect(manager.page.get_by_text("Thank you: your review is in.", exact=False)).to_be_visible()
    assert_accessible(manager.page)

    student.open(f"{workspace}/review")
    expect(student.page.get_by_role("form", name="Write your review")).to_be_visible()
    for question in ("Clarity of the scope", "Communication", "Fairness", "Paid on time"):
        student.choose(question, "5 of 5")
    student.press("button", "Submit review")
    expect(student.page.get_by_text("Thorough, on time, and clear in every update.")).to_be_visible()
    assert_accessible(student.page)

    missing = student.without_ring + manager.without_ring
    assert not missing, "the focus showed no ring on:\n  " + "\n  ".join(dict.fromkeys(missing))


# --- the ring's and hovered links' contrast, light and dark ------------------------------------

# A CSS colour as sRGB bytes, laid over the page's background as the eye sees it (a canvas
# converts any syntax, hex, rgb() or color(display-p3 ...), and blends a translucent one).
SRGB_OVER = """([css, under]) => { const canvas = document.createElement('canvas'); canvas.width = canvas.height = 1;
  const g = canvas.getContext('2d'); g.fillStyle = under; g.fillRect(0, 0, 1, 1); g.fillStyle = css; g.fillRect(0, 0, 1, 1);
  return Array.from(g.getImageData(0, 0, 1, 1).data); }"""
# The focused control's ring colour and the page's background (the root theme's, else white).
RING_AND_PAGE = """() => { const el = document.activeElement;
  const nodes = [el, el.closest('.rt-TextFieldRoot, .rt-TextAreaRoot')].filter(Boolean);
  let ring = null;
  for (const node of nodes) for (const pseudo of [null, '::before']) { const s = getComputedStyle(node, pseudo);
    if (!ring && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) ring = s.outlineColor; }
  const root = document.querySelector('.radix-themes[data-is-root-theme="true"]');
  const page = root ? getComputedStyle(root).backgroundColor : 'white';
  return {ring, page: page === 'rgba(0, 0, 0, 0)' ? 'white' : page}; }"""


def _luminance(rgb) -> float:
    def channel(byte: int) -> float:
        c = byte / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(page: Page, colour: str, background: str) -> float:
    """WCAG contrast of `colour` (blended over the background if translucent) against `background`."""
    a = _luminance(page.evaluate(SRGB_OVER, [colour, background]))
    b = _luminance(page.evaluate(SRGB_OVER, [background, "white"]))
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def test_focus_rings_and_hovered_links_keep_their_contrast_in_light_and_dark(new_context, app_server):
    token = secrets.token_hex(3)
    title = f"Contrast gig {token}"
    with app_session(app_server.data_dir) as session:
        gigs.create_gig(session, demo_manager(session), survey_gig(title))
        session.commit()
    for scheme in ("light", "dark"):
        page = new_context(viewport=PHONE, color_scheme=scheme).new_page()
        page.goto(f"/?q={title.replace(' ', '+')}")
        loaded(page)
        card_link = page.get_by_role("link", name=title)
        expect(card_link).to_be_visible()
        # Every stop on the board (header links, the search field and button, the gig card's
        # title, pagination, footer): a ring of 2 px or more, at least 3:1 against the page.
        keys = Keyboard(page)
        keys.tab_to("link", "Privacy")
        assert not keys.without_ring, f"{scheme}: no focus ring on {keys.without_ring}"
        # Then back through every stop to the first, the skip link (however many the page has).
        for _ in range(40):
            page.keyboard.press("Shift+Tab")
            focused = page.evaluate(FOCUSED)["label"]
            shown = page.evaluate(RING_AND_PAGE)
            assert shown["ring"], f"{scheme}: {focused} shows no ring"
            ratio = contrast(page, shown["ring"], shown["page"])
            assert ratio >= 3, f"{scheme}: the ring on {focused} is {ratio:.2f}:1 against the page"
            if "Skip to content" in focused:
                break
        else:
            raise AssertionError(f"{scheme}: 40 steps back from Privacy never reached the skip link")
        # Hovered links stay readable: a Radix link (the footer's) and a gig card's title.
        background = page.evaluate(RING_AND_PAGE)["page"]
        for link in (card_link, page.get_by_role("link", name="Help")):
            link.hover()
            colour = link.evaluate("(el) => getComputedStyle(el).color")
            ratio = contrast(page, colour, background)
            assert ratio >= 4.5, f"{scheme}: the hovered link {link} is {ratio:.2f}:1 against the page"

"""The help, terms and privacy pages (/help, /terms, /privacy): anyone may read them.

Each shows the center's own text (Markdown, set at /admin/settings or in the environment),
rendered as the gigs' scopes are (raw HTML shown as text, only http(s)/mailto/relative links,
no images), or, while the center has written none, a short general text in plain words about
what MicroGigs is and what it keeps (the privacy text follows services/privacy.py: what the
data download holds and what deleting an account wipes).
"""

from dataclasses import dataclass

from sqlmodel import Session

from microgigs.i18n import Text, _, translate
from microgigs.services import center
from microgigs.services.markdown import render_markdown

HELP, TERMS, PRIVACY = "help", "terms", "privacy"

DEFAULT_HELP = _("""\
{name} is where students find short, paid projects ("gigs") with employers the career center \
has checked, and where those employers find students.

## For students

- **Find a gig**: the board lists the open gigs. Filter by skill, pay or hours, and save the ones \
you like.
- **Apply**: write a short note on the gig's page. Many employers choose without seeing your school \
or year first.
- **Do the work**: once accepted, hand in your work on the engagement's page. The employer \
approves it or asks for changes.
- **Get paid**: you are paid when the work is approved. Set up payouts on the Earnings page.
- **Keep a record**: every finished gig becomes a credential anyone can check, and a line in your \
portfolio.

## For employers

- **Post a gig**: say what the work is, how long it takes and what it pays. The career center may \
review it before it is shown.
- **Choose fairly**: read the applications, shortlist, then accept. Everyone who applied hears the \
outcome.
- **Pay**: you pay when you accept a student; the money is held until you approve the work.

## Something wrong?

If a gig or an engagement goes wrong, open a dispute from the engagement's page: career-center \
staff read both sides and decide.
""")

DEFAULT_TERMS = _("""\
These are the general terms of {name}. The career center that runs this site may add its own.

- **Be honest.** Use your real name and an address you read. Do not apply for work you cannot \
do, and do not post work you will not pay for.
- **Pay is fixed before the work starts.** An employer pays the agreed amount (and the platform \
fee) when accepting a student. The money is held until the work is approved, then paid to the \
student.
- **Scope is fixed at acceptance.** Changes are asked for within the agreed revision rounds. Work \
not answered for some days may be approved automatically.
- **Disputes** are decided by career-center staff, who may pay the student in full, in part, or \
refund the employer.
- **No prohibited work.** Staff may take down a gig or close an account that breaks these terms \
or the law.
- **Credentials** say what was done and who approved it. They may be revoked if they were earned \
dishonestly.
""")

DEFAULT_PRIVACY = _("""\
{name} keeps only what it needs to run gigs and pay people.

## What is kept

- **Your account**: your name, email address, role, and a hash of your password (never the \
password itself).
- **Your profile**: photo, skills, availability, time zone and links; for students also school, \
major and graduation year, which an employer who reviews blind sees only once you are shortlisted.
- **Your work**: applications, engagements, what you hand in, reviews, credentials and \
notifications.
- **Sign-ins and activity**: your signed-in devices, and a log of what was done on the site and \
by whom, so that decisions can be checked later.
- **Payments**: amounts and their state. Card and bank details stay with the payment provider.

## Your choices

- **Download your data**: your account page gives you everything kept about you as one file.
- **Delete your account**: your name, email address, password, photo and profile are wiped and \
every sign-in ends. Records others rely on (payments, finished work, reviews) stay, without your \
name.
""")

_PAGES = {
    HELP: (_("Help"), "help_text", DEFAULT_HELP),
    TERMS: (_("Terms of use"), "terms_text", DEFAULT_TERMS),
    PRIVACY: (_("Privacy"), "privacy_text", DEFAULT_PRIVACY),
}


@dataclass(frozen=True)
class CenterPage:
    """One of the pages as a page shows it."""

    title: str
    html: str  # safe HTML (render_markdown)
    own_text: bool  # False: the general text, the center has written none
    center_name: str
    contact_email: str  # "": none to show


def page_title(which: str) -> str:
    """The page's title in English (its msgid: a page shows it translated)."""
    return _PAGES[which][0]


def center_page(session: Session, which: str, language: str = "en") -> CenterPage:
    """The help, terms or privacy page (`which`: HELP, TERMS or PRIVACY) as it reads now: the
    center's own text as its admin wrote it, or our general text in `language`."""
    title, field, default = _PAGES[which]
    shown = center.current(session)
    text = getattr(shown, field).strip()
    # The name is put in as text: a name like "*Uni* Careers" must not turn into formatting.
    markdown = text or translate(language, Text(default)).format(name=_as_text(shown.name))
    return CenterPage(
        title=translate(language, Text(title)),
        html=render_markdown(markdown),
        own_text=bool(text),
        center_name=shown.name,
        contact_email=shown.contact_email,
    )


def _as_text(value: str) -> str:
    """Markdown that reads as `value` itself (each punctuation mark escaped; "<" is made inert by
    render_markdown itself)."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!|~&" else c for c in value)

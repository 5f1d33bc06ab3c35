"""The student's opt-in public portfolio at /p/<handle>: finished gigs with their
credentials, endorsements, ratings, and the deliverables both sides allowed to be shown.

Private by default. A private, unknown or deleted handle gives the same NotFound, so a
visitor cannot tell whether a student exists. The public record carries no email and no
pedigree (school, major, graduation year, first-generation status).
"""

import re
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from microgigs.i18n import DEFAULT, _, format_date, gettext, msg, ngettext
from microgigs.models import Credential, Engagement, Gig, Organization, Portfolio, StudentProfile, User, utcnow
from microgigs.services import audit, evidence, policy, reviews
from microgigs.services.errors import NotFound
from microgigs.services.gigs import skill_names_by_gig
from microgigs.services.validation import ValidationFailed, clean_text
from microgigs.settings import get_settings

HANDLE_MIN, HANDLE_MAX = 3, 30
# Lower-case letters, digits and single hyphens; starts with a letter, ends with a letter or digit.
_HANDLE = re.compile(r"^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$")
# Words a handle may not be: they name the platform, its people or its pages, so a page
# at /p/<handle> could pass for an official one.
RESERVED = frozenset(
    """
    about account admin administrator api app auth billing career-center careercenter credential credentials
    dashboard disputes employer employers evidence files gigs help home insights login logout me microgigs
    moderation new notifications null official organization p portfolio privacy profile register root saved
    security settings signin signout signup staff static student students support system terms undefined verify
    www
    """.split()
)


@dataclass
class PortfolioSettings:
    handle: str
    is_public: bool
    share_url: str  # "" until a handle is chosen


@dataclass
class PortfolioGig:
    title: str
    employer: str
    completed_on: str
    hours: int
    skills: list[str]
    credential_url: str  # the public verification page (a path on this site)
    evidence_url: str  # the credential's evidence page
    rating: str  # "4.7 of 5" from the employer's published review, or ""
    deliverables_shown: bool
    deliverable_note: str = ""
    deliverable_link: str = ""
    files: list[evidence.PublicFile] = field(default_factory=list)
    deliverable_note_html: str = ""  # safe HTML (render_markdown, by the evidence view)


@dataclass
class Endorsement:
    skill: str
    count: int


@dataclass
class PublicPortfolio:
    handle: str
    name: str
    headline: str
    skills: list[str]
    average_rating: str  # "4.5 of 5 from 3 reviews", or ""
    endorsements: list[Endorsement]
    gigs: list[PortfolioGig]


def share_url(handle: str) -> str:
    return f"{get_settings().public_url.rstrip('/')}/p/{handle}"


def handle_problem(handle: str) -> str:
    """Why a (lower-cased) handle cannot be used, or "" when its form is fine."""
    if not handle:
        return msg("Choose a handle for your portfolio's address.")
    if not HANDLE_MIN <= len(handle) <= HANDLE_MAX:
        return msg("Use {min} to {max} characters (you have {count}).", min=HANDLE_MIN, max=HANDLE_MAX, count=len(handle))
    if not _HANDLE.match(handle):
        return msg("Use lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen.")
    if handle in RESERVED or handle.replace("-", "") in RESERVED:
        return msg("“{handle}” is reserved; choose another handle.", handle=handle)
    return ""


def settings_of(session: Session, actor: User | None) -> PortfolioSettings:
    policy.require(policy.may_keep_portfolio(actor), _("Only students keep a portfolio."))
    row = session.get(Portfolio, actor.id)
    if row is None:
        return PortfolioSettings(handle="", is_public=False, share_url="")
    return PortfolioSettings(handle=row.handle, is_public=row.is_public, share_url=share_url(row.handle))


def save_settings(session: Session, actor: User | None, handle: str, is_public: bool) -> PortfolioSettings:
    """Choose or change the handle and publish or hide the page. Nothing is stored when the
    handle is refused."""
    policy.require(policy.may_keep_portfolio(actor), _("Only students keep a portfolio."))
    handle = clean_text(handle).lower()
    if problem := handle_problem(handle):
        raise ValidationFailed({"handle": problem})
    taken = session.exec(select(Portfolio.user_id).where(Portfolio.handle == handle, Portfolio.user_id != actor.id)).first()
    if taken is not None:
        raise ValidationFailed({"handle": msg("“{handle}” is taken; choose another handle.", handle=handle)})
    row = session.get(Portfolio, actor.id)
    before = (row.handle, row.is_public) if row else ("", False)
    row = row or Portfolio(user_id=actor.id, handle=handle)
    row.handle, row.is_public, row.updated_at = handle, bool(is_public), utcnow()
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # another student took it a moment ago
        raise ValidationFailed({"handle": msg("“{handle}” is taken; choose another handle.", handle=handle)}) from None
    if before != (row.handle, row.is_public):
        audit.record(session, actor, "portfolio.saved", "user", actor.id, handle=handle, public=row.is_public)
    return PortfolioSettings(handle=row.handle, is_public=row.is_public, share_url=share_url(row.handle))


def _day(value, language: str) -> str:
    """A day as the reader's language writes it ("Dec 26, 2026" / "26 dic 2026")."""
    return format_date(value, language)


def _finished_gigs(session: Session, student_id: int) -> list[tuple[Engagement, Gig, Credential]]:
    """Approved or paid engagements whose credential stands (a revoked one is left out)."""
    rows = session.exec(
        select(Engagement, Gig, Credential)
        .join(Gig, Gig.id == Engagement.gig_id)
        .join(Credential, Credential.engagement_id == Engagement.id)
        .where(Engagement.student_id == student_id, Engagement.status.in_(evidence.FINISHED), Credential.revoked_at.is_(None))
        .order_by(Engagement.approved_at.desc(), Engagement.id.desc())
    ).all()
    return list(rows)


def _rating_text(scores: list[int], language: str = DEFAULT) -> str:
    if not scores:
        return ""
    average = f"{sum(scores) / len(scores):.1f}"
    return gettext(language, "{rating} of 5", rating=average if language == DEFAULT else average.replace(".", ","))


def public_portfolio(session: Session, handle: str, language: str = DEFAULT) -> PublicPortfolio:
    """The public page for anyone (signed in or not); NotFound unless the student published it.
    Dates and ratings are written for `language`."""
    row = session.exec(select(Portfolio).where(Portfolio.handle == clean_text(handle).lower()[:HANDLE_MAX])).first()
    student = session.get(User, row.user_id) if row else None
    if row is None or not row.is_public or student is None or not student.is_active or student.deleted_at is not None:
        raise NotFound("That portfolio")
    finished = _finished_gigs(session, student.id)
    skills_by_gig = skill_names_by_gig(session, [gig.id for _e, gig, _c in finished])
    now = utcnow()
    published_reviews = reviews.published_reviews_of_student(session, student.id, now)
    gigs, all_scores = [], []
    for engagement, gig, credential in finished:
        review = published_reviews.get(engagement.id)
        scores = [s for s in (review.rating_1, review.rating_2, review.rating_3) if s is not None] if review else []
        all_scores += scores
        item = PortfolioGig(
            title=gig.title,
            employer=session.get(Organization, gig.organization_id).name,
            completed_on=_day(engagement.approved_at, language) if engagement.approved_at else "",
            hours=gig.estimated_hours,
            skills=skills_by_gig.get(gig.id, []),
            credential_url=f"/verify?id={credential.public_id}",
            evidence_url=f"/evidence/{credential.public_id}",
            rating=_rating_text(scores, language),
            deliverables_shown=False,
        )
        shown = evidence.evidence_view(session, credential.public_id, language)
        if shown.shown:
            item.deliverables_shown = True
            item.deliverable_note, item.deliverable_link, item.files = shown.note, shown.link, shown.files
            item.deliverable_note_html = shown.note_html
        gigs.append(item)
    endorsements = reviews.student_endorsements(session, student.id, now)
    reviewed = sum(1 for e, _g, _c in finished if e.id in published_reviews)
    profile = session.get(StudentProfile, student.id)
    return PublicPortfolio(
        handle=row.handle,
        name=student.display_name,
        headline=profile.headline if profile else "",  # the only profile field read: no pedigree
        skills=sorted({s for g in gigs for s in g.skills}),
        average_rating=ngettext(
            language, "{rating} from {count} review", "{rating} from {count} reviews", reviewed, rating=_rating_text(all_scores, language)
        )
        if all_scores
        else "",
        endorsements=[Endorsement(skill=k, count=v) for k, v in sorted(endorsements.items(), key=lambda kv: (-kv[1], kv[0]))],
        gigs=gigs,
    )


@dataclass
class FinishedWork:
    """One finished gig on the student's own settings page, with its two public-evidence keys."""

    engagement_id: int
    title: str
    employer: str
    credential_url: str
    employer_allows: bool
    student_shows: bool


def finished_work(session: Session, actor: User | None) -> list[FinishedWork]:
    """What the public page lists for the signed-in student (their own, even while private)."""
    policy.require(policy.may_keep_portfolio(actor), _("Only students keep a portfolio."))
    items = []
    for engagement, gig, credential in _finished_gigs(session, actor.id):
        sharing = evidence.sharing_of(session, engagement.id)
        items.append(
            FinishedWork(
                engagement_id=engagement.id,
                title=gig.title,
                employer=session.get(Organization, gig.organization_id).name,
                credential_url=f"/verify?id={credential.public_id}",
                employer_allows=sharing.employer_allows,
                student_shows=sharing.student_shows,
            )
        )
    return items

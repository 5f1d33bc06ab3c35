"""Evidence visibility: whether the approved deliverables of one engagement may be shown
to the public (on the credential's evidence page and the student's portfolio).

Two keys open it: the employer (a manager of the gig) allows it, and the student chooses
to show them. Private by default; either side can close it again at any time. Only the
approved version is ever shown, and never for a revoked credential.
"""

from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from microgigs.i18n import DEFAULT, format_date, msg
from microgigs.models import Credential, Engagement, EvidenceSharing, Gig, Organization, Submission, SubmissionFile, User, utcnow
from microgigs.services import audit, changes, notifications, policy
from microgigs.services.engagements import file_store
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.markdown import render_markdown
from microgigs.services.statuses import EngagementStatus

FINISHED = (EngagementStatus.APPROVED, EngagementStatus.PAID)


@dataclass
class SharingStatus:
    employer_allows: bool
    student_shows: bool

    @property
    def public(self) -> bool:
        return self.employer_allows and self.student_shows


@dataclass
class PublicFile:
    id: int
    name: str
    href: str


@dataclass
class EvidenceView:
    """What the public evidence page of a credential shows."""

    public_id: str
    title: str
    employer: str
    approved_on: str
    revoked: bool
    shown: bool  # both sides allowed it: the deliverables below are public
    note: str = ""
    link: str = ""
    files: list[PublicFile] = field(default_factory=list)
    note_html: str = ""  # safe HTML (render_markdown)


def sharing_of(session: Session, engagement_id: int) -> SharingStatus:
    row = session.get(EvidenceSharing, engagement_id)
    return SharingStatus(employer_allows=bool(row and row.employer_allows), student_shows=bool(row and row.student_shows))


def _row(session: Session, engagement_id: int) -> EvidenceSharing:
    return session.get(EvidenceSharing, engagement_id) or EvidenceSharing(engagement_id=engagement_id)


def _finished(session: Session, engagement_id: int) -> tuple[Engagement, Gig]:
    engagement = session.get(Engagement, engagement_id)
    if engagement is None:
        raise NotFound("That engagement")
    return engagement, session.get(Gig, engagement.gig_id)


def set_employer_permission(session: Session, actor: User, engagement_id: int, allow: bool) -> SharingStatus:
    """A manager of the gig allows (or stops) showing the approved deliverables publicly."""
    engagement, gig = _finished(session, engagement_id)
    if not policy.may_allow_public_evidence(session, actor, gig):
        raise NotFound("That engagement")
    if engagement.status not in FINISHED:
        raise DomainError("Decide on showing the deliverables once the work is approved.")
    row = _row(session, engagement.id)
    if row.employer_allows == allow:
        return sharing_of(session, engagement.id)
    row.employer_allows, row.employer_decided_by_id, row.updated_at = allow, actor.id, utcnow()
    session.add(row)
    session.flush()
    audit.record(session, actor, "evidence.employer_allowed" if allow else "evidence.employer_withdrew", "engagement", engagement.id)
    changes.touch(session, f"engagement:{engagement.id}")  # the student's open workspace shows it at once
    if allow:
        employer = session.get(Organization, gig.organization_id).name
        notifications.notify(
            session,
            engagement.student_id,
            "evidence.allowed",
            msg("{employer} allows you to show your work on {title} publicly", employer=employer, title=gig.title),
            "/portfolio",
        )
    return sharing_of(session, engagement.id)


def set_student_choice(session: Session, actor: User, engagement_id: int, show: bool) -> SharingStatus:
    """The student shows (or hides) their approved deliverables on their public pages."""
    engagement, _gig = _finished(session, engagement_id)
    if not policy.may_show_own_evidence(actor, engagement):
        raise NotFound("That engagement")
    if engagement.status not in FINISHED:
        raise DomainError("You can show your deliverables once the work is approved.")
    row = _row(session, engagement.id)
    if row.student_shows == show:
        return sharing_of(session, engagement.id)
    row.student_shows, row.updated_at = show, utcnow()
    session.add(row)
    session.flush()
    audit.record(session, actor, "evidence.student_shown" if show else "evidence.student_hidden", "engagement", engagement.id)
    changes.touch(session, f"engagement:{engagement.id}")
    return sharing_of(session, engagement.id)


def approved_submission(session: Session, engagement_id: int) -> Submission | None:
    return session.exec(
        select(Submission)
        .where(Submission.engagement_id == engagement_id, Submission.decision == "approved")
        .order_by(Submission.version.desc())
    ).first()


def _is_public(session: Session, engagement: Engagement, credential: Credential | None) -> bool:
    return (
        engagement.status in FINISHED
        and credential is not None
        and credential.revoked_at is None
        and sharing_of(session, engagement.id).public
    )


def public_files(session: Session, credential: Credential, submission: Submission) -> list[PublicFile]:
    rows = session.exec(select(SubmissionFile).where(SubmissionFile.submission_id == submission.id).order_by(SubmissionFile.id))
    return [PublicFile(id=f.id, name=f.original_name, href=f"/evidence/{credential.public_id}/files/{f.id}") for f in rows]


def evidence_view(session: Session, public_id: str, language: str = DEFAULT) -> EvidenceView:
    """The credential's evidence page (anyone): the approved deliverables when both sides
    allowed it, otherwise only that the work was approved (its date written for `language`)."""
    credential = session.exec(select(Credential).where(Credential.public_id == (public_id or "")[:40])).first()
    if credential is None:
        raise NotFound("That credential")
    engagement = session.get(Engagement, credential.engagement_id)
    gig = session.get(Gig, engagement.gig_id)
    view = EvidenceView(
        public_id=credential.public_id,
        title=gig.title,
        employer=session.get(Organization, gig.organization_id).name,
        approved_on=_day(engagement.approved_at, language) if engagement.approved_at else "",
        revoked=credential.revoked_at is not None,
        shown=False,
    )
    submission = approved_submission(session, engagement.id)
    if submission is not None and _is_public(session, engagement, credential):
        view.shown = True
        view.note, view.link = submission.note, submission.link
        view.note_html = render_markdown(submission.note)
        view.files = public_files(session, credential, submission)
    return view


def _day(value, language: str) -> str:
    """A day as the reader's language writes it ("Dec 26, 2026" / "26 dic 2026")."""
    return format_date(value, language)


def public_file(session: Session, public_id: str, file_id: int) -> tuple[SubmissionFile, Path]:
    """A file of a public deliverable, for anyone; the same NotFound otherwise (a private file
    is not even confirmed to exist)."""
    credential = session.exec(select(Credential).where(Credential.public_id == (public_id or "")[:40])).first()
    row = session.get(SubmissionFile, file_id)
    if credential is None or row is None:
        raise NotFound("That file")
    engagement = session.get(Engagement, credential.engagement_id)
    submission = approved_submission(session, engagement.id)
    if submission is None or row.submission_id != submission.id or not _is_public(session, engagement, credential):
        raise NotFound("That file")
    return row, file_store().path_of(row.stored_name)

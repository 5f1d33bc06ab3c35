"""What each person's pages show, read in one place and shaped as small plain records.

Blind review lives here too: while a gig's review is blind and an application is
still only submitted, the manager's record carries no name, email or pedigree at all,
so nothing hidden can ever reach the manager's browser.
"""

from dataclasses import dataclass, field
from datetime import UTC
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, select

from microgigs import i18n
from microgigs.i18n import DEFAULT, _, format_date, gettext, msg, translate
from microgigs.models import (
    Application,
    ApplicationAnswer,
    Engagement,
    EngagementMessage,
    EngagementPayment,
    ExtensionRequest,
    Gig,
    Milestone,
    Organization,
    ScreeningQuestion,
    Skill,
    StudentProfile,
    StudentSkill,
    Submission,
    SubmissionFile,
    User,
)
from microgigs.services import (
    disputes,
    engagements,
    evidence,
    hiring,
    milestones,
    notifications,
    payments,
    policy,
    reviews,
    view_log,
)
from microgigs.services.amounts import format_cents
from microgigs.services.engagement_lifecycle import UNFINISHED
from microgigs.services.engagements import get_engagement
from microgigs.services.errors import NotFound
from microgigs.services.markdown import render_markdown
from microgigs.services.statuses import ApplicationStatus, EngagementStatus
from microgigs.settings import get_settings


@dataclass
class ApplicationRow:
    id: int
    gig_id: int
    gig_title: str
    employer: str
    status: str
    feedback: str
    applied_on: str


@dataclass
class EngagementRow:
    id: int
    gig_id: int
    gig_title: str
    student_name: str
    employer: str
    status: str
    pay: str
    due_date: str
    # Try before you hire: "Invited to interview" / "Offer made" after the gig, or "".
    hiring: str = ""


@dataclass
class StudentDashboard:
    applications: list[ApplicationRow]
    engagements: list[EngagementRow]


@dataclass
class ManagerGigRow:
    id: int
    title: str
    status: str
    slots: int
    filled_slots: int
    applicants: int
    pay: str
    application_deadline: str
    employer: str = ""  # which of the manager's organizations posted it


@dataclass
class ManagerDashboard:
    organization: str
    organization_status: str
    gigs: list[ManagerGigRow]
    to_review: list[EngagementRow]
    # Every organization the manager belongs to (the first is `organization`).
    organizations: list[str] = field(default_factory=list)


@dataclass
class AnswerView:
    question: str
    answer: str


@dataclass
class ApplicantView:
    """One applicant as a manager sees them. Hidden fields are empty, not merely not drawn."""

    application_id: int
    label: str  # "Applicant 7" under blind review, else the student's name
    revealed: bool
    status: str
    note: str
    sample_links: list[str]
    skills: list[str]
    answers: list[AnswerView]
    hours_per_week: int
    email: str = ""
    school: str = ""
    major: str = ""
    graduation_year: str = ""
    engagement_id: int = 0  # the workspace of an accepted applicant
    note_html: str = ""  # the note as safe HTML (render_markdown)


@dataclass
class GigApplicants:
    gig_id: int
    gig_title: str
    gig_status: str
    blind_review: bool
    slots: int
    filled_slots: int
    applicants: list[ApplicantView]
    scope_html: str = ""  # the gig's scope as safe HTML (render_markdown), to weigh applicants against


@dataclass
class FileView:
    id: int
    name: str
    size: str


@dataclass
class SubmissionView:
    version: int
    note: str
    link: str
    submitted_at: str
    decision: str
    decision_comment: str
    files: list[FileView] = field(default_factory=list)
    # The note and the manager's comment as safe HTML (render_markdown), drawn like every markdown.
    note_html: str = ""
    decision_comment_html: str = ""


@dataclass
class MessageView:
    id: int
    author: str
    body: str
    sent_at: str
    mine: bool
    body_html: str = ""  # safe HTML (render_markdown)


@dataclass
class ExtensionView:
    id: int
    requested_by: str  # "student" | "employer"
    old_due_date: str
    new_due_date: str
    reason: str
    status: str
    asked_at: str
    viewer_may_answer: bool


@dataclass
class MilestoneView:
    id: int
    title: str
    due_date: str
    status: str  # open | done | not_done
    note: str
    checked_in_at: str
    overdue: bool  # past its date and not done


@dataclass
class WorkspaceActions:
    """What the viewer may do in the workspace now, decided here from the engagement's status,
    who the viewer is in it and the rules' own status lists. The page shows a form or a link
    only when its flag is set; each service call still checks for itself."""

    may_submit: bool = False  # the student hands in a version
    may_review: bool = False  # a manager approves the waiting version (or sends it back)
    may_request_changes: bool = False  # ... sending it back: a revision round is left
    may_post_messages: bool = False  # the thread is open
    may_request_extension: bool = False  # either side, while no request waits for an answer
    may_cancel: bool = False  # a manager or staff, while the work is unfinished
    may_plan_milestones: bool = False  # a manager adds check-in points
    may_check_in: bool = False  # the student checks in on them
    after_the_gig: bool = False  # approved: try before you hire, public deliverables
    reviews_open: bool = False  # the work has ended: the two-way reviews (their page checks who)
    disputes_open: bool = False  # the work is under way: a dispute may be opened (its page checks who)


@dataclass
class EngagementView:
    id: int
    gig_id: int
    gig_title: str
    employer: str
    student_name: str
    status: str
    scope: str
    pay: str
    fee: str
    due_date: str
    payment_label: str
    revision_rounds_used: int
    max_revision_rounds: int
    viewer_is_student: bool
    viewer_manages: bool
    submissions: list[SubmissionView]
    messages: list[MessageView] = field(default_factory=list)
    extensions: list[ExtensionView] = field(default_factory=list)
    actions: WorkspaceActions = field(default_factory=WorkspaceActions)
    # Try before you hire (dates as YYYY-MM-DD, "" when not yet).
    interview_invited_on: str = ""
    offer_made_on: str = ""
    scope_html: str = ""  # the locked scope as safe HTML (render_markdown)
    # Public evidence: both keys must be turned for the approved deliverables to be shown.
    evidence_employer_allows: bool = False
    evidence_student_shows: bool = False
    # Where the money stands while the engagement waits on it (funding, or an approved payout).
    payment_note: str = ""
    milestones: list[MilestoneView] = field(default_factory=list)


def _payment_note(session: Session, engagement: Engagement, language: str = DEFAULT) -> str:
    if engagement.status not in (EngagementStatus.FUNDING, EngagementStatus.APPROVED):
        return ""
    row = session.get(EngagementPayment, engagement.id)
    if row is None:
        return ""
    label = payments.payment_label(row, language)
    return gettext(language, "Payment: {label}. {message}", label=label, message=payments.stored_message(language, row.message)).strip()


def _day(value, language: str) -> str:
    """A day on a dashboard row as the reader's language writes it ("Dec 26, 2026" / "26 dic 2026")."""
    return format_date(value, language)


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"


def hiring_step(engagement: Engagement, language: str = DEFAULT) -> str:
    """Where try-before-you-hire stands, in words ("" before any step), in `language`."""
    if engagement.offer_made_at is not None:
        return translate(language, msg("Offer made"))
    if engagement.interview_invited_at is not None:
        return translate(language, msg("Invited to interview"))
    return ""


def _engagement_rows(session: Session, engagements: list[Engagement], language: str = DEFAULT) -> list[EngagementRow]:
    rows = []
    for e in engagements:
        gig = session.get(Gig, e.gig_id)
        rows.append(
            EngagementRow(
                id=e.id,
                gig_id=gig.id,
                gig_title=gig.title,
                student_name=session.get(User, e.student_id).display_name,
                employer=session.get(Organization, gig.organization_id).name,
                status=e.status,
                pay=format_cents(e.pay_cents, e.currency, language),
                due_date=_day(e.due_date, language),
                hiring=hiring_step(e, language),
            )
        )
    return rows


def student_dashboard(session: Session, actor: User, language: str = DEFAULT) -> StudentDashboard:
    """A student's applications and engagements, dates and pay written for `language`."""
    policy.require(policy.is_student(actor), _("This dashboard is for students."))
    apps = session.exec(
        select(Application, Gig, Organization.name)
        .join(Gig, Gig.id == Application.gig_id)
        .join(Organization, Organization.id == Gig.organization_id)
        .where(Application.student_id == actor.id)
        .order_by(Application.created_at.desc())
    ).all()
    engagements = session.exec(select(Engagement).where(Engagement.student_id == actor.id).order_by(Engagement.created_at.desc())).all()
    return StudentDashboard(
        applications=[
            ApplicationRow(
                id=a.id,
                gig_id=g.id,
                gig_title=g.title,
                employer=org,
                status=a.status,
                feedback=a.feedback,
                applied_on=_day(a.created_at.date(), language),
            )
            for a, g, org in apps
        ],
        engagements=_engagement_rows(session, list(engagements), language),
    )


def manager_dashboard(session: Session, actor: User, language: str = DEFAULT) -> ManagerDashboard:
    """The gigs and waiting submissions of every organization the manager belongs to (dates and
    pay written for `language`)."""
    org_ids = policy.organization_ids_managed_by(session, actor)
    policy.require(bool(org_ids), _("This dashboard is for employer managers."))
    orgs = sorted((session.get(Organization, i) for i in org_ids), key=lambda o: o.id)
    names = {o.id: o.name for o in orgs}
    gigs = session.exec(select(Gig).where(Gig.organization_id.in_(org_ids)).order_by(Gig.created_at.desc())).all()
    counts: dict[int, int] = {}
    for gig_id in session.exec(select(Application.gig_id).join(Gig).where(Gig.organization_id.in_(org_ids))):
        counts[gig_id] = counts.get(gig_id, 0) + 1
    to_review = session.exec(
        select(Engagement)
        .join(Gig, Gig.id == Engagement.gig_id)
        .where(Gig.organization_id.in_(org_ids), Engagement.status == EngagementStatus.SUBMITTED)
        .order_by(Engagement.submitted_at)
    ).all()
    return ManagerDashboard(
        organization=orgs[0].name,
        organization_status=orgs[0].status,
        organizations=[o.name for o in orgs],
        gigs=[
            ManagerGigRow(
                id=g.id,
                title=g.title,
                status=g.status,
                slots=g.slots,
                filled_slots=g.filled_slots,
                applicants=counts.get(g.id, 0),
                pay=format_cents(g.pay_cents, g.currency, language),
                application_deadline=_day(g.application_deadline, language),
                employer=names[g.organization_id],
            )
            for g in gigs
        ],
        to_review=_engagement_rows(session, list(to_review), language),
    )


def gig_applicants(session: Session, actor: User, gig_id: int, *, record_view: bool = False) -> GigApplicants:
    """A gig's applicants for its managers, blind where the gig says so.

    With record_view (a person opened the page, not a live reload) each applicant shown is a
    view in the audit log, noting whether their name and pedigree were revealed."""
    gig = session.get(Gig, gig_id)
    if gig is None or not policy.manages_gig(session, actor, gig):
        raise NotFound("That gig")
    applications = session.exec(select(Application).where(Application.gig_id == gig.id).order_by(Application.anonymous_number)).all()
    questions = {q.id: q.text for q in session.exec(select(ScreeningQuestion).where(ScreeningQuestion.gig_id == gig.id))}
    engagement_ids = dict(session.exec(select(Engagement.application_id, Engagement.id).where(Engagement.gig_id == gig.id)).all())
    views = []
    for a in applications:
        student = session.get(User, a.student_id)
        profile = session.get(StudentProfile, a.student_id) or StudentProfile(user_id=a.student_id)
        skills = list(
            session.exec(
                select(Skill.name)
                .join(StudentSkill, StudentSkill.skill_id == Skill.id)
                .where(StudentSkill.user_id == a.student_id)
                .order_by(Skill.name)
            )
        )
        answers = [
            AnswerView(question=questions.get(ans.question_id, ""), answer=ans.answer)
            for ans in session.exec(select(ApplicationAnswer).where(ApplicationAnswer.application_id == a.id))
        ]
        revealed = not gig.blind_review or a.status in (ApplicationStatus.SHORTLISTED, ApplicationStatus.ACCEPTED)
        view = ApplicantView(
            application_id=a.id,
            label=student.display_name if revealed else f"Applicant {a.anonymous_number}",
            revealed=revealed,
            status=a.status,
            note=a.note,
            note_html=render_markdown(a.note),
            sample_links=[link for link in a.sample_links.splitlines() if link],
            skills=skills,
            answers=answers,
            hours_per_week=profile.hours_per_week,
            engagement_id=engagement_ids.get(a.id, 0),
        )
        if revealed:
            view.email = student.email
            view.school = profile.school
            view.major = profile.major
            view.graduation_year = str(profile.graduation_year or "")
        views.append(view)
    if record_view:
        view_log.record_views(
            session,
            actor,
            "applicant",
            [
                ("user", a.student_id, {"application_id": a.id, "gig_id": gig.id, "revealed": v.revealed})
                for a, v in zip(applications, views, strict=True)
            ],
        )
    return GigApplicants(
        gig_id=gig.id,
        gig_title=gig.title,
        gig_status=gig.status,
        blind_review=gig.blind_review,
        slots=gig.slots,
        filled_slots=gig.filled_slots,
        applicants=views,
        scope_html=render_markdown(gig.scope),
    )


def engagement_view(
    session: Session, actor: User, engagement_id: int, *, record_view: bool = False, language: str = "en", tz_name: str | None = None
) -> EngagementView:
    """Everything the workspace shows. With record_view (a person opened the page), a
    manager's or staff member's visit is a view of the student in the audit log. Days, moments
    and amounts are written for `language`; moments in the zone `tz_name` (the viewer's), named."""
    # Hold the gig while the access check runs, so the check's look-up of it is the only one
    # (SQLAlchemy's identity map forgets rows nobody holds).
    found = session.get(Engagement, engagement_id)
    held_gig = session.get(Gig, found.gig_id) if found is not None else None  # noqa: F841
    engagement = get_engagement(session, actor, engagement_id)
    if record_view:
        view_log.record_view(session, actor, "workspace", "user", engagement.student_id, engagement_id=engagement.id)
    gig = session.get(Gig, engagement.gig_id)
    # Asked once: every live push to an open workspace runs this again.
    manages = policy.manages_gig(session, actor, gig)
    employer, student_name = session.exec(
        select(Organization.name, User.display_name)
        .join(User, User.id == engagement.student_id)
        .where(Organization.id == gig.organization_id)
    ).one()
    submissions = session.exec(
        select(Submission).where(Submission.engagement_id == engagement.id).order_by(Submission.version.desc())
    ).all()
    files_by_submission: dict[int, list[FileView]] = {s.id: [] for s in submissions}
    if submissions:
        for f in session.exec(select(SubmissionFile).where(SubmissionFile.submission_id.in_(list(files_by_submission)))):
            files_by_submission[f.submission_id].append(FileView(id=f.id, name=f.original_name, size=_human_size(f.size_bytes)))
    gateway = get_settings().payment_gateway
    sharing = evidence.sharing_of(session, engagement.id)
    extensions = _extensions(session, actor, engagement, manages, language, tz_name)
    return EngagementView(
        id=engagement.id,
        gig_id=gig.id,
        gig_title=gig.title,
        employer=employer,
        student_name=student_name,
        status=engagement.status,
        scope=engagement.scope_snapshot,
        scope_html=render_markdown(engagement.scope_snapshot),
        pay=i18n.format_money(engagement.pay_cents, engagement.currency, language),
        fee=i18n.format_money(engagement.fee_cents, engagement.currency, language),
        due_date=i18n.format_date(engagement.due_date, language),
        payment_label=i18n.gettext(language, "demo payments — no money moves") if gateway == "demo" else "",
        payment_note=_payment_note(session, engagement, language),
        revision_rounds_used=engagement.revision_rounds_used,
        max_revision_rounds=engagement.max_revision_rounds,
        viewer_is_student=actor.id == engagement.student_id,
        viewer_manages=manages,
        submissions=[
            SubmissionView(
                version=s.version,
                note=s.note,
                note_html=render_markdown(s.note),
                link=s.link,
                submitted_at=i18n.format_datetime(s.created_at, language, tz_name),
                decision=s.decision,
                decision_comment=s.decision_comment,
                decision_comment_html=render_markdown(s.decision_comment),
                files=files_by_submission[s.id],
            )
            for s in submissions
        ],
        messages=_messages(session, actor, engagement.id, language, tz_name),
        extensions=extensions,
        actions=_workspace_actions(actor, engagement, manages, has_submission=bool(submissions), extensions=extensions),
        interview_invited_on=_day_in_zone(engagement.interview_invited_at, language, tz_name),
        offer_made_on=_day_in_zone(engagement.offer_made_at, language, tz_name),
        evidence_employer_allows=sharing.employer_allows,
        evidence_student_shows=sharing.student_shows,
        milestones=_milestones(session, engagement, language, tz_name),
    )


def _workspace_actions(
    actor: User, engagement: Engagement, manages: bool, *, has_submission: bool, extensions: list[ExtensionView]
) -> WorkspaceActions:
    """Which of the workspace's steps the viewer may take now (no database reads: every push runs this)."""
    status = engagement.status
    is_student = actor.id == engagement.student_id
    may_review = manages and status in engagements.AWAITING_REVIEW and has_submission
    waiting = any(x.status == "pending" for x in extensions)
    return WorkspaceActions(
        may_submit=is_student and status in engagements.SUBMITTABLE,
        may_review=may_review,
        may_request_changes=may_review and engagement.revision_rounds_used < engagement.max_revision_rounds,
        may_post_messages=status not in engagements.THREAD_CLOSED,
        may_request_extension=(is_student or manages) and status in UNFINISHED and not waiting,
        may_cancel=(manages or policy.is_staff(actor)) and status in UNFINISHED,
        may_plan_milestones=manages and status in milestones.PLANNABLE,
        may_check_in=is_student and status in milestones.CHECKABLE,
        after_the_gig=status in hiring.FINISHED,
        reviews_open=status in reviews.ENDED,
        disputes_open=status in disputes.OPENABLE,
    )


def _day_in_zone(moment, language: str, tz_name: str | None) -> str:
    """The day of a stored moment (UTC) in the viewer's zone, for `language`; "" for none."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return i18n.format_date(moment.astimezone(_zone(tz_name)), language)


def _zone(tz_name: str | None):
    try:
        return ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _milestones(session: Session, engagement: Engagement, language: str = "en", tz_name: str | None = None) -> list[MilestoneView]:
    """The check-in points, soonest first, each with the student's latest check-in."""
    from datetime import date

    today = date.today()
    rows = session.exec(select(Milestone).where(Milestone.engagement_id == engagement.id).order_by(Milestone.due_date, Milestone.id)).all()
    return [
        MilestoneView(
            id=m.id,
            title=m.title,
            due_date=i18n.format_date(m.due_date, language),
            status=m.status,
            note=m.checkin_note,
            checked_in_at=i18n.format_datetime(m.checked_in_at, language, tz_name) if m.checked_in_at else "",
            overdue=m.status != "done" and m.due_date < today,
        )
        for m in rows
    ]


def _extensions(
    session: Session, actor: User, engagement: Engagement, manages: bool, language: str = "en", tz_name: str | None = None
) -> list[ExtensionView]:
    """Every due-date request, newest first; the other side of a pending one may answer it."""

    rows = session.exec(
        select(ExtensionRequest).where(ExtensionRequest.engagement_id == engagement.id).order_by(ExtensionRequest.id.desc())
    ).all()
    is_student = actor.id == engagement.student_id
    return [
        ExtensionView(
            id=r.id,
            requested_by="student" if r.requested_by_student else "employer",
            old_due_date=i18n.format_date(r.old_due_date, language),
            new_due_date=i18n.format_date(r.new_due_date, language),
            reason=r.reason,
            status=r.status,
            asked_at=i18n.format_datetime(r.created_at, language, tz_name),
            viewer_may_answer=r.status == "pending"
            and ((r.requested_by_student and manages) or (not r.requested_by_student and is_student)),
        )
        for r in rows
    ]


def _messages(session: Session, actor: User, engagement_id: int, language: str = "en", tz_name: str | None = None) -> list[MessageView]:
    """The workspace thread, oldest first, with each author's display name."""

    rows = session.exec(
        select(EngagementMessage, User.display_name)
        .join(User, User.id == EngagementMessage.author_id)
        .where(EngagementMessage.engagement_id == engagement_id)
        .order_by(EngagementMessage.created_at, EngagementMessage.id)
    ).all()
    return [
        MessageView(
            id=m.id,
            author=name,
            body=m.body,
            body_html=render_markdown(m.body),
            sent_at=i18n.format_datetime(m.created_at, language, tz_name),
            mine=m.author_id == actor.id,
        )
        for m, name in rows
    ]


@dataclass
class NotificationRow:
    id: int
    title: str
    link: str
    created_at: str
    unread: bool


def notification_center(session: Session, actor: User, language: str = i18n.DEFAULT) -> list[NotificationRow]:
    """The actor's own notifications, newest first (a link is only ever one of our paths), each
    one's moment written for `language` in the actor's time zone."""

    return [
        NotificationRow(
            id=n.id,
            title=n.title,
            link=n.link if n.link.startswith("/") and not n.link.startswith("//") else "/dashboard",
            created_at=i18n.format_datetime(n.created_at, language, actor.timezone),
            unread=n.read_at is None,
        )
        for n in notifications.recent(session, actor)
    ]

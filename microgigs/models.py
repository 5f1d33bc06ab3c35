"""The schema: every table of MicroGigs.

Conventions: money is integer cents plus an ISO currency code; every timestamp is
a timezone-aware UTC datetime (SQLModel refuses naive ones); statuses are short
lowercase strings whose allowed values and moves live in services/, not here.
"""

from datetime import UTC, date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Now, in UTC (how every timestamp is stored)."""
    return datetime.now(UTC)


# --- people and organizations -------------------------------------------------


class Organization(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, index=True)
    kind: str = Field(default="employer", max_length=20)  # employer | career_center
    # pending -> approved | rejected | suspended (career centers are approved)
    status: str = Field(default="pending", max_length=20, index=True)
    website: str = Field(default="", max_length=300)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Trusted employers publish gigs without moderation.
    trusted: bool = False
    status_reason: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-case
    display_name: str = Field(max_length=100)
    role: str = Field(max_length=20, index=True)  # student | manager | staff | admin
    password_hash: str = Field(default="", max_length=200)  # empty for SSO-only accounts
    email_verified: bool = False
    is_active: bool = True
    title: str = Field(default="", max_length=100)  # managers: job title
    timezone: str = Field(default="UTC", max_length=64)
    # The language the person reads MicroGigs in, pages and mail: a key of i18n.LANGUAGES.
    language: str = Field(default="en", max_length=8)
    created_at: datetime = Field(default_factory=utcnow)
    # Profile photo: a stored file name under data_dir/photos (served by /photos/{user_id}).
    photo_name: str = Field(default="", max_length=80)
    # Set when the person deleted their account: name, email and profile are anonymized.
    deleted_at: datetime | None = None


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("user_id", "organization_id"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    role: str = Field(default="manager", max_length=20)  # owner | manager | staff
    created_at: datetime = Field(default_factory=utcnow)


class StudentProfile(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    headline: str = Field(default="", max_length=160)
    interests: str = Field(default="", max_length=500)
    hours_per_week: int = Field(default=10, ge=0, le=80)
    links: str = Field(default="", max_length=1000)  # newline-separated URLs
    # Pedigree: hidden from managers while blind review is on.
    school: str = Field(default="", max_length=160)
    major: str = Field(default="", max_length=120)
    graduation_year: int | None = None
    first_generation: bool | None = None  # self-reported, opt-in


class Skill(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60, unique=True, index=True)
    category: str = Field(default="", max_length=60)


class StudentSkill(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    skill_id: int = Field(foreign_key="skill.id", primary_key=True, index=True)


class AuthSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its hash is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    user_agent: str = Field(default="", max_length=300)
    ip_address: str = Field(default="", max_length=64)


class OneTimeToken(SQLModel, table=True):
    """An emailed one-time link (verify email, reset password, join an organization).

    Only the SHA-256 of the token is stored; it expires and can be used once.
    """

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=20, index=True)  # verify_email | reset_password | invitation
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    email: str = Field(default="", max_length=254)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    # A newer link of the same kind was issued (or the password changed): this one no longer works.
    voided_at: datetime | None = None


# --- gigs and applications ----------------------------------------------------


# What the board filters on besides status: kept in its indexes (see Gig).
BOARD_FILTER_COLUMNS = (
    "application_deadline",
    "category",
    "location_mode",
    "pay_cents",
    "estimated_hours",
    "due_date",
    "organization_id",
)


class Gig(SQLModel, table=True):
    __table_args__ = (
        # The board, one index per sort order (newest, pay, deadline): each holds every
        # column a board filter reads, so a page and its count never touch the table rows.
        Index("ix_gig_board_published", "status", "published_at", "id", *BOARD_FILTER_COLUMNS),
        Index("ix_gig_board_pay", "status", "pay_cents", "id", *(c for c in BOARD_FILTER_COLUMNS if c != "pay_cents")),
        Index(
            "ix_gig_board_deadline",
            "status",
            "application_deadline",
            "id",
            *(c for c in BOARD_FILTER_COLUMNS if c != "application_deadline"),
        ),
        Index("ix_gig_status_category", "status", "category"),
    )
    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    created_by_id: int = Field(foreign_key="user.id", index=True)
    title: str = Field(max_length=120)
    summary: str = Field(max_length=300)
    scope: str = Field(sa_column=Column(Text, nullable=False))  # markdown
    deliverables: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    category: str = Field(max_length=60)
    location_mode: str = Field(default="remote", max_length=10)  # remote | onsite | hybrid
    location: str = Field(default="", max_length=120)
    estimated_hours: int
    start_date: date | None = None
    due_date: date
    application_deadline: date
    slots: int = 1
    filled_slots: int = 0  # raised atomically by acceptance; never above slots
    pay_cents: int  # fixed pay per student
    currency: str = Field(default="usd", max_length=3)
    # Where its dates are meant (an IANA name): a deadline date ends at 23:59 there
    # (services/gigs/deadlines.py). The posting manager's zone when the gig is created.
    timezone: str = Field(default="UTC", max_length=64)
    blind_review: bool = True
    max_revision_rounds: int = 2
    # draft -> in_review -> open -> filled -> in_progress -> completed;
    # side exits: rejected, cancelled, expired
    status: str = Field(default="draft", max_length=20, index=True)
    status_reason: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None


class GigSkill(SQLModel, table=True):
    gig_id: int = Field(foreign_key="gig.id", primary_key=True)
    skill_id: int = Field(foreign_key="skill.id", primary_key=True, index=True)


class ScreeningQuestion(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", index=True)
    position: int = 0
    text: str = Field(max_length=300)


class SavedGig(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)


class Application(SQLModel, table=True):
    # One application per student per gig, enforced by the database too.
    __table_args__ = (UniqueConstraint("gig_id", "student_id"),)
    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", index=True)
    student_id: int = Field(foreign_key="user.id", index=True)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    sample_links: str = Field(default="", max_length=1000)
    # submitted -> shortlisted -> accepted | declined | withdrawn
    status: str = Field(default="submitted", max_length=20, index=True)
    feedback: str = Field(default="", max_length=200)
    # Shown to managers in blind review instead of the student's name.
    anonymous_number: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None


class ApplicationAnswer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    question_id: int = Field(foreign_key="screeningquestion.id")
    answer: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


# --- the work -----------------------------------------------------------------


class Engagement(SQLModel, table=True):
    """One accepted student on one gig: the scope, the work and the money."""

    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", index=True)
    application_id: int = Field(foreign_key="application.id", unique=True)
    student_id: int = Field(foreign_key="user.id", index=True)
    # funding -> active -> submitted <-> changes_requested -> approved -> paid;
    # exits: cancelled, disputed
    status: str = Field(default="funding", max_length=20, index=True)
    scope_snapshot: str = Field(sa_column=Column(Text, nullable=False))  # locked at acceptance
    due_date: date
    pay_cents: int
    fee_cents: int
    currency: str = Field(default="usd", max_length=3)
    revision_rounds_used: int = 0
    max_revision_rounds: int = 2
    gateway: str = Field(default="demo", max_length=20)
    checkout_ref: str = Field(default="", max_length=200)  # gateway's checkout / charge id
    created_at: datetime = Field(default_factory=utcnow)
    funded_at: datetime | None = None
    submitted_at: datetime | None = None
    approved_at: datetime | None = None
    paid_at: datetime | None = None
    cancelled_at: datetime | None = None
    # Try before you hire: the manager's next steps with the student after the gig.
    interview_invited_at: datetime | None = None
    offer_made_at: datetime | None = None


class Submission(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("engagement_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    version: int
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    link: str = Field(default="", max_length=500)
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    # Set when the manager answers this version: approved | changes_requested
    decision: str = Field(default="", max_length=20)
    decision_comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    decided_at: datetime | None = None


class SubmissionFile(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    original_name: str = Field(max_length=255)  # cleaned; only ever shown, never a path
    stored_name: str = Field(max_length=80, unique=True)  # generated
    content_type: str = Field(max_length=100)
    size_bytes: int
    sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class EngagementMessage(SQLModel, table=True):
    """One message in an engagement's thread (student, the gig's managers, staff)."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class ExtensionRequest(SQLModel, table=True):
    """One side asks to move an engagement's due date; the other side accepts or declines."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    requested_by_id: int = Field(foreign_key="user.id")
    requested_by_student: bool = True
    old_due_date: date
    new_due_date: date
    reason: str = Field(default="", max_length=500)
    status: str = Field(default="pending", max_length=20)  # pending | accepted | declined | withdrawn
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class LedgerEntry(SQLModel, table=True):
    """One money movement. Per engagement: funded = fee + held + transferred + refunded.

    Amounts are signed so the identity holds as a sum: a "funded" row adds money
    received; "platform_fee", "held", "transferred", "refunded" rows say where it is.
    Moving money out of "held" writes a negative "held" row and a positive row of
    where it went.
    """

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    kind: str = Field(max_length=20)  # funded | platform_fee | held | transferred | refunded | kill_fee
    amount_cents: int
    currency: str = Field(default="usd", max_length=3)
    gateway: str = Field(default="demo", max_length=20)
    gateway_ref: str = Field(default="", max_length=200)
    # Built from our own ids; a repeat of the same movement is refused by the database.
    idempotency_key: str = Field(max_length=120, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


# --- what a finished gig leaves -------------------------------------------------


class Review(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("engagement_id", "author_id"),
        # One review of the student and one of the employer per engagement.
        Index("ux_review_engagement_subject", "engagement_id", "subject", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    subject: str = Field(max_length=10)  # student | employer
    rating_1: int  # quality | clarity of scope
    rating_2: int  # timeliness | communication
    rating_3: int  # communication | fairness
    rating_4: int | None = None  # - | timeliness of payment
    comment: str = Field(default="", max_length=1000)
    private_note: str = Field(default="", max_length=200)
    endorsed_skills: str = Field(default="", max_length=500)  # manager's review: skill names, one per line
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None


class EmployerTrackRecord(SQLModel, table=True):
    """An employer's track record as its public gig pages show it (services/track_record.py),
    stored when a fact it depends on changes, so that a page view is one primary-key read."""

    organization_id: int = Field(foreign_key="organization.id", primary_key=True)
    median_review_days: float | None = None
    paid_on_time_percent: int | None = None
    rating: float | None = None
    rating_count: int = 0
    unanswered_percent: int | None = None
    finished_engagements: int = 0
    computed_at: datetime = Field(default_factory=utcnow, index=True)
    # The next moment the passing of time alone changes it (a submission or an applicant left
    # unanswered for a week, a blind review publishing itself); None: nothing is pending.
    stale_after: datetime | None = Field(default=None, index=True)


class Dispute(SQLModel, table=True):
    """A disagreement on one engagement, mediated and decided by career-center staff."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", unique=True)
    opened_by_id: int = Field(foreign_key="user.id")
    statement: str = Field(sa_column=Column(Text, nullable=False))
    previous_status: str = Field(max_length=20)  # the engagement's status before the dispute
    status: str = Field(default="open", max_length=10)  # open | decided
    outcome: str = Field(default="", max_length=10)  # pay_full | pay_part | refund
    student_share_cents: int = 0
    decision_note: str = Field(default="", max_length=1000)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None


class DisputeMessage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    dispute_id: int = Field(foreign_key="dispute.id", index=True)
    author_id: int = Field(foreign_key="user.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Credential(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", unique=True)
    student_id: int = Field(foreign_key="user.id", index=True)
    public_id: str = Field(max_length=40, unique=True)  # the id in the verification URL
    jwt: str = Field(sa_column=Column(Text, nullable=False))
    key_id: str = Field(max_length=80)
    issued_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
    revoked_reason: str = Field(default="", max_length=300)


# --- telling people and remembering what happened -------------------------------


class Notification(SQLModel, table=True):
    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=40)
    title: str = Field(max_length=200)
    link: str = Field(default="", max_length=300)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None


class OutboxMail(SQLModel, table=True):
    """One mail: a durable queue row until it is sent (services/mail_queue.py delivers it).

    A one-time token never appears here: the bodies carry a mask where the link's token goes,
    and `token_id` names the OneTimeToken the delivery makes the token for.
    """

    __table_args__ = (Index("ix_outboxmail_due", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=200)
    text_body: str = Field(sa_column=Column(Text, nullable=False))
    html_body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    # queued -> sending -> sent; after a failed try back to queued (later), or failed for good;
    # cancelled: its one-time link was replaced or expired before it could leave.
    status: str = Field(default="queued", max_length=12)
    attempts: int = 0
    # When a worker may (next) try it; while "sending", when the worker's claim lapses.
    next_attempt_at: datetime = Field(default_factory=utcnow)
    last_error: str = Field(default="", max_length=500)
    token_id: int | None = Field(default=None, foreign_key="onetimetoken.id")
    sent_at: datetime | None = None
    # Bulk mail (alerts, digests, notifications) names its recipient and its kind: it leaves with
    # a one-click unsubscribe for that kind (services/unsubscribe.py). None: mail that must arrive.
    recipient_id: int | None = Field(default=None, foreign_key="user.id")
    list_kind: str | None = Field(default=None, max_length=20)


# --- saved searches, alerts and the mail a person chose -------------------------------


class SavedSearch(SQLModel, table=True):
    """A student's board search (its URL's query string), alerted instantly or once a day."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=80)
    query: str = Field(max_length=1000)  # the board's URL parameters, as BoardQuery writes them
    frequency: str = Field(default="instant", max_length=10)  # instant | daily
    created_at: datetime = Field(default_factory=utcnow)
    # Daily: when a worker last looked for new gigs (its conditional update is the claim).
    checked_at: datetime | None = None


class SearchAlert(SQLModel, table=True):
    """A gig a saved search has already told its owner about: never twice, whoever retries."""

    search_id: int = Field(foreign_key="savedsearch.id", primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)


class MailPreference(SQLModel, table=True):
    """What bulk mail a person wants. No row: the defaults (alerts and notifications by mail on,
    the weekly digest off)."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    alert_mail: bool = True
    notification_mail: bool = True
    weekly_digest: bool = False
    # When the weekly job last looked at this person's digest (sent or nothing to send).
    digest_checked_at: datetime | None = None


class UnsubscribeToken(SQLModel, table=True):
    """A List-Unsubscribe link: one person, one kind of mail. Only its SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=20)  # alerts | digest | notifications
    created_at: datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    """Who did what to which thing, when: every transition and every pedigree reveal."""

    __table_args__ = (Index("ix_audit_subject", "subject_type", "subject_id"),)
    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(max_length=60, index=True)
    subject_type: str = Field(max_length=30)
    subject_id: int
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, index=True)


# --- sign-in security and campus single sign-on --------------------------------


class RateLimitHit(SQLModel, table=True):
    """One counted request (or failed sign-in) for a throttle (services/throttle.py): which limit,
    and whom it counts against (a client address, an email address, a device), kept hashed."""

    __table_args__ = (Index("ix_ratelimithit_bucket_key_time", "bucket", "key_hash", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    bucket: str = Field(max_length=40)
    key_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class KnownDevice(SQLModel, table=True):
    """A browser that signed in to this account before (its long-lived device cookie, hashed).
    Failed sign-ins from strangers never lock out the account's own devices."""

    __table_args__ = (UniqueConstraint("token_hash", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)


class OidcIdentity(SQLModel, table=True):
    """A campus sign-in (provider + subject) linked to one MicroGigs account."""

    __table_args__ = (UniqueConstraint("provider", "subject", name="uq_oidc_identity_provider_subject"),)
    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(max_length=40)
    subject: str = Field(max_length=255)
    user_id: int = Field(foreign_key="user.id", index=True)
    email: str = Field(default="", max_length=254)
    created_at: datetime = Field(default_factory=utcnow)


class OidcFlow(SQLModel, table=True):
    """One campus sign-in in progress: state, nonce and PKCE verifier, used once, short-lived."""

    id: int | None = Field(default=None, primary_key=True)
    state_hash: str = Field(max_length=64, unique=True, index=True)
    provider: str = Field(max_length=40)
    nonce: str = Field(max_length=128)
    code_verifier: str = Field(max_length=128)
    next_path: str = Field(default="/dashboard", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)


# --- moderation -------------------------------------------------------------------


class ProhibitedTerm(SQLModel, table=True):
    """A word or phrase staff keep off the board; validate_gig_input refuses gigs that use it."""

    id: int | None = Field(default=None, primary_key=True)
    term: str = Field(max_length=60, unique=True, index=True)  # stored lower-case
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


# --- the public portfolio (issue 7) -------------------------------------------------


class Portfolio(SQLModel, table=True):
    """A student's opt-in public page at /p/<handle>. Private until the student publishes it."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    handle: str = Field(max_length=30, unique=True, index=True)  # stored lower-case
    is_public: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EvidenceSharing(SQLModel, table=True):
    """Whether one engagement's approved deliverables may be shown publicly: the employer
    allows it and the student chooses to show them; both must say yes."""

    engagement_id: int = Field(foreign_key="engagement.id", primary_key=True)
    employer_allows: bool = False
    employer_decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    student_shows: bool = False
    updated_at: datetime = Field(default_factory=utcnow)


# --- payments (gateway side) ----------------------------------------------------------


class EngagementPayment(SQLModel, table=True):
    """Where an engagement's money stands at the gateway; one row per engagement.

    `state` only moves forward (services/payment_lifecycle.py holds the allowed moves), so a late
    or repeated webhook can never undo a payout or a refund.
    """

    engagement_id: int = Field(foreign_key="engagement.id", primary_key=True)
    gateway: str = Field(default="demo", max_length=20)
    # unfunded | checkout_open | checkout_expired | payment_failed | funded | payout_pending
    # | awaiting_payout_account | payout_failed | paid | refunded | partially_refunded
    state: str = Field(default="unfunded", max_length=30, index=True)
    checkout_attempt: int = 0  # each new Checkout Session after an expired one gets a new key
    checkout_session_id: str = Field(default="", max_length=200)
    checkout_url: str = Field(default="", max_length=1000)
    payment_intent_id: str = Field(default="", max_length=200)
    charge_id: str = Field(default="", max_length=200)
    # A payout waiting (no payout account yet, or the gateway timed out): what to send, once.
    payout_amount_cents: int = 0
    payout_kind: str = Field(default="", max_length=20)  # transferred | kill_fee
    payout_key: str = Field(default="", max_length=120)
    # After a refusal: the key the next try sends (the refusal stays stored under the old one).
    payout_request_key: str = Field(default="", max_length=140)
    payout_attempts: int = 0
    transfer_id: str = Field(default="", max_length=200)
    transfer_reversed: bool = False
    charge_disputed: bool = False
    message: str = Field(default="", max_length=500)  # the last thing people should know (declined, expired...)
    updated_at: datetime = Field(default_factory=utcnow)


class PayoutAccount(SQLModel, table=True):
    """A student's connected account at the gateway (Stripe Express)."""

    student_id: int = Field(foreign_key="user.id", primary_key=True)
    gateway: str = Field(default="stripe", max_length=20)
    account_id: str = Field(max_length=200, unique=True, index=True)
    details_submitted: bool = False
    payouts_enabled: bool = False
    last_payout_status: str = Field(default="", max_length=20)  # paid | failed (payout.* events)
    updated_at: datetime = Field(default_factory=utcnow)


class GatewayEvent(SQLModel, table=True):
    """A webhook event, stored by the gateway's id: a repeat delivery is a no-op."""

    id: str = Field(max_length=100, primary_key=True)
    endpoint: str = Field(max_length=20)  # platform | connect
    type: str = Field(max_length=80)
    account: str = Field(default="", max_length=200)  # the connected account (Connect events)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = Field(default_factory=utcnow)


class ReconciliationReport(SQLModel, table=True):
    """One comparison of our ledger with the gateway's own records, kept so /staff/money and
    its CSV show it without asking the gateway again. Made by staff ("Reconcile now") or by
    the nightly job (`nightly_key` = its UTC day, unique: several workers make one report)."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    run_by_id: int | None = Field(default=None, foreign_key="user.id")  # None: the nightly job
    nightly_key: str | None = Field(default=None, max_length=20, unique=True)
    gateway: str = Field(default="demo", max_length=20)
    checked: int = 0
    # [{"engagement_id": 3, "what": "refunded", "ledger": "$0.00", "gateway": "$10.00"}, ...]
    differences: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    note: str = Field(default="", max_length=500)


# --- check-in milestones (issue 5) --------------------------------------------------------


class Milestone(SQLModel, table=True):
    """A check-in point in an engagement, set by the gig's managers; the student checks in on
    it (done or not yet, with a short note). The latest check-in is kept here; every check-in
    is also an audit event, which is its history."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True)
    title: str = Field(max_length=120)
    due_date: date
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    # open (no check-in yet) | done | not_done
    status: str = Field(default="open", max_length=20)
    checkin_note: str = Field(default="", max_length=500)
    checked_in_at: datetime | None = None


# --- the center's own settings (issue 16) ---------------------------------------------------


class CenterSettings(SQLModel, table=True):
    """What the career center set at /admin/settings: one row (id 1), made on the first save.

    A null column means "the environment's value" (settings.py), so an install that never saved
    the page runs on its environment variables, and the environment stays the default of every
    field an admin cleared (services/center.py merges the two)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str | None = Field(default=None, max_length=80)
    contact_email: str | None = Field(default=None, max_length=254)
    # "#1d4ed8": the header and buttons; white text on it passes WCAG AA (4.5:1).
    brand_color: str | None = Field(default=None, max_length=7)
    # The stored logo's file name under data_dir/branding (named by its contents' hash) and type.
    logo_file: str | None = Field(default=None, max_length=80)
    logo_content_type: str | None = Field(default=None, max_length=30)
    help_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    terms_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    privacy_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # ISO 4217, lower case ("usd"): the currency of new gigs and of every amount shown with them.
    currency: str | None = Field(default=None, max_length=3)
    # Decimal text ("2.9"), read exactly (services/amounts.percent_of).
    platform_fee_percent: str | None = Field(default=None, max_length=12)
    # In the currency's minor units (cents for usd, yen for jpy).
    platform_fee_fixed_cents: int | None = None
    pay_floor_cents_per_hour: int | None = None
    auto_approve_days: int | None = None
    revision_rounds: int | None = None
    # Comma-separated ("uni.edu,alumni.uni.edu"); "" means any domain.
    student_email_domains: str | None = Field(default=None, max_length=1000)
    updated_at: datetime | None = None
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")


# --- calendar feeds (issue 19) ---------------------------------------------------------------


class CalendarFeed(SQLModel, table=True):
    """A person's private calendar link (/calendar/<token>.ics): the URL is the credential, so
    only the SHA-256 of its token is kept. One per person; replacing it overwrites the hash (the
    old link dies at once), revoking deletes the row."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)

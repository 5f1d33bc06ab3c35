"""The career center's view of outcomes and equity: what was posted, filled and
completed, who took part, and where money went. Staff only.

Every table here is also a CSV export (same rows, same filters), and any group of
students smaller than SMALL_GROUP is suppressed so no one can be singled out.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from statistics import median

from sqlmodel import Session, func, select

from microgigs.i18n import DEFAULT, Text, format_money, msg
from microgigs.models import (
    Application,
    AuditEvent,
    Engagement,
    Gig,
    GigSkill,
    LedgerEntry,
    Organization,
    Skill,
    StudentProfile,
    StudentSkill,
    User,
)
from microgigs.services import center, policy
from microgigs.services.amounts import format_by_currency
from microgigs.services.statuses import EngagementStatus

SMALL_GROUP = 5
SUPPRESSED = "fewer than 5"


@dataclass(frozen=True)
class InsightFilters:
    start: date
    end: date
    employer_id: int = 0  # 0: every employer

    @classmethod
    def last_days(cls, days: int = 90, today: date | None = None) -> "InsightFilters":
        today = today or date.today()
        return cls(start=today - timedelta(days=days), end=today)

    def window(self) -> tuple[datetime, datetime]:
        return datetime.combine(self.start, time.min, tzinfo=UTC), datetime.combine(self.end, time.max, tzinfo=UTC)


@dataclass
class Table:
    """One chart's data: column names and rows of plain values (what the CSV holds)."""

    name: str
    columns: list[str]
    rows: list[list[str | int | float]]

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass
class Headline:
    gigs_posted: int
    gigs_filled: int
    gigs_completed: int
    applications: int
    applications_per_gig: float
    median_days_to_fill: float
    completion_rate: str
    paid_to_students: str
    # Try before you hire, over every employer in the filters: share of finished engagements.
    interview_rate: str = "—"
    offer_rate: str = "—"
    # The currency the weekly chart of pay shows (the center's); the table lists every currency.
    paid_currency: str = "usd"


def _gig_scope(filters: InsightFilters):
    conditions = []
    if filters.employer_id:
        conditions.append(Gig.organization_id == filters.employer_id)
    return conditions


def _events(session: Session, action: str, filters: InsightFilters) -> list[tuple[int, datetime]]:
    """(gig id, when) of a gig lifecycle event inside the window."""
    start, end = filters.window()
    query = (
        select(AuditEvent.subject_id, AuditEvent.created_at)
        .where(AuditEvent.action == action, AuditEvent.subject_type == "gig", AuditEvent.created_at.between(start, end))
        .join(Gig, Gig.id == AuditEvent.subject_id)
        .where(*_gig_scope(filters))
    )
    return list(session.exec(query))


def _week(moment: datetime) -> str:
    monday = moment.date() - timedelta(days=moment.weekday())
    return monday.isoformat()


def lifecycle_table(session: Session, filters: InsightFilters) -> Table:
    """Gigs posted (opened), filled and completed per week."""
    counts: dict[str, Counter] = {}
    for label, action in (("posted", "gig.open"), ("filled", "gig.filled"), ("completed", "gig.completed")):
        for _gig_id, when in _events(session, action, filters):
            counts.setdefault(_week(when), Counter())[label] += 1
    rows = [[week, c["posted"], c["filled"], c["completed"]] for week, c in sorted(counts.items())]
    return Table("gigs_over_time", ["week", "posted", "filled", "completed"], rows)


def applications_table(session: Session, filters: InsightFilters) -> Table:
    start, end = filters.window()
    rows = session.exec(
        select(Gig.id, Gig.title, Organization.name, func.count(Application.id))
        .join(Organization, Organization.id == Gig.organization_id)
        .join(Application, Application.gig_id == Gig.id, isouter=True)
        .where(Gig.published_at.between(start, end), *_gig_scope(filters))
        .group_by(Gig.id, Gig.title, Organization.name)
        .order_by(func.count(Application.id).desc(), Gig.id)
    ).all()
    return Table("applications_per_gig", ["gig_id", "gig", "employer", "applications"], [list(r) for r in rows])


def skills_table(session: Session, filters: InsightFilters, limit: int = 10) -> Table:
    """Top skills asked for by gigs in the window next to how many students have them."""
    start, end = filters.window()
    asked = Counter(
        dict(
            session.exec(
                select(Skill.name, func.count(GigSkill.gig_id))
                .join(GigSkill, GigSkill.skill_id == Skill.id)
                .join(Gig, Gig.id == GigSkill.gig_id)
                .where(Gig.published_at.between(start, end), *_gig_scope(filters))
                .group_by(Skill.name)
            ).all()
        )
    )
    have = Counter(
        dict(
            session.exec(
                select(Skill.name, func.count(StudentSkill.user_id))
                .join(StudentSkill, StudentSkill.skill_id == Skill.id)
                .group_by(Skill.name)
            ).all()
        )
    )
    names = sorted(set(asked) | set(have), key=lambda n: (-asked[n], -have[n], n))[:limit]
    return Table("skills_asked_vs_held", ["skill", "gigs_asking", "students_with"], [[n, asked[n], have[n]] for n in names])


def _participants(session: Session, filters: InsightFilters) -> list[StudentProfile]:
    """Profiles of students who applied to a gig in the window."""
    start, end = filters.window()
    ids = session.exec(
        select(Application.student_id)
        .join(Gig, Gig.id == Application.gig_id)
        .where(Application.created_at.between(start, end), *_gig_scope(filters))
        .distinct()
    ).all()
    return [p for p in (session.get(StudentProfile, i) for i in ids) if p is not None]


def participation_table(session: Session, filters: InsightFilters, dimension: str) -> Table:
    """Students taking part by major, graduation year or first-generation status; small groups suppressed."""
    label = {
        "major": lambda p: p.major or "not given",
        "graduation_year": lambda p: str(p.graduation_year) if p.graduation_year else "not given",
        "first_generation": lambda p: {True: "yes", False: "no", None: "not given"}[p.first_generation],
    }[dimension]
    counts = Counter(label(p) for p in _participants(session, filters))
    shown = sorted((k, v) for k, v in counts.items() if v >= SMALL_GROUP)
    hidden = sum(v for v in counts.values() if v < SMALL_GROUP)
    rows: list[list] = [[k, v] for k, v in shown]
    if hidden:
        # Even the total of the suppressed groups is shown only when it is itself large enough.
        rows.append(["other groups (each " + SUPPRESSED + ")", hidden if hidden >= SMALL_GROUP else SUPPRESSED])
    return Table(f"participation_by_{dimension}", [dimension, "students"], rows)


def money_table(session: Session, filters: InsightFilters) -> Table:
    """Money paid to students (transfers and kill fees) per week and currency (amounts in that
    currency's minor units: a week's dollars and yen are two rows, never one sum)."""
    start, end = filters.window()
    totals: Counter = Counter()
    for when, currency, amount in session.exec(
        select(LedgerEntry.created_at, LedgerEntry.currency, LedgerEntry.amount_cents)
        .join(Engagement, Engagement.id == LedgerEntry.engagement_id)
        .join(Gig, Gig.id == Engagement.gig_id)
        .where(LedgerEntry.kind.in_(("transferred", "kill_fee")), LedgerEntry.created_at.between(start, end), *_gig_scope(filters))
    ):
        totals[_week(when), currency] += amount
    return Table("paid_to_students", ["week", "currency", "cents"], [[w, cur, c] for (w, cur), c in sorted(totals.items())])


def conversion_table(session: Session, filters: InsightFilters) -> Table:
    """Try before you hire, per employer: engagements finished (approved) in the window, how
    many led to an interview invitation and to an offer, and those as a share of finished."""
    start, end = filters.window()
    rows = session.exec(
        select(
            Organization.name,
            func.count(Engagement.id),
            func.count(Engagement.interview_invited_at),
            func.count(Engagement.offer_made_at),
        )
        .join(Gig, Gig.organization_id == Organization.id)
        .join(Engagement, Engagement.gig_id == Gig.id)
        .where(
            Engagement.status.in_((EngagementStatus.APPROVED, EngagementStatus.PAID)),
            Engagement.approved_at.between(start, end),
            *_gig_scope(filters),
        )
        .group_by(Organization.name)
        .order_by(Organization.name)
    ).all()

    def share(part: int, whole: int) -> str:
        return f"{round(100 * part / whole)}%" if whole else "—"

    return Table(
        "conversion_by_employer",
        ["employer", "finished", "interviews", "offers", "interview_rate", "offer_rate"],
        [[name, f, i, o, share(i, f), share(o, f)] for name, f, i, o in rows],
    )


STAFF_ONLY = msg("Only career-center staff can see these figures.")

# Each table column's heading on the page, in English (shown in the viewer's language); the CSV
# keeps the column names themselves.
COLUMN_HEADINGS: dict[str, Text] = {
    "week": msg("Week"),
    "posted": msg("Posted"),
    "filled": msg("Filled"),
    "completed": msg("Completed"),
    "gig_id": msg("Gig number"),
    "gig": msg("Gig"),
    "employer": msg("Employer"),
    "applications": msg("Applications"),
    "skill": msg("Skill"),
    "gigs_asking": msg("Gigs asking for it"),
    "students_with": msg("Students who have it"),
    "major": msg("Major"),
    "graduation_year": msg("Graduation year"),
    "first_generation": msg("First generation"),
    "students": msg("Students"),
    "currency": msg("Currency"),
    "cents": msg("Amount (smallest unit)"),
    "finished": msg("Finished"),
    "interviews": msg("Interviews"),
    "offers": msg("Offers"),
    "interview_rate": msg("Interview rate"),
    "offer_rate": msg("Offer rate"),
}


def column_heading(column: str) -> Text:
    """The heading of a table's column ("gigs_asking" -> "Gigs asking for it"), translated where shown."""
    return COLUMN_HEADINGS.get(column) or Text(column.replace("_", " "))


def _paid_text(paid: Counter, chart_currency: str, language: str) -> str:
    """Sums kept apart by currency (amounts.format_by_currency), written as `language` writes money."""
    if language == DEFAULT:
        return format_by_currency(paid, chart_currency)
    shown = [format_money(cents, code, language) for code, cents in sorted((c.lower(), n) for c, n in paid.items()) if cents]
    return " + ".join(shown) or format_money(0, chart_currency, language)


def headline(session: Session, filters: InsightFilters, language: str = DEFAULT) -> Headline:
    opened = _events(session, "gig.open", filters)
    filled = _events(session, "gig.filled", filters)
    completed = _events(session, "gig.completed", filters)
    ended = len(completed) + len(_events(session, "gig.cancelled", filters)) + len(_events(session, "gig.expired", filters))
    published = {g.id: g.published_at for g in session.exec(select(Gig).where(Gig.id.in_([gid for gid, _ in filled])))}
    days_to_fill = [(when - published[gid]).total_seconds() / 86400 for gid, when in filled if published.get(gid)]
    apps = applications_table(session, filters)
    total_apps = sum(int(r[3]) for r in apps.rows)
    paid: Counter = Counter()
    for _week_start, currency, cents in money_table(session, filters).rows:
        paid[currency] += int(cents)
    chart_currency = center.current(session).currency
    conversion = conversion_table(session, filters).rows
    finished = sum(int(r[1]) for r in conversion)
    return Headline(
        gigs_posted=len(opened),
        gigs_filled=len(filled),
        gigs_completed=len(completed),
        applications=total_apps,
        applications_per_gig=round(total_apps / len(apps.rows), 1) if apps.rows else 0.0,
        median_days_to_fill=round(median(days_to_fill), 1) if days_to_fill else 0.0,
        completion_rate=f"{round(100 * len(completed) / ended)}%" if ended else "—",
        paid_to_students=_paid_text(paid, chart_currency, language),
        interview_rate=f"{round(100 * sum(int(r[2]) for r in conversion) / finished)}%" if finished else "—",
        offer_rate=f"{round(100 * sum(int(r[3]) for r in conversion) / finished)}%" if finished else "—",
        paid_currency=chart_currency,
    )


TABLES = {
    "gigs_over_time": lifecycle_table,
    "applications_per_gig": applications_table,
    "skills_asked_vs_held": skills_table,
    "participation_by_major": lambda s, f: participation_table(s, f, "major"),
    "participation_by_graduation_year": lambda s, f: participation_table(s, f, "graduation_year"),
    "participation_by_first_generation": lambda s, f: participation_table(s, f, "first_generation"),
    "paid_to_students": money_table,
    "conversion_by_employer": conversion_table,
}


def table(session: Session, actor: User | None, name: str, filters: InsightFilters) -> Table:
    """One table by name (what a chart shows and its CSV export holds). Staff only."""
    policy.require(policy.is_staff(actor), STAFF_ONLY)
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}")
    return TABLES[name](session, filters)


def overview(session: Session, actor: User | None, filters: InsightFilters, language: str = DEFAULT) -> tuple[Headline, dict[str, Table]]:
    """The headline figures (money in `language`) and every table."""
    policy.require(policy.is_staff(actor), STAFF_ONLY)
    return headline(session, filters, language), {name: build(session, filters) for name, build in TABLES.items()}


def employers(session: Session, actor: User | None) -> list[tuple[int, str]]:
    policy.require(policy.is_staff(actor), STAFF_ONLY)
    return list(session.exec(select(Organization.id, Organization.name).where(Organization.kind == "employer").order_by(Organization.name)))

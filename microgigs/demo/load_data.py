"""A large, believable data set for the benchmarks (`microgigs seed-load`): employers and their
managers, students with skills and profiles, gigs in every state (most open on the board),
applications, saved gigs, and the work of the gigs that filled (funded, handed in, paid, with
credentials).

The demo seed (seed.py) goes through the services one action at a time; at 100,000 gigs that
would take hours. Here the rows are written in bulk (Core inserts of lists of dicts, a chunk of
gigs at a time) exactly as the services would have left them, and whatever the app derives from
rows is then made by the app's own code, so nothing is left inconsistent:
- the board's word index: SQLite's FTS5 triggers are set aside during the load and the index is
  rebuilt in one statement (search.rebuild_index); PostgreSQL's triggers fill the stored document
  (its skills trigger fires once per statement, so each chunk's skills are one statement);
- employers' track records (track_record.refresh_due) and the credentials of paid work
  (credentials.issue_missing), by the jobs that make them;
- per gig: filled_slots, applicants numbered 1.. in order, every applicant of a closed gig
  decided; per engagement: ledger rows that balance and the payment row of the demo gateway.
What the load leaves out is history no screen derives state from: audit events, notifications
and mail (a mail queue of a hundred thousand messages nobody asked for).

Every account is on the demo domain with one password, hashed once: such accounts can only sign
in on an install in demo mode (accounts.demo_account_locked), so a load can never open a real
install to a published password. Addresses: load.student<N>@ and load.manager<N>@ the demo domain.
"""

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Table, bindparam, func, insert, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from microgigs.demo.content import MAJORS, SCHOOLS, SKILLS
from microgigs.demo.logins import DEMO_DOMAIN, DEMO_PASSWORD
from microgigs.models import (
    Application,
    Credential,
    Engagement,
    EngagementPayment,
    Gig,
    GigSkill,
    LedgerEntry,
    Membership,
    Organization,
    SavedGig,
    Skill,
    StudentProfile,
    StudentSkill,
    Submission,
    User,
)
from microgigs.services import accounts, credentials, search, track_record
from microgigs.services.gigs.vocabulary import CATEGORIES, LOCATION_MODES
from microgigs.services.payments import platform_fee_cents
from microgigs.settings import get_settings

LOAD_PREFIX = "load."
STUDENT_EMAIL = f"{LOAD_PREFIX}student{{n}}@{DEMO_DOMAIN}"
MANAGER_EMAIL = f"{LOAD_PREFIX}manager{{n}}@{DEMO_DOMAIN}"
GIGS_PER_EMPLOYER = 250
CHUNK = 5_000  # gigs generated and written at a time (memory stays flat at any size)
SEED = 17

# --- what the gigs say ------------------------------------------------------------------

VERBS = ["Clean", "Analyse", "Design", "Write", "Build", "Research", "Map", "Test", "Plan", "Audit", "Translate", "Chart"]
THINGS = {
    "Marketing": ["social campaign", "newsletter", "brand guide", "sales funnel", "launch plan", "SEO audit"],
    "Research": ["survey data", "market study", "user interviews", "literature review", "field notes"],
    "Data analysis": ["dashboard", "survey data", "pricing model", "database", "sales report"],
    "Software": ["landing page", "API docs", "test suite", "booking form", "database"],
    "Design": ["logo", "brand guide", "poster series", "app screens", "landing page"],
    "Writing": ["grant report", "podcast notes", "newsletter", "case study", "API docs"],
    "Operations": ["event plan", "onboarding guide", "supplier list", "volunteer schedule"],
    "Finance": ["budget", "pricing model", "grant report", "cash-flow forecast"],
}
EXTRA = [
    "for a bakery",
    "for a nonprofit",
    "for our app",
    "in Python",
    "with Figma",
    "for the spring launch",
    "for local shops",
    "in Excel",
    "with SQL",
    "for a museum",
    "for students",
    "for a clinic",
]
# The demo's skill vocabulary plus a few more (skills are matched by name: a database seeded
# with the demo keeps its skills and gets only the missing ones).
EXTRA_SKILLS = {"Writing": ("Translation",), "Data analysis": ("Statistics", "Tableau"), "Finance": ("Accounting",)}
EMPLOYER_NAMES = ["Acme", "Northwind", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell", "Soylent"]
EMPLOYER_KINDS = ["Studio", "Labs", "Foods", "Health", "Books", "Outfitters", "Analytics", "Media"]
FIRST = ["Maya", "Jordan", "Aisha", "Diego", "Sofia", "Ethan", "Fatima", "Liam", "Grace", "Samuel", "Hannah", "Noah", "Zara", "Lucas"]
LAST = ["Chen", "Williams", "Bello", "Hernández", "Rossi", "Park", "Khan", "O'Connor", "Nguyen", "Adeyemi", "Müller", "Silva"]
CITIES = ["Dayton, OH", "Boulder, CO", "Austin, TX", "Portland, OR", "Madison, WI"]

# Gig states and their shares: most are open on the board, the rest what a year leaves.
STATES = [
    ("open", 0.80),
    ("completed", 0.05),
    ("in_progress", 0.03),
    ("filled", 0.02),
    ("expired", 0.06),
    ("cancelled", 0.03),
    ("draft", 0.01),
]
TAKEN = ("completed", "in_progress", "filled")  # states whose gig took its students
# Applications per student on average (they spread over the gigs, mostly the open ones).
APPLICATIONS_PER_STUDENT = 5


class LoadRefused(Exception):
    """The database is not one a load may go into; nothing was written."""


@dataclass
class LoadSummary:
    """What the load added (counted afterwards, not assumed), and how long it took."""

    counts: dict[str, int] = field(default_factory=dict)
    gigs_by_status: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step

    def describe(self) -> str:
        parts = ", ".join(f"{n:,} {name}" for name, n in self.counts.items())
        states = ", ".join(f"{n:,} {s.replace('_', ' ')}" for s, n in sorted(self.gigs_by_status.items(), key=lambda kv: -kv[1]))
        return f"{parts}; gigs: {states}"


def student_email(n: int) -> str:
    return STUDENT_EMAIL.format(n=n)


def manager_email(n: int) -> str:
    return MANAGER_EMAIL.format(n=n)


# --- the guard ---------------------------------------------------------------------------


def check_target(session: Session, *, force: bool = False) -> None:
    """Refuse a database that already holds a load (the addresses would collide: start from an
    empty one), or that holds accounts of real people unless `force` (a load mixed into real
    data cannot be taken out again)."""
    if session.exec(select(User.id).where(User.email.like(f"{LOAD_PREFIX}%@{DEMO_DOMAIN}")).limit(1)).first() is not None:
        raise LoadRefused("This database already holds a load (load.* accounts). Load into an empty database.")
    real = session.exec(select(func.count()).select_from(User).where(User.email.not_like(f"%@{DEMO_DOMAIN}"))).one()
    if real and not force:
        raise LoadRefused(
            f"This database holds {real:,} accounts of real people (not on the demo domain). "
            "A load cannot be taken out again: use an empty or demo database, or pass --force to mix it in anyway."
        )


# --- writing -------------------------------------------------------------------------------


def _insert(session: Session, table: Table, rows: list[dict], *, one_statement: bool = False) -> None:
    """Bulk insert (executemany). `one_statement`: on PostgreSQL, the rows as one
    INSERT ... SELECT unnest(array per column) instead, for a table whose statement-level
    trigger should fire once for all of them rather than once per row (the search document's
    skills trigger); two parameters, so nothing long to compile either."""
    if not rows:
        return
    if not one_statement or session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    names = list(rows[0])
    columns = [func.unnest(bindparam(name, [row[name] for row in rows], type_=ARRAY(table.c[name].type))) for name in names]
    session.execute(insert(table).from_select(names, select(*columns)))


def _next_id(session: Session, model) -> int:
    return (session.exec(select(func.max(model.id))).one() or 0) + 1


def _advance_sequences(session: Session, models: Iterable) -> None:
    """PostgreSQL: explicit ids do not move the id sequences; move them past the new rows."""
    if session.get_bind().dialect.name != "postgresql":
        return
    quote = session.get_bind().dialect.identifier_preparer.quote
    for model in models:
        name = model.__table__.name
        session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{quote(name)}', 'id'), coalesce((SELECT max(id) FROM {quote(name)}), 1))")
        )


class _Loader:
    def __init__(self, session: Session, today: date, seed: int):
        self.session = session
        self.today = today
        self.now = datetime.now(UTC)
        self.rng = random.Random(seed)
        self.floor = get_settings().pay_floor_cents_per_hour
        self.password_hash = accounts.hash_password(DEMO_PASSWORD)  # once: argon2 per row would take hours
        self.skill_ids: dict[str, int] = {}
        self.skills_by_category: dict[str, list[int]] = {}
        self.employers: list[tuple[int, int]] = []  # (organization id, the manager who posts its gigs)
        self.students: list[int] = []
        self.open_gigs: list[int] = []
        self.ids = {
            model: _next_id(session, model)
            for model in (Organization, User, Membership, Skill, Gig, Application, Engagement, Submission, LedgerEntry)
        }
        self.first = dict(self.ids)

    def take_id(self, model) -> int:
        value = self.ids[model]
        self.ids[model] += 1
        return value

    def when(self, days_ago_low: float, days_ago_high: float) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(days_ago_low, days_ago_high))

    # vocabulary, people ------------------------------------------------------------------

    def skills(self) -> None:
        existing = dict(self.session.exec(select(Skill.name, Skill.id)).all())
        rows = []
        for category in SKILLS:
            for name in (*SKILLS[category], *EXTRA_SKILLS.get(category, ())):
                if name not in existing:
                    existing[name] = self.take_id(Skill)
                    rows.append({"id": existing[name], "name": name, "category": category})
                self.skill_ids[name] = existing[name]
                self.skills_by_category.setdefault(category, []).append(existing[name])
        _insert(self.session, Skill.__table__, rows)

    def career_center(self) -> None:
        """Credentials name the career center as their issuer: make one if there is none."""
        if self.session.exec(select(Organization.id).where(Organization.kind == "career_center")).first() is None:
            _insert(
                self.session,
                Organization.__table__,
                [
                    {
                        "id": self.take_id(Organization),
                        "name": "Load Test Career Center",
                        "kind": "career_center",
                        "status": "approved",
                        "trusted": True,
                    }
                ],
            )

    def _person(self, user_id: int, email: str, role: str, created: datetime, **extra) -> dict:
        name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
        return {
            "id": user_id,
            "email": email,
            "display_name": name,
            "role": role,
            "password_hash": self.password_hash,
            "email_verified": True,
            "created_at": created,
            **extra,
        }

    def employers_and_managers(self, count: int) -> None:
        orgs, users, members = [], [], []
        manager_number = 0
        for n in range(1, count + 1):
            org_id = self.take_id(Organization)
            created = self.when(200, 400)
            name = f"{self.rng.choice(EMPLOYER_NAMES)} {self.rng.choice(EMPLOYER_KINDS)} {n}"
            slug = name.lower().replace(" ", "-")
            orgs.append(
                {
                    "id": org_id,
                    "name": name,
                    "kind": "employer",
                    "status": "approved",
                    "trusted": True,
                    "website": f"https://{slug}.example.com",
                    "description": f"{name} hires students for short, paid projects.",
                    "created_at": created,
                }
            )
            poster = None
            for role in ("owner", "manager")[: 2 if n % 4 == 0 else 1]:
                manager_number += 1
                user_id = self.take_id(User)
                users.append(self._person(user_id, manager_email(manager_number), "manager", created, title="Project lead"))
                members.append(
                    {"id": self.take_id(Membership), "user_id": user_id, "organization_id": org_id, "role": role, "created_at": created}
                )
                poster = poster or user_id
            self.employers.append((org_id, poster))
        _insert(self.session, Organization.__table__, orgs)
        _insert(self.session, User.__table__, users)
        _insert(self.session, Membership.__table__, members)

    def students_with_profiles(self, count: int) -> None:
        majors = list(MAJORS)
        for start in range(1, count + 1, CHUNK):
            users, profiles, skills = [], [], []
            for n in range(start, min(count, start + CHUNK - 1) + 1):
                user_id = self.take_id(User)
                major = self.rng.choice(majors)
                users.append(self._person(user_id, student_email(n), "student", self.when(10, 400)))
                pool = [s for c in MAJORS[major] for s in self.skills_by_category[c]]
                chosen = self.rng.sample(pool, min(len(pool), self.rng.randint(2, 5)))
                skills += [{"user_id": user_id, "skill_id": s} for s in chosen]
                profiles.append(
                    {
                        "user_id": user_id,
                        "headline": f"{major} student, {', '.join(MAJORS[major]).lower()}",
                        "interests": ", ".join(MAJORS[major]),
                        "hours_per_week": self.rng.choice((5, 8, 10, 12, 15, 20)),
                        "links": f"https://portfolio.example.com/work/{user_id * 7919 % 100000:05d}",
                        "school": self.rng.choice(SCHOOLS),
                        "major": major,
                        "graduation_year": self.today.year + self.rng.randint(0, 3),
                        "first_generation": self.rng.random() < 0.3,
                    }
                )
                self.students.append(user_id)
            _insert(self.session, User.__table__, users)
            _insert(self.session, StudentProfile.__table__, profiles)
            _insert(self.session, StudentSkill.__table__, skills)

    # gigs and what happened on them --------------------------------------------------------

    def _gig(self, gig_id: int, status: str) -> dict:
        rng = self.rng
        category = rng.choice(CATEGORIES)
        thing, extra = rng.choice(THINGS[category]), rng.choice(EXTRA)
        org_id, poster = rng.choice(self.employers)
        hours = rng.randint(2, 80)
        rate = max(self.floor, rng.randint(20, 60) * 100)
        pay = -(-hours * rate // 500) * 500  # whole five dollars, never under the floor
        if status == "open":
            published = self.when(0, 60)
            deadline = self.today + timedelta(days=rng.randint(0, 40))
        elif status == "draft":
            published, deadline = None, self.today + timedelta(days=rng.randint(7, 40))
        elif status in ("filled", "in_progress"):
            published = self.when(15, 60)
            deadline = self.today + timedelta(days=rng.randint(-10, 20))
        else:  # completed, expired, cancelled: from the past year
            published = self.when(40, 365)
            deadline = (published + timedelta(days=rng.randint(7, 30))).date()
        created = (published or self.when(0, 20)) - timedelta(hours=rng.uniform(1, 48))
        mode = rng.choice(LOCATION_MODES)
        slots = 1 if rng.random() < 0.7 else rng.choice((2, 2, 3))
        return {
            "id": gig_id,
            "organization_id": org_id,
            "created_by_id": poster,
            "title": f"{rng.choice(VERBS)} {thing} {extra}",
            "summary": f"A short {thing} project {extra}, about {hours} hours of work.",
            "scope": f"We need help with our {thing} {extra}.\n\nWhat you will do:\n- Read our brief\n- Deliver the {thing}\n- Walk us through it",
            "deliverables": f"- The {thing}\n- A one-page summary",
            "category": category,
            "location_mode": mode,
            "location": "" if mode == "remote" else rng.choice(CITIES),
            "estimated_hours": hours,
            "start_date": deadline + timedelta(days=1) if rng.random() < 0.5 else None,
            "due_date": deadline + timedelta(days=rng.randint(5, 60)),
            "application_deadline": deadline,
            "slots": slots,
            "filled_slots": slots if status in TAKEN else 0,
            "pay_cents": pay,
            "currency": "usd",
            "blind_review": rng.random() < 0.85,
            "max_revision_rounds": 2,
            "status": status,
            "status_reason": {"cancelled": "The project was called off.", "expired": "application deadline passed"}.get(status, ""),
            "created_at": created,
            "updated_at": published or created,
            "published_at": published,
        }

    def gigs(self, count: int, applications_total: int) -> None:
        # A gig that filled needs as many students as its places (up to 3): with fewer students,
        # only states nobody was taken in.
        states = [(name, share) for name, share in STATES if len(self.students) >= 3 or name not in TAKEN]
        names, weights = zip(*states, strict=True)
        # Applicants per published gig, on average, so that the total comes out as asked.
        per_gig = applications_total / max(1, count * (1 - dict(STATES)["draft"]))
        for start in range(0, count, CHUNK):
            size = min(CHUNK, count - start)
            rows = {m: [] for m in (Gig, GigSkill, Application, Engagement, Submission, LedgerEntry, EngagementPayment)}
            for status in self.rng.choices(names, weights, k=size):
                gig = self._gig(self.take_id(Gig), status)
                rows[Gig].append(gig)
                own = self.skills_by_category[gig["category"]]
                chosen = set(self.rng.sample(own, self.rng.randint(1, 3)))
                if self.rng.random() < 0.3:
                    chosen.add(self.rng.choice(list(self.skill_ids.values())))
                rows[GigSkill] += [{"gig_id": gig["id"], "skill_id": s} for s in sorted(chosen)]
                if status == "open":
                    self.open_gigs.append(gig["id"])
                if status != "draft":
                    self._applicants(gig, per_gig, rows)
            for model in rows:
                # PostgreSQL's skills trigger refreshes each gig's document once per statement.
                _insert(self.session, model.__table__, rows[model], one_statement=model is GigSkill)

    def _applicants(self, gig: dict, per_gig: float, rows: dict) -> None:
        rng, status = self.rng, gig["status"]
        taken = gig["filled_slots"]
        wanted = int(rng.expovariate(1 / per_gig) + 0.5) if per_gig > 0 else 0
        wanted = min(len(self.students), max(wanted, taken))
        if not wanted:
            return
        closed_reason = {
            "expired": "The application deadline passed.",
            "cancelled": "The gig was cancelled.",
        }.get(status, "All places on this gig are taken.")
        opened = gig["published_at"]
        for number, student in enumerate(rng.sample(self.students, wanted), start=1):
            applied = opened + timedelta(hours=rng.uniform(1, 24 * 6))
            app_status, decided, feedback = "submitted", None, ""
            if number <= taken:
                app_status, decided = "accepted", applied + timedelta(days=rng.uniform(1, 4))
            elif status == "open":
                roll = rng.random()
                if roll < 0.2:
                    app_status, decided = "shortlisted", applied + timedelta(days=1)
                elif roll < 0.3:
                    app_status, decided, feedback = "declined", applied + timedelta(days=2), "We chose a closer match for this one."
                elif roll < 0.33:
                    app_status = "withdrawn"
            else:  # a closed gig: every applicant has an answer
                app_status, decided, feedback = "declined", applied + timedelta(days=rng.uniform(2, 8)), closed_reason
            app_id = self.take_id(Application)
            rows[Application].append(
                {
                    "id": app_id,
                    "gig_id": gig["id"],
                    "student_id": student,
                    "note": f"I would love to work on this. I can give it {rng.choice((5, 8, 10))} hours a week.",
                    "sample_links": "",
                    "status": app_status,
                    "feedback": feedback,
                    "anonymous_number": number,
                    "created_at": min(applied, self.now),
                    "decided_at": min(decided, self.now) if decided else None,
                }
            )
            if app_status == "accepted":
                self._engagement(gig, app_id, student, min(decided, self.now), first=number == 1, rows=rows)

    def _engagement(self, gig: dict, application_id: int, student: int, accepted: datetime, *, first: bool, rows: dict) -> None:
        """Accepted and funded at once (the demo gateway); in_progress: the first student has
        handed in; completed: approved and paid the next day."""
        eid = self.take_id(Engagement)
        pay, fee = gig["pay_cents"], platform_fee_cents(self.session, gig["pay_cents"])
        charge, transfer = f"demo_charge_{eid}", f"demo_transfer_{eid}"
        status = {"completed": "paid", "in_progress": "submitted" if first else "active"}.get(gig["status"], "active")
        submitted = accepted + timedelta(days=self.rng.uniform(2, 10)) if status in ("submitted", "paid") else None
        approved = submitted + timedelta(days=self.rng.uniform(0.2, 3)) if status == "paid" else None
        paid = approved + timedelta(minutes=1) if approved else None
        if submitted:
            submitted, approved, paid = (min(t, self.now) if t else None for t in (submitted, approved, paid))
        rows[Engagement].append(
            {
                "id": eid,
                "gig_id": gig["id"],
                "application_id": application_id,
                "student_id": student,
                "status": status,
                "scope_snapshot": gig["scope"],
                "due_date": gig["due_date"],
                "pay_cents": pay,
                "fee_cents": fee,
                "currency": "usd",
                "max_revision_rounds": gig["max_revision_rounds"],
                "gateway": "demo",
                "checkout_ref": charge,
                "created_at": accepted,
                "funded_at": accepted,
                "submitted_at": submitted,
                "approved_at": approved,
                "paid_at": paid,
            }
        )
        # funded = fee + held + transferred + refunded, as the demo gateway writes it.
        ledger = [("funded", pay + fee, charge, "funded"), ("platform_fee", fee, charge, "fee"), ("held", pay, charge, "held")]
        if paid:
            ledger += [("held", -pay, transfer, "transfer-release"), ("transferred", pay, transfer, "transfer")]
        for kind, amount, ref, key in ledger:
            rows[LedgerEntry].append(
                {
                    "id": self.take_id(LedgerEntry),
                    "engagement_id": eid,
                    "kind": kind,
                    "amount_cents": amount,
                    "currency": "usd",
                    "gateway": "demo",
                    "gateway_ref": ref,
                    "idempotency_key": f"engagement-{eid}-{key}",
                    "created_at": paid if key.startswith("transfer") else accepted,
                }
            )
        rows[EngagementPayment].append(
            {
                "engagement_id": eid,
                "gateway": "demo",
                "state": "paid" if paid else "funded",
                "checkout_attempt": 1,
                "charge_id": charge,
                "payout_attempts": 1 if paid else 0,
                "transfer_id": transfer if paid else "",
                "updated_at": paid or accepted,
            }
        )
        if submitted:
            rows[Submission].append(
                {
                    "id": self.take_id(Submission),
                    "engagement_id": eid,
                    "version": 1,
                    "note": f'Version 1 of the deliverables for "{gig["title"]}".',
                    "link": f"https://docs.example.com/deliverables/gig-{gig['id']}-{student}-v1",
                    "created_by_id": student,
                    "created_at": submitted,
                    "decision": "approved" if approved else "",
                    "decided_at": approved,
                }
            )

    def saved_gigs(self) -> None:
        if not self.open_gigs:
            return
        rows = []
        for student in self.students:
            for gig_id in self.rng.sample(self.open_gigs, min(len(self.open_gigs), self.rng.randint(0, 4))):
                rows.append({"user_id": student, "gig_id": gig_id, "created_at": self.when(0, 20)})
        for start in range(0, len(rows), 50_000):
            _insert(self.session, SavedGig.__table__, rows[start : start + 50_000])


def load(session: Session, *, gigs: int, students: int, today: date | None = None, seed: int = SEED, force: bool = False) -> LoadSummary:
    """Add the load to the session's database (the caller commits). Raises LoadRefused, having
    written nothing, when check_target refuses the database."""
    started = time.perf_counter()
    check_target(session, force=force)
    loader = _Loader(session, today or date.today(), seed)
    sqlite = session.get_bind().dialect.name == "sqlite"
    phases: dict[str, float] = {}
    mark = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal mark
        phases[name] = time.perf_counter() - mark
        mark = time.perf_counter()

    if sqlite:
        search.drop_triggers(session)  # rebuilt below in one statement instead of row by row
    loader.skills()
    loader.career_center()
    loader.employers_and_managers(max(1, -(-gigs // GIGS_PER_EMPLOYER)))
    loader.students_with_profiles(students)
    phase("people")
    loader.gigs(gigs, students * APPLICATIONS_PER_STUDENT)
    loader.saved_gigs()
    _advance_sequences(session, loader.ids)
    phase("gigs")
    if sqlite:
        search.rebuild_index(session)
        phase("search index")
    # What the app's jobs make from these rows: credentials of paid work, employers' records.
    # (The rows each credential names are read in three statements first, so the job finds
    # them in the session instead of asking the database three times per credential.)
    paid = select(Engagement).where(Engagement.id >= loader.first[Engagement], Engagement.status == "paid")
    work = paid.subquery()
    named = [  # held here: the session's identity map only keeps rows someone holds
        *session.exec(select(Gig).where(Gig.id.in_(select(work.c.gig_id)))),
        *session.exec(select(User).where(User.id.in_(select(work.c.student_id)))),
        *session.exec(select(Organization).where(Organization.id >= loader.first[Organization])),
    ]
    credentials.issue_missing(session)
    del named
    phase("credentials")
    track_record.refresh_due(session, datetime.now(UTC))
    phase("track records")
    session.execute(text("ANALYZE"))  # the planner's statistics, for the board's indexes
    session.flush()
    phase("analyze")
    summary = _count(session, loader.first)
    summary.seconds = time.perf_counter() - started
    summary.phases = phases
    return summary


def tidy(engine: Engine) -> None:
    """After the load's commit, on PostgreSQL: VACUUM (outside any transaction) so the visibility
    map lets the board's covering indexes answer without reading the table (index-only scans),
    as autovacuum would a while later. SQLite needs nothing: the load ran ANALYZE."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE)"))


def _count(session: Session, first: dict) -> LoadSummary:
    """Count what the load added: every row it wrote has an id from `first` on."""

    def count(model, *where) -> int:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    counts = {
        "employers": count(Organization, Organization.id >= first[Organization], Organization.kind == "employer"),
        "managers": count(User, User.id >= first[User], User.role == "manager"),
        "students": count(User, User.id >= first[User], User.role == "student"),
        "gigs": count(Gig, Gig.id >= first[Gig]),
        "applications": count(Application, Application.id >= first[Application]),
        "saved gigs": count(SavedGig, SavedGig.user_id >= first[User]),
        "engagements": count(Engagement, Engagement.id >= first[Engagement]),
        "credentials": count(Credential, Credential.engagement_id >= first[Engagement]),
        "ledger rows": count(LedgerEntry, LedgerEntry.id >= first[LedgerEntry]),
    }
    by_status = dict(session.exec(select(Gig.status, func.count()).where(Gig.id >= first[Gig]).group_by(Gig.status)).all())
    return LoadSummary(counts=counts, gigs_by_status=by_status)

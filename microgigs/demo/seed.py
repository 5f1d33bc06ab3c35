"""The demo seed: a small, believable campus (content.py) built through the services.

`seed_demo(session, today)` creates one career center, three approved employers with a
manager each, twenty students and forty gigs, then drives many of those gigs through the
real loop (apply, shortlist, accept, fund, submit, request changes, approve, pay) by
calling the services, so audit events, ledger rows, notifications and outbox mail are
exactly what the product itself would have written. Only what has no service yet is
written directly: the skill vocabulary, the career center and its staff account, the
employers' approval, and the students' profile details.

Everything is deterministic (`random.Random(42)`) and relative to `today`, so the seed
passes the same validation a person would meet in the browser on any day.

Who to sign in as (every account uses DEMO_PASSWORD):
- manager1 (Northwind Analytics): gigs with new applicants, a submission awaiting review.
- student1: a pending and a shortlisted application, an active engagement, a paid one.
- students 11-20 have not applied to the newest gigs; student16-student20 have applied
  to nothing at all, so a browser test can apply fresh.
"""

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from microgigs.demo import builders
from microgigs.demo.content import (
    ANSWERS,
    BS,
    CAREER_CENTER,
    CHANGE_REQUESTS,
    DECLINE_FEEDBACK,
    EMPLOYERS,
    GL,
    MAJORS,
    NOTE_CLOSINGS,
    NOTE_MIDDLES,
    NOTE_OPENINGS,
    NW,
    PLAN_ORDER,
    PLANS_BY_EMPLOYER,
    SCHOOLS,
    SKILLS,
    STAFF,
    STUDENT_NAMES,
    TEMPLATES,
    GigTemplate,
)
from microgigs.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DemoLogin, demo_email
from microgigs.models import (
    Application,
    Engagement,
    Gig,
    LedgerEntry,
    Membership,
    Organization,
    ScreeningQuestion,
    Skill,
    StudentProfile,
    StudentSkill,
    Submission,
    User,
)
from microgigs.services import accounts, applications, audit, engagements, gigs
from microgigs.services.engagements import UploadedFile
from microgigs.services.errors import DomainError
from microgigs.settings import get_settings

NOT_IN_DEMO_MODE = (
    "Demo data is only seeded in demo mode (MICROGIGS_DEMO_MODE=true, which `make run` sets): "
    "its accounts share a published password and must never reach a real install."
)
SEED = 42


@dataclass
class DemoSummary:
    """What the seed left in the database (counted afterwards, not assumed)."""

    career_centers: int = 0
    employers: int = 0
    managers: int = 0
    staff: int = 0
    students: int = 0
    skills: int = 0
    gigs: int = 0
    gigs_by_status: dict[str, int] = field(default_factory=dict)
    applications: int = 0
    applications_by_status: dict[str, int] = field(default_factory=dict)
    engagements: int = 0
    engagements_by_status: dict[str, int] = field(default_factory=dict)
    submissions: int = 0
    ledger_entries: int = 0
    logins: list[DemoLogin] = field(default_factory=lambda: list(DEMO_LOGINS))

    def describe(self) -> str:
        statuses = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(self.gigs_by_status.items()))
        return (
            f"{self.career_centers} career center, {self.employers} employers, {self.students} students, "
            f"{self.gigs} gigs ({statuses}), {self.applications} applications, "
            f"{self.engagements} engagements, {self.submissions} submissions."
        )


def _gig_input(template: GigTemplate, rng: random.Random, today: date, plan: str) -> gigs.GigInput:
    floor = get_settings().pay_floor_cents_per_hour
    pay_cents = max(math.ceil(template.hours * template.rate / 5) * 500, floor * template.hours)
    # Gigs still taking applications stay open for weeks, so a demo database does not go stale fast.
    still_open = plan in ("fresh", "applicants", "partial")
    deadline = today + timedelta(days=rng.randint(14, 40) if still_open else rng.randint(2, 10))
    due = deadline + timedelta(days=rng.randint(10, 28))
    slots = rng.choice((2, 3)) if plan == "partial" else rng.choice((1, 1, 2, 2, 3))
    scope = (
        f"{template.context}\n\nWhat you will do:\n"
        + "\n".join(f"- {task}" for task in template.tasks)
        + f"\n\nHow we work:\n{EMPLOYERS[template.employer]['how']}"
    )
    return gigs.GigInput(
        title=template.title,
        summary=template.summary,
        scope=scope,
        deliverables="\n".join(f"- {d}" for d in template.deliverables),
        category=template.category,
        estimated_hours=template.hours,
        due_date=due,
        application_deadline=deadline,
        start_date=deadline + timedelta(days=1) if rng.random() < 0.5 else None,
        pay_cents=pay_cents,
        skills=list(template.skills),
        location_mode=template.location_mode,
        location=template.location,
        slots=slots,
        blind_review=rng.random() < 0.85,
        questions=list(template.questions),
    )


class _Seeder:
    def __init__(self, session: Session, today: date):
        self.session = session
        self.today = today
        self.rng = random.Random(SEED)
        self.students: list[User] = []  # index 0 is student1
        self.majors: dict[int, str] = {}
        self.skills: dict[str, Skill] = {}
        self.student_skill_names: dict[int, list[str]] = {}
        self.staff: User | None = None
        self.managers: list[User] = []

    # people -------------------------------------------------------------------------

    def skills_vocabulary(self) -> None:
        for category, names in SKILLS.items():
            for name in names:
                skill = Skill(name=name, category=category)
                self.session.add(skill)
                self.skills[name] = skill
        self.session.flush()

    def career_center(self) -> None:
        org = Organization(kind="career_center", status="approved", trusted=True, **CAREER_CENTER)
        self.session.add(org)
        self.session.flush()
        self.staff = accounts.create_privileged_user(
            self.session,
            email=demo_email(STAFF["local"]),
            display_name=STAFF["name"],
            password=DEMO_PASSWORD,
            role="staff",
            title=STAFF["title"],
        )
        self.session.add(Membership(user_id=self.staff.id, organization_id=org.id, role="staff"))
        audit.record(self.session, self.staff, "organization.created", "organization", org.id, status="approved")

    def employers(self) -> None:
        for number, employer in enumerate(EMPLOYERS, start=1):
            # No approval service yet: the career center's staff approve and trust them here.
            manager, org = builders.vetted_employer(
                self.session,
                accounts.SignUp(
                    email=demo_email(f"manager{number}"),
                    password=DEMO_PASSWORD,
                    display_name=employer["manager"],
                    role="manager",
                    organization_name=employer["name"],
                    organization_website=employer["website"],
                ),
                description=employer["description"],
            )
            manager.title = employer["title"]
            audit.record(self.session, self.staff, "organization.approved", "organization", org.id, previous="pending", trusted=True)
            self.managers.append(manager)
        self.session.flush()

    def students_with_profiles(self) -> None:
        majors = list(MAJORS)
        for number, name in enumerate(STUDENT_NAMES, start=1):
            student = builders.signed_up(
                self.session, accounts.SignUp(email=demo_email(f"student{number}"), password=DEMO_PASSWORD, display_name=name)
            )
            major = majors[(number - 1) % len(majors)]
            categories = MAJORS[major]
            pool = [s for c in categories for s in SKILLS[c]]
            extra = [s for c, names in SKILLS.items() if c not in categories for s in names]
            chosen = self.rng.sample(pool, self.rng.randint(3, 5)) + self.rng.sample(extra, self.rng.randint(0, 2))
            for skill_name in chosen:
                self.session.add(StudentSkill(user_id=student.id, skill_id=self.skills[skill_name].id))
            builders.fill_profile(
                self.session,
                student,
                headline=f"{major} student who enjoys {chosen[0].lower()} and {chosen[1].lower()}",
                interests=f"{', '.join(categories)}; {chosen[-1]}",
                hours_per_week=self.rng.choice((5, 8, 10, 12, 15, 20)),
                # Sample links carry no name: blind review must not leak through them.
                links=f"https://portfolio.example.com/work/{student.id * 7919 % 100000:05d}",
                school=self.rng.choice(SCHOOLS),
                major=major,
                graduation_year=self.today.year + self.rng.randint(0, 3),
                first_generation=self.rng.random() < 0.3,
            )
            self.students.append(student)
            self.majors[student.id] = major
            self.student_skill_names[student.id] = chosen
        self.session.flush()

    # the loop -------------------------------------------------------------------------

    def apply(self, student: User, gig: Gig) -> Application:
        skills = self.student_skill_names[student.id]
        profile = self.session.get(StudentProfile, student.id)
        gig_skills = set(self._gig_skill_names(gig))
        skill = next((s for s in skills if s in gig_skills), skills[0])
        note = " ".join(
            (
                self.rng.choice(NOTE_OPENINGS),
                self.rng.choice(NOTE_MIDDLES).format(skill=skill),
                self.rng.choice(NOTE_CLOSINGS).format(hours=profile.hours_per_week),
            )
        )
        questions = self.session.exec(select(ScreeningQuestion).where(ScreeningQuestion.gig_id == gig.id)).all()
        answers = {q.id: self.rng.choice(ANSWERS).format(major=self.majors[student.id]) for q in questions}
        links = [profile.links] if self.rng.random() < 0.6 else []
        return applications.apply(
            self.session, student, gig.id, applications.ApplicationInput(note=note, sample_links=links, answers=answers), today=self.today
        )

    def _gig_skill_names(self, gig: Gig) -> list[str]:
        return gigs.skill_names_by_gig(self.session, [gig.id])[gig.id]

    def submit(self, engagement: Engagement, gig: Gig, student: User) -> None:
        version = engagements.latest_version(self.session, engagement.id) + 1
        slug = f"gig-{gig.id}-{student.id}-v{version}"
        note = (
            f'Version {version} of the deliverables for "{gig.title}". Everything is in the shared folder; '
            "the summary at the top explains what I did and what I would do next."
            if version == 1
            else f"Version {version}: I made the requested changes and noted each one at the top of the document."
        )
        files = None
        if self.rng.random() < 0.4:  # some versions carry a file, like the browser's upload
            text = f"# {gig.title}\n\nDeliverable summary, version {version}.\n\n- What I did\n- What I found\n- Next steps\n"
            files = [UploadedFile(name=f"summary-v{version}.md", data=text.encode())]
        engagements.submit_deliverable(
            self.session, student, engagement.id, note=note, link=f"https://docs.example.com/deliverables/{slug}", files=files
        )

    def run_gig(self, gig: Gig, plan: str, manager: User, pool: list[User], forced: dict[str, User]) -> None:
        """Drive one gig to the state its plan asks for, only through the services."""
        rng = self.rng
        if plan == "fresh":
            applicants = rng.sample(pool, rng.randint(0, 2)) if pool else []
        elif plan in ("applicants", "partial"):
            applicants = rng.sample(pool, rng.randint(3, 6))
        else:
            applicants = rng.sample(pool, min(len(pool), gig.slots + rng.randint(1, 3)))
        for role, student in forced.items():
            if student in applicants:
                applicants.remove(student)
            # the accepted student applies first so their number is low in blind review
            applicants.insert(0 if role == "accept" else len(applicants), student)
        apps = {student.id: self.apply(student, gig) for student in applicants}
        if plan == "fresh" or not apps:
            return

        waiting = [a for a in apps.values() if a.student_id not in {s.id for r, s in forced.items() if r != "accept"}]
        if plan == "applicants":
            for application in waiting[: rng.randint(1, 2)]:
                applications.shortlist(self.session, manager, application.id)
            if len(waiting) > 3 and rng.random() < 0.5:
                applications.decline(self.session, manager, waiting[-1].id, rng.choice(DECLINE_FEEDBACK))
            if "shortlisted" in forced:
                applications.shortlist(self.session, manager, apps[forced["shortlisted"].id].id)
            return

        # Accept as many as the plan takes (partial: one of several slots; otherwise all).
        to_accept = 1 if plan == "partial" else gig.slots
        chosen = waiting[:to_accept]
        for application in chosen:
            if rng.random() < 0.6:
                applications.shortlist(self.session, manager, application.id)
        if plan != "partial" and len(waiting) > to_accept + 1:
            applications.decline(self.session, manager, waiting[-1].id, rng.choice(DECLINE_FEEDBACK))
        accepted = [(applications.accept(self.session, manager, a.id), self.session.get(User, a.student_id)) for a in chosen]

        for index, (engagement, student) in enumerate(accepted):
            if plan == "active" or (plan == "partial" and rng.random() < 0.5):
                continue  # funded and under way; nothing handed in yet
            self.submit(engagement, gig, student)
            if plan == "partial":
                continue
            first = index == 0
            if plan == "changes" and first:
                engagements.request_changes(self.session, manager, engagement.id, rng.choice(CHANGE_REQUESTS))
                continue
            if plan == "review" and first:
                continue  # awaiting the manager's review
            if plan in ("review", "changes"):
                roll = rng.random()
                if roll < 0.4:
                    continue  # also awaiting review
                if roll < 0.7:
                    engagements.request_changes(self.session, manager, engagement.id, rng.choice(CHANGE_REQUESTS))
                    self.submit(engagement, gig, student)
                    continue
                engagements.approve(self.session, manager, engagement.id)
                continue
            # completed: sometimes one round of changes, then approve and pay
            if rng.random() < 0.3:
                engagements.request_changes(self.session, manager, engagement.id, rng.choice(CHANGE_REQUESTS))
                self.submit(engagement, gig, student)
            engagements.approve(self.session, manager, engagement.id)

    def gigs_through_the_loop(self) -> None:
        by_employer: list[list[GigTemplate]] = [[t for t in TEMPLATES if t.employer == e] for e in range(len(EMPLOYERS))]
        planned: list[tuple[int, int, int, str, GigTemplate]] = []  # (plan rank, nth of plan, employer, plan, template)
        for employer, templates in enumerate(by_employer):
            templates = list(templates)
            self.rng.shuffle(templates)
            plans = PLANS_BY_EMPLOYER[employer]
            assert len(plans) == len(templates), "each employer needs one plan per gig template"
            counters: Counter[str] = Counter()
            for plan, template in zip(plans, templates, strict=True):
                planned.append((PLAN_ORDER.index(plan), counters[plan], employer, plan, template))
                counters[plan] += 1
        # Oldest first: finished work, then work under way, then open gigs, newest last.
        planned.sort(key=lambda p: (p[0], p[1], p[2]))

        s = self.students
        student1 = s[0]
        regulars = s[1:15]  # students 2-15 apply around; 16-20 apply to nothing
        fresh_pool = s[1:10]  # the newest gigs: only students 2-10 have applied
        # student1's story, on manager1's (Northwind's) gigs where possible.
        forced_for: dict[tuple[int, str, int], dict[str, User]] = {
            (NW, "completed", 0): {"accept": student1},
            (NW, "active", 0): {"accept": student1},
            (NW, "applicants", 0): {"pending": student1},
            (GL, "applicants", 0): {"shortlisted": student1},
            (BS, "review", 0): {"not_chosen": student1},
        }
        fresh_seen = 0
        fresh_total = sum(1 for p in planned if p[3] == "fresh")
        for _rank, slot, employer, plan, template in planned:
            manager = self.managers[employer]
            gig = gigs.create_gig(self.session, manager, _gig_input(template, self.rng, self.today, plan), today=self.today)
            forced = forced_for.get((employer, plan, slot), {})
            if plan == "fresh":
                fresh_seen += 1
                # The three newest gigs have no applicants at all.
                pool = fresh_pool if fresh_seen <= fresh_total - 3 else []
            else:
                pool = [st for st in regulars if st not in forced.values()]
            self.run_gig(gig, plan, manager, pool, forced)
        self.session.flush()

    def summary(self) -> DemoSummary:
        def count(model, *where) -> int:
            return self.session.exec(select(func.count()).select_from(model).where(*where)).one()

        def by_status(model) -> dict[str, int]:
            return dict(self.session.exec(select(model.status, func.count()).group_by(model.status)).all())

        return DemoSummary(
            career_centers=count(Organization, Organization.kind == "career_center"),
            employers=count(Organization, Organization.kind == "employer", Organization.status == "approved"),
            managers=count(User, User.role == "manager"),
            staff=count(User, User.role.in_(("staff", "admin"))),
            students=count(User, User.role == "student"),
            skills=count(Skill),
            gigs=count(Gig),
            gigs_by_status=by_status(Gig),
            applications=count(Application),
            applications_by_status=by_status(Application),
            engagements=count(Engagement),
            engagements_by_status=by_status(Engagement),
            submissions=count(Submission),
            ledger_entries=count(LedgerEntry),
        )


def seed_demo(session: Session, today: date | None = None) -> DemoSummary:
    """Fill an empty database with the demo campus. Flushes; the caller commits."""
    if not get_settings().demo_mode:
        raise DomainError(NOT_IN_DEMO_MODE)
    seeder = _Seeder(session, today or date.today())
    seeder.skills_vocabulary()
    seeder.career_center()
    seeder.employers()
    seeder.students_with_profiles()
    seeder.gigs_through_the_loop()
    return seeder.summary()

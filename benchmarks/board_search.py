"""Board search at scale: seed 100,000 gigs into a temporary SQLite database (bulk inserts),
run board queries (search + filters + sort + first page, cards included) through the service
on the FTS5 index, then the same queries as naive LIKE scans, and print p50/p95 of both and
their ratio. Figures only; nothing is asserted.

    .venv/bin/python benchmarks/board_search.py [--gigs 100000] [--rounds 40]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, SQLModel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import microgigs.models  # noqa: E402, F401  (registers every table)
from benchmarks.naive_search import like_search  # noqa: E402
from microgigs.db import make_engine  # noqa: E402
from microgigs.models import Organization, Skill, User  # noqa: E402
from microgigs.services import gigs, search  # noqa: E402
from microgigs.services.search import BoardQuery  # noqa: E402

VERBS = ["Clean", "Analyse", "Design", "Write", "Build", "Research", "Map", "Test", "Plan", "Audit", "Translate", "Chart"]
THINGS = [
    "survey data",
    "landing page",
    "logo",
    "dashboard",
    "newsletter",
    "market study",
    "database",
    "podcast notes",
    "grant report",
    "social campaign",
    "pricing model",
    "user interviews",
    "API docs",
    "brand guide",
    "sales funnel",
]
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
SKILLS = [
    "Python",
    "SQL",
    "Excel",
    "Copywriting",
    "Figma",
    "Statistics",
    "Research",
    "Marketing",
    "Tableau",
    "R",
    "JavaScript",
    "Photoshop",
    "SEO",
    "Video editing",
    "Translation",
    "Accounting",
    "Project management",
    "UX research",
    "Data cleaning",
    "Public speaking",
]

QUERIES = [
    BoardQuery(q="survey"),
    BoardQuery(q="dashboard python", sort="match"),
    BoardQuery(q="logo", category="Design", sort="pay"),
    BoardQuery(q="report nonprofit", pay_min=300, sort="deadline"),
    BoardQuery(q="brand", mode="remote", due_within=30),
    BoardQuery(q="market study", hours_max=20, sort="match"),
    BoardQuery(q="translate", skills=["Translation"], sort="newest"),
    BoardQuery(q="acme"),  # employer name
    # Broad ones: every open gig, or a word in most of them. These once counted and sorted
    # every match; now the count stops at the cap ("500+") and the page is read in order.
    BoardQuery(),
    BoardQuery(sort="pay"),
    BoardQuery(category="Design", sort="deadline"),
    BoardQuery(mode="remote", pay_min=500),
    BoardQuery(q="for"),
    BoardQuery(q="data", sort="match"),
]


def seed(engine, n_gigs: int, today: date) -> None:
    rng = random.Random(7)
    now = datetime.now(UTC)
    SQLModel.metadata.create_all(engine)
    # Users, employers and skills through the models (so new columns get their defaults);
    # the 100,000 gigs as one bulk insert below.
    with Session(engine) as session:
        session.add(User(id=1, email="bench@example.edu", display_name="Bench", role="manager", email_verified=True))
        for i in range(1, 301):
            name = f"{rng.choice(['Acme', 'Northwind', 'Globex', 'Initech', 'Umbrella', 'Hooli'])} {i}"
            session.add(Organization(id=i, name=name, kind="employer", status="approved", trusted=True))
        for i, name in enumerate(SKILLS, 1):
            session.add(Skill(id=i, name=name, category="general"))
        session.commit()
    with engine.begin() as conn:
        gig_rows, skill_rows = [], []
        for gid in range(1, n_gigs + 1):
            status = "open" if rng.random() < 0.8 else rng.choice(["completed", "expired", "cancelled", "draft"])
            # An open gig past its deadline would be closed by the app's job: open ones take
            # applications from today on, as on a running board.
            deadline = today + timedelta(days=rng.randint(0 if status == "open" else -30, 40))
            due = deadline + timedelta(days=rng.randint(5, 60))
            hours = rng.randint(2, 80)
            published = now - timedelta(minutes=n_gigs - gid)
            title = f"{rng.choice(VERBS)} {rng.choice(THINGS)} {rng.choice(EXTRA)}"
            gig_rows.append(
                (
                    gid,
                    rng.randint(1, 300),
                    1,
                    title,
                    f"A short {rng.choice(THINGS)} project {rng.choice(EXTRA)}.",
                    "Scope.",
                    "",
                    rng.choice(gigs.CATEGORIES),
                    rng.choice(gigs.LOCATION_MODES),
                    "",
                    hours,
                    None,
                    due,
                    deadline,
                    1,
                    0,
                    hours * rng.randint(2000, 6000),
                    "usd",
                    1,
                    2,
                    status,
                    "",
                    published,
                    published,
                    published,
                )
            )
            for sid in rng.sample(range(1, len(SKILLS) + 1), rng.randint(1, 4)):
                skill_rows.append((gid, sid))
        conn.exec_driver_sql(
            "INSERT INTO gig (id, organization_id, created_by_id, title, summary, scope, deliverables, category, location_mode,"
            " location, estimated_hours, start_date, due_date, application_deadline, slots, filled_slots, pay_cents, currency,"
            " blind_review, max_revision_rounds, status, status_reason, created_at, updated_at, published_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            gig_rows,
        )
        conn.exec_driver_sql("INSERT INTO gigskill (gig_id, skill_id) VALUES (?,?)", skill_rows)
    with Session(engine) as session:
        search.ensure_index(session)  # builds the FTS5 table from the rows in one statement
        session.commit()
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def timed(fn, rounds: int) -> tuple[list[float], list[float], dict[str, list[float]]]:
    """Wall-clock and CPU milliseconds per query (the CPU figure is this process's own time:
    on a machine shared with other work it shows what waiting for a core hides)."""
    wall, cpu, by_kind = [], [], {}
    for _ in range(rounds):
        for query in QUERIES:
            start, start_cpu = time.perf_counter(), time.process_time()
            fn(query)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            by_kind.setdefault(query.url(), []).append(wall[-1])
    return wall, cpu, by_kind


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40, help="rounds of the query set on the index")
    parser.add_argument("--naive-rounds", type=int, default=5, help="rounds of the query set as LIKE scans")
    args = parser.parse_args()
    today = date.today()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        start = time.perf_counter()
        seed(engine, args.gigs, today)
        print(f"seeded {args.gigs:,} gigs in {time.perf_counter() - start:.1f} s")
        with Session(engine) as session:

            def indexed(query):
                return gigs.list_board(session, filters=query, today=today)

            def naive(query):
                result = like_search(session, query, today=today)
                return gigs.cards_by_ids(session, result.gig_ids)

            for query in QUERIES:  # warm-up, and a sanity check that both agree
                a = search.search_gigs(session, query, today=today)
                b = like_search(session, query, today=today)
                shown = f"{a.total:,}+" if a.capped else f"~{a.total:,}" if a.estimated else f"{a.total:,}"
                print(f"  {query.url():<52} {shown:>7} matches (LIKE counts all: {b.total:,})")
            fast, fast_cpu, by_kind = timed(indexed, args.rounds)
            slow, slow_cpu, _ = timed(naive, args.naive_rounds)
        engine.dispose()
    print(f"board queries, {len(QUERIES)} kinds, server-side, incl. first page of cards:")
    print(
        f"  index      : p50 {pct(fast, 50):7.2f} ms   p95 {pct(fast, 95):7.2f} ms   ({len(fast)} runs)"
        f"   CPU p50 {pct(fast_cpu, 50):.2f} p95 {pct(fast_cpu, 95):.2f} ms"
    )
    print(
        f"  naive LIKE : p50 {pct(slow, 50):7.2f} ms   p95 {pct(slow, 95):7.2f} ms   ({len(slow)} runs)"
        f"   CPU p50 {pct(slow_cpu, 50):.2f} p95 {pct(slow_cpu, 95):.2f} ms"
    )
    print(f"  ratio LIKE/index: p50 {pct(slow, 50) / pct(fast, 50):.1f}x   p95 {pct(slow, 95) / pct(fast, 95):.1f}x")
    print("  slowest kinds (p95 wall ms):")
    for url, values in sorted(by_kind.items(), key=lambda kv: -pct(kv[1], 95))[:5]:
        print(f"    {pct(values, 95):7.2f}  {url}")
    print(f"  load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

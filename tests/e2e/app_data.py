"""Data that browser tests put straight into the served app's database through the services
(demo manager1 posts; a new student applies and is accepted), so each test starts where it means to."""

from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session, select

from microgigs.db import make_engine
from microgigs.demo import builders
from microgigs.models import User
from microgigs.services import accounts, applications, gigs
from microgigs.services.applications import ApplicationInput
from microgigs.services.gigs import GigInput

DEMO_PASSWORD = "demo-password-2026"
DEMO_MANAGER = "manager1@demo.microgigs.test"


@contextmanager
def app_session(data_dir: Path):
    engine = make_engine(f"sqlite:///{data_dir / 'microgigs.db'}")
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()


def demo_manager(session: Session) -> User:
    return session.exec(select(User).where(User.email == DEMO_MANAGER)).one()


def survey_gig(title: str, **overrides) -> GigInput:
    """A small, fairly paid data gig due in a month."""
    values = dict(
        title=title,
        summary="Chart the five main findings of a member survey.",
        scope="Clean the CSV export, then chart the five findings that matter most.",
        category="Data analysis",
        estimated_hours=10,
        due_date=date.today() + timedelta(days=30),
        application_deadline=date.today() + timedelta(days=10),
        pay_cents=45_000,
    )
    return GigInput(**{**values, **overrides})


def funded_engagement(data_dir: Path, student_email: str, student_name: str, title: str) -> int:
    """A new student accepted on a new gig of manager1's (the demo gateway funds it at once)."""
    with app_session(data_dir) as session:
        manager = demo_manager(session)
        student = builders.signed_up(session, accounts.SignUp(email=student_email, password=DEMO_PASSWORD, display_name=student_name))
        gig = gigs.create_gig(session, manager, survey_gig(title))
        application = applications.apply(session, student, gig.id, ApplicationInput(note="I have cleaned survey exports before."))
        engagement = applications.accept(session, manager, application.id)
        session.commit()
        return engagement.id

"""Refusals of the service entry points, called as anyone but the person they are for.

Issue 18 found three with no test: opening checkout for a gig you don't manage, payout onboarding
by a non-student, the dispute queue read by non-staff. Those and every other entry point whose
refusal no test named are here. A refusal raises NotAllowed (or NotFound: the caller may not even
know the thing exists), writes no row, asks the payment gateway nothing and returns nothing; and the
people it is for do get it, so no refusal passes by refusing everyone.

`test_every_entry_point_has_a_refusal_test` keeps it so: a new service function taking
(session, actor, ...) fails it until some test calls it inside `pytest.raises`, or this file's
table has it, or NOT_REFUSALS says why it refuses nobody.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import SQLModel, select

import microgigs.services
from microgigs.models import Dispute, EngagementPayment, PayoutAccount, User
from microgigs.services import (
    accounts,
    calendar_feed,
    calendar_links,
    center_settings,
    disputes,
    gigs,
    insights,
    money,
    payments,
    portfolio,
    profiles,
)
from microgigs.services.center_settings import CenterSettingsForm
from microgigs.services.errors import NotAllowed, NotFound
from microgigs.state.disputes import DisputeQueueState
from tests.stripe_fake.world import stripe_world
from tests.unit.conftest import PASSWORD, Factory, Hired
from tests.unit.state_harness import redirect_path, run_handler, session_token, state_for
from tests.unit.test_center_settings import png

REFUSED = (NotAllowed, NotFound)


# --- the cast -------------------------------------------------------------------------------------


@dataclass
class Cast:
    """An employer E whose manager hired a student, and everyone around them."""

    hired: Hired
    draft_id: int  # a draft gig of E
    people: dict[str, User | None]  # role -> the person (None: a visitor)


def cast_of(session, make: Factory) -> Cast:
    hired = make.hired()
    unconfirmed_manager = make.second_manager(hired.employer)
    unconfirmed_manager.email_verified = False  # a manager of E whose address nobody confirmed
    session.add(unconfirmed_manager)
    people = {
        "visitor": None,
        "unconfirmed student": make.unconfirmed_student(),
        "unconfirmed manager of E": unconfirmed_manager,
        "the hired student": hired.student,
        "another student": make.student(),
        "E's manager": hired.employer.manager,
        "another employer's manager": make.employer().manager,
        "staff": make.staff(),
        "admin": accounts.create_privileged_user(session, email=make.email("admin"), display_name="Admin", password=PASSWORD, role="admin"),
    }
    draft = gigs.create_gig(session, hired.employer.manager, Factory.gig_input(title="Still a draft"), publish=False)
    session.flush()
    return Cast(hired, draft.id, people)


STUDENTS = frozenset({"the hired student", "another student"})
STAFF = frozenset({"staff", "admin"})
ADMIN = frozenset({"admin"})  # who runs the install (the center's own settings)
CONFIRMED = STUDENTS | STAFF | {"E's manager", "another employer's manager"}
CALENDAR_KEEPERS = STUDENTS | {"E's manager", "another employer's manager"}
# Where a page sends those who are not (yet) anyone.
SENT_AWAY = {"visitor": "/login", "unconfirmed student": "/account", "unconfirmed manager of E": "/account"}


def every_row(session) -> dict[str, list[tuple]]:
    """Every row of every table, read through the session (so a write not yet flushed shows too)."""
    return {table.name: sorted(map(tuple, session.execute(table.select()).all()), key=repr) for table in SQLModel.metadata.sorted_tables}


def assert_refused_without_a_trace(session, call: Callable[[], object], who: str) -> None:
    before = every_row(session)
    with pytest.raises(REFUSED):
        call()
    written = {name for name, rows in every_row(session).items() if rows != before[name]}
    assert not written, f"{who} was refused, yet these tables changed: {sorted(written)}"


# --- checkout, payout onboarding: with Stripe (the fake), so a call to the gateway would show -----


@pytest.fixture
def stripe(app_db, set_setting):
    with stripe_world(set_setting) as world:
        yield world.stripe


def test_only_the_gigs_own_managers_open_its_checkout(session, make, stripe):
    cast = cast_of(session, make)
    engagement = cast.hired.engagement
    session.commit()
    first = session.get(EngagementPayment, engagement.id).checkout_session_id
    # The first checkout expired unseen: whoever may fund it now gets a new one from Stripe.
    stripe.control("expire", first, deliver=False)
    asked = len(stripe.fake.requests)
    for role, person in cast.people.items():
        if role == "E's manager":
            continue
        assert_refused_without_a_trace(session, lambda: payments.open_checkout(session, person, engagement.id), role)
        assert stripe.fake.requests[asked:] == [], f"{role} was refused, yet Stripe was asked"
    assert len(stripe.of("checkout.session")) == 1
    # The gig's manager does get a new checkout.
    assert payments.open_checkout(session, cast.hired.employer.manager, engagement.id).startswith(stripe.url)
    assert len(stripe.of("checkout.session")) == 2


def test_only_students_set_up_payouts(session, make, stripe):
    cast = cast_of(session, make)
    session.commit()
    asked = len(stripe.fake.requests)
    for role, person in cast.people.items():
        if role in STUDENTS:
            continue
        assert_refused_without_a_trace(session, lambda: payments.payout_onboarding_url(session, person), role)
        assert stripe.fake.requests[asked:] == [], f"{role} was refused, yet Stripe was asked"
    assert stripe.of("account") == [] and session.exec(select(PayoutAccount)).all() == []
    # A student is sent to Stripe's onboarding for a new Express account.
    student = cast.people["another student"]
    assert payments.payout_onboarding_url(session, student).startswith(stripe.url)
    assert [a["id"] for a in stripe.of("account")] == [session.get(PayoutAccount, student.id).account_id]


# --- the dispute queue: the service and the /staff/disputes page -------------------------------------


def test_only_staff_read_the_dispute_queue_not_even_the_disputes_own_parties(session, make, app_db):
    cast = cast_of(session, make)
    make.submit(cast.hired)
    dispute = disputes.open_dispute(session, cast.hired.student, cast.hired.engagement.id, "The brief changed after I started.")
    session.commit()
    for role, person in cast.people.items():
        if role in STAFF:
            assert [d.id for d in disputes.open_disputes(session, person)] == [dispute.id]
            continue
        assert_refused_without_a_trace(session, lambda: disputes.open_disputes(session, person), role)
        # The page shows not one row of the queue: a visitor is sent to sign in, an unconfirmed
        # account to confirm its address, anyone else is told no.
        page = state_for(DisputeQueueState, "/staff/disputes", session_token(app_db, person) if person else "")
        answer = run_handler("load", page)
        sent_to = redirect_path(answer).split("?")[0] if answer is not None else ""
        assert (page.allowed, page.items, page.loaded, sent_to) == (False, [], role not in SENT_AWAY, SENT_AWAY.get(role, "")), role
    page = state_for(DisputeQueueState, "/staff/disputes", session_token(app_db, cast.people["staff"]))
    run_handler("load", page)
    assert page.allowed and [row[0] for row in page.items] == [str(dispute.id)]
    assert session.exec(select(Dispute)).one().status == "open"


# --- the other entry points no test refused --------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """Call an entry point as `person` on the cast's objects; `allowed`: the roles it is for."""

    call: Callable[..., object]
    allowed: frozenset[str]


ENTRIES: dict[str, Entry] = {
    "disputes.open_disputes": Entry(lambda s, c, p: disputes.open_disputes(s, p), STAFF),
    "insights.employers": Entry(lambda s, c, p: insights.employers(s, p), STAFF),
    "money.failed_payouts": Entry(lambda s, c, p: money.failed_payouts(s, p), STAFF),
    "money.money_overview": Entry(lambda s, c, p: money.money_overview(s, p), STAFF),
    "money.reconcile": Entry(lambda s, c, p: money.reconcile(s, p), STAFF),
    "profiles.student_for_staff": Entry(lambda s, c, p: profiles.student_for_staff(s, p, c.hired.student.id), STAFF),
    "portfolio.finished_work": Entry(lambda s, c, p: portfolio.finished_work(s, p), STUDENTS),
    "gigs.saved.saved_cards": Entry(lambda s, c, p: gigs.saved_cards(s, p), STUDENTS),
    "gigs.saved.saved_gig_ids": Entry(lambda s, c, p: gigs.saved_gig_ids(s, p), STUDENTS),
    "gigs.saved.unsave_gig": Entry(lambda s, c, p: gigs.unsave_gig(s, p, c.hired.gig.id), STUDENTS),
    "gigs.drafts.draft_for_edit": Entry(lambda s, c, p: gigs.draft_for_edit(s, p, c.draft_id), frozenset({"E's manager"})),
    "gigs.drafts.post_draft": Entry(lambda s, c, p: gigs.post_draft(s, p, c.draft_id), frozenset({"E's manager"})),
    "profiles.profile_view": Entry(lambda s, c, p: profiles.profile_view(s, p), CONFIRMED),
    "profiles.set_language": Entry(lambda s, c, p: profiles.set_language(s, p, "es"), CONFIRMED),
    "center_settings.form_values": Entry(lambda s, c, p: center_settings.form_values(s, p), ADMIN),
    "center_settings.save": Entry(lambda s, c, p: center_settings.save(s, p, CenterSettingsForm(name="Career Hub")), ADMIN),
    "center_settings.save_logo": Entry(lambda s, c, p: center_settings.save_logo(s, p, "logo.png", png(2, 2)), ADMIN),
    "center_settings.remove_logo": Entry(lambda s, c, p: center_settings.remove_logo(s, p), ADMIN),
    # A calendar link is for people with dates to follow: students and employer managers.
    "calendar_links.link_of": Entry(lambda s, c, p: calendar_links.link_of(s, p), CALENDAR_KEEPERS),
    "calendar_links.create_link": Entry(lambda s, c, p: calendar_links.create_link(s, p), CALENDAR_KEEPERS),
    "calendar_links.revoke_link": Entry(lambda s, c, p: calendar_links.revoke_link(s, p), CALENDAR_KEEPERS),
    "calendar_feed.events_for": Entry(lambda s, c, p: calendar_feed.events_for(s, p), CALENDAR_KEEPERS),
}
# With Stripe, so that a call to the gateway would show: the tests above.
REFUSED_ABOVE = {
    "payments.funding.open_checkout": test_only_the_gigs_own_managers_open_its_checkout,
    "payments.onboarding.payout_onboarding_url": test_only_students_set_up_payouts,
}


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_the_entry_point_refuses_everyone_it_is_not_for(name, session, make):
    entry = ENTRIES[name]
    cast = cast_of(session, make)
    for role, person in cast.people.items():
        if role not in entry.allowed:
            assert_refused_without_a_trace(session, lambda: entry.call(session, cast, person), role)
    for role in sorted(entry.allowed):
        entry.call(session, cast, cast.people[role])  # raises if it refuses one of its own people


# --- completeness ------------------------------------------------------------------------------------


# Entry points taking an actor that refuse nobody, and why (each one's behaviour has its own tests).
NOT_REFUSALS = {
    "audit.record": "writes who did what; the actor is the subject of the row, not a caller to check",
    "application_lifecycle.started": "audits an application its caller's service just created",
    "engagement_lifecycle.started": "audits an engagement its caller's service just created",
    "closing.cancel_engagement": "settles one engagement for engagements.cancel and closing, which check the caller first",
    "view_log.record_views": "notes what a person saw; a visitor is simply not recorded",
    "dashboards.notification_center": "reads the caller's own notifications, which is all it can name",
    "gigs.drafts.posting_organizations": "lists the employers the caller may post for: none for anyone else",
    "gigs.lookups.student_skill_ids": "the caller's own skills: none for anyone but a student",
    "gigs.recommendations.recommended_for": "gigs for the caller's own skills: none for anyone but a student",
    "gigs.saved.is_saved": "whether the caller saved a gig: False for anyone but a student",
    "money.refresh_payout_account": "re-reads the caller's own payout account: nothing to do for anyone else",
    "organizations.team": "the caller's own employer: None for anyone who manages none",
    **{
        f"policy.{name}": "a rule others check, answering True or False"
        for name in (
            "is_owner",
            "manages_gig",
            "manages_organization",
            "may_allow_public_evidence",
            "may_manage_members",
            "may_post_gigs",
            "may_view_engagement",
            "organization_ids_managed_by",
        )
    },
}


def entry_points() -> dict[str, tuple[str, ...]]:
    """Every public function of microgigs/services whose first arguments are (session, actor), as
    "module.function" (below microgigs.services) -> the names a test may call it by."""
    found = {}
    for module_info in pkgutil.walk_packages(microgigs.services.__path__, "microgigs.services."):
        module = importlib.import_module(module_info.name)
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function) or function.__module__ != module.__name__:
                continue
            if list(inspect.signature(function).parameters)[:2] == ["session", "actor"]:
                parts = module.__name__.removeprefix("microgigs.services.").split(".")
                # gigs.drafts.post_draft is called as drafts.post_draft or gigs.post_draft (a package re-exports it).
                found[f"{'.'.join(parts)}.{name}"] = (*(f"{part}.{name}" for part in parts), name)
    return found


def called_under_pytest_raises() -> set[str]:
    """Every call "module.function" or "function" that some test makes inside `with pytest.raises(...)`."""
    called = set()
    for path in Path(__file__).parents[1].rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.With) or not any("raises" in ast.unparse(item.context_expr) for item in node.items):
                continue
            for inner in ast.walk(ast.Module(body=node.body, type_ignores=[])):
                if isinstance(inner, ast.Call):
                    called.add(ast.unparse(inner.func))
    return called


def test_every_entry_point_has_a_refusal_test():
    found = entry_points()
    assert len(found) >= 100  # the walk found them (not an empty package)
    called = called_under_pytest_raises()
    untested = sorted(
        name
        for name, spellings in found.items()
        if name not in {**ENTRIES, **REFUSED_ABOVE, **NOT_REFUSALS} and not set(spellings) & called
    )
    assert not untested, f"test that these refuse whom they are not for (or say in NOT_REFUSALS why they refuse nobody): {untested}"
    stale = sorted((set(ENTRIES) | set(REFUSED_ABOVE) | set(NOT_REFUSALS)) - set(found))
    assert not stale, f"these name no service entry point: {stale}"

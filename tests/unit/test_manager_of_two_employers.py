"""A manager who belongs to two employers (an accepted invitation from a second one) posts for
either, chosen on the form and checked by the service, and sees both employers' gigs."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from microgigs.models import Gig, Membership
from microgigs.services import dashboards, gigs
from microgigs.services.errors import NotAllowed
from microgigs.services.validation import ValidationFailed
from microgigs.state.post_gig import form_values, gig_input_from_form


def two_employers(make, *, second_status: str = "approved"):
    """`first`'s manager also manages `second` (as an accepted invitation leaves it)."""
    first = make.employer("First Employer")
    second = make.employer("Second Employer", status=second_status)
    make.session.add(Membership(user_id=first.manager.id, organization_id=second.org.id, role="manager"))
    make.session.flush()
    return first, second


def test_the_form_choice_decides_which_employer_posts(session, make):
    first, second = two_employers(make)
    assert [o.name for o in gigs.posting_organizations(session, first.manager)] == ["First Employer", "Second Employer"]
    gig = gigs.create_gig(session, first.manager, make.gig_input(title="For the second one", organization_id=second.org.id))
    assert gig.organization_id == second.org.id
    gig = gigs.create_gig(session, first.manager, make.gig_input(title="For the first one", organization_id=first.org.id))
    assert gig.organization_id == first.org.id


def test_with_two_employers_no_choice_is_a_field_message_with_the_others_and_nothing_saved(session, make):
    first, _ = two_employers(make)
    with pytest.raises(ValidationFailed) as refused:
        gigs.create_gig(session, first.manager, make.gig_input(title=""))
    assert refused.value.errors["organization_id"] == gigs.CHOOSE_ORGANIZATION
    assert "title" in refused.value.errors  # every problem in one pass
    assert session.exec(select(Gig)).all() == []


def test_an_employer_the_manager_does_not_manage_is_refused(session, make):
    first, _ = two_employers(make)
    stranger = make.employer("Someone Else Inc")
    with pytest.raises(ValidationFailed) as refused:
        gigs.create_gig(session, first.manager, make.gig_input(organization_id=stranger.org.id))
    assert refused.value.errors == {"organization_id": gigs.CHOOSE_ORGANIZATION}
    assert session.exec(select(Gig).where(Gig.organization_id == stranger.org.id)).all() == []


def test_an_unapproved_second_employer_cannot_be_chosen_and_is_not_offered(session, make):
    first, pending = two_employers(make, second_status="pending")
    assert [o.name for o in gigs.posting_organizations(session, first.manager)] == ["First Employer"]
    with pytest.raises(ValidationFailed) as refused:
        gigs.create_gig(session, first.manager, make.gig_input(organization_id=pending.org.id))
    assert "not approved" in refused.value.errors["organization_id"]
    # With only one employer it may post for, no choice is needed.
    assert gigs.create_gig(session, first.manager, make.gig_input()).organization_id == first.org.id


def test_a_manager_of_one_employer_needs_no_choice_and_an_unapproved_one_still_cannot_post(session, make):
    solo = make.employer("Solo Employer")
    assert gigs.create_gig(session, solo.manager, make.gig_input()).organization_id == solo.org.id
    pending = make.employer("Pending Employer", status="pending")
    assert gigs.posting_organizations(session, pending.manager) == []
    with pytest.raises(NotAllowed):
        gigs.create_gig(session, pending.manager, make.gig_input())


def test_the_dashboard_shows_the_gigs_of_every_employer_with_their_names(session, make):
    first, second = two_employers(make)
    gigs.create_gig(session, first.manager, make.gig_input(title="Gig of the first", organization_id=first.org.id))
    gigs.create_gig(session, first.manager, make.gig_input(title="Gig of the second", organization_id=second.org.id))
    make.gig(second, title="Posted by the other manager")
    view = dashboards.manager_dashboard(session, first.manager)
    assert view.organizations == ["First Employer", "Second Employer"]
    assert {(g.title, g.employer) for g in view.gigs} == {
        ("Gig of the first", "First Employer"),
        ("Gig of the second", "Second Employer"),
        ("Posted by the other manager", "Second Employer"),
    }
    # The second employer's own manager still sees only that employer's gigs.
    other = dashboards.manager_dashboard(session, second.manager)
    assert {g.title for g in other.gigs} == {"Gig of the second", "Posted by the other manager"}


def test_the_form_carries_the_chosen_organization_and_ignores_junk():
    data, problems = gig_input_from_form({"organization_id": "7", "title": "t"})
    assert data.organization_id == 7 and "organization_id" not in problems
    assert gig_input_from_form({"organization_id": "seven"})[0].organization_id is None
    assert gig_input_from_form({})[0].organization_id is None
    assert form_values(data)["organization_id"] == "7"


def test_the_posting_page_offers_the_choice_only_to_a_manager_of_several(app_db, make):
    from microgigs.state.post_gig import PostGigState
    from tests.unit.state_harness import run_handler, session_token, state_for

    first, second = two_employers(make)
    solo = make.employer("Solo Employer")
    app_db.commit()
    state = state_for(PostGigState, "/gigs/new", session_token(app_db, first.manager))
    run_handler("load_post_gig", state)
    assert state.choose_organization
    assert state.organization_choices == [
        {"value": str(first.org.id), "text": "First Employer"},
        {"value": str(second.org.id), "text": "Second Employer"},
    ]

    today = date.today()
    form = {
        "title": "Map the campus trees",
        "summary": "Count and map trees.",
        "scope": "Walk the campus and log each tree.",
        "category": "Research",
        "estimated_hours": "10",
        "pay": "300",
        "slots": "1",
        "location_mode": "remote",
        "due_date": (today + timedelta(days=30)).isoformat(),
        "application_deadline": (today + timedelta(days=10)).isoformat(),
    }
    run_handler("post", state, form)
    assert state.errors == {"organization_id": gigs.CHOOSE_ORGANIZATION}
    run_handler("post", state, {**form, "organization_id": str(second.org.id)})
    assert state.errors == {}
    app_db.expire_all()
    assert app_db.exec(select(Gig.organization_id).where(Gig.title == "Map the campus trees")).all() == [second.org.id]

    alone = state_for(PostGigState, "/gigs/new", session_token(app_db, solo.manager))
    run_handler("load_post_gig", alone)
    assert not alone.choose_organization

"""Edit a draft, reuse an old gig as a template, preview before posting: the page states
driven as the browser would (URL, session cookie), with every refusal."""

from datetime import date, timedelta

from sqlmodel import select

from microgigs.models import Gig
from microgigs.services import gigs
from microgigs.state.post_gig import PostGigState, form_values
from microgigs.state.preview_gig import PreviewGigState
from tests.unit.state_harness import redirect_path, run_handler, session_token, state_for


def form_from(state) -> dict:
    """What the browser posts when the person changes nothing: the form's starting values."""
    return {**state.values, "skills": list(state.chosen_skills)}


def test_form_values_round_trip_a_gig(app_db, make):
    employer = make.employer()
    gig = make.gig(employer, publish=False, pay_cents=45_050, questions=["Why?", "When?"], blind_review=False)
    values = form_values(gigs.input_from_gig(app_db, gig))
    assert values["pay"] == "450.50" and values["questions"] == "Why?\nWhen?" and values["blind_review"] == ""
    assert values["due_date"] == gig.due_date.isoformat() and values["slots"] == "1"


def test_a_manager_edits_a_draft_and_previews_it(app_db, make):
    employer = make.employer()
    draft = make.gig(employer, publish=False, title="First title", skills=["Python"])
    app_db.commit()
    state = state_for(PostGigState, f"/gigs/{draft.id}/edit", session_token(app_db, employer.manager))
    run_handler("load_post_gig", state)
    assert state.editing_id == draft.id and state.not_found == ""
    assert state.values["title"] == "First title" and state.values["pay"] == "300" and state.chosen_skills == ["Python"]

    form = {**form_from(state), "title": "A better title", "skills": ["Python", "SQL"]}
    run_handler("set_intent", state, "preview")
    assert redirect_path(run_handler("post", state, form)) == f"/gigs/{draft.id}/preview"
    app_db.expire_all()
    edited = app_db.get(Gig, draft.id)
    assert (edited.title, edited.status) == ("A better title", "draft")
    assert app_db.exec(select(Gig).where(Gig.title == "A better title")).all() == [edited]  # edited, not copied

    # Bad input: the message is next to the field and nothing is written.
    run_handler("set_intent", state, "preview")
    run_handler("post", state, {**form, "title": "", "pay": "abc"})
    assert state.errors["title"] == "Enter a title." and "dollars" in state.errors["pay"]
    app_db.expire_all()
    assert app_db.get(Gig, draft.id).title == "A better title"


def test_editing_is_refused_to_other_managers_and_after_submission(app_db, make):
    employer, rival = make.employer(), make.employer()
    draft = make.gig(employer, publish=False, title="Ours")
    live = make.gig(employer, title="Already open")
    app_db.commit()

    state = state_for(PostGigState, f"/gigs/{draft.id}/edit", session_token(app_db, rival.manager))
    run_handler("load_post_gig", state)
    assert state.not_found == "Only the gig's own managers can edit it." and state.values.get("title", "") == ""
    run_handler("post", state, {**form_values(gigs.input_from_gig(app_db, draft)), "title": "Theirs"})
    assert state.form_error == "Only the gig's own managers can edit it."

    state = state_for(PostGigState, f"/gigs/{live.id}/edit", session_token(app_db, employer.manager))
    run_handler("load_post_gig", state)
    assert state.not_found == "A gig that is open can no longer be edited."
    run_handler("post", state, {**form_values(gigs.input_from_gig(app_db, live)), "title": "Changed"})
    assert state.form_error == "A gig that is open can no longer be edited."
    app_db.expire_all()
    assert app_db.get(Gig, draft.id).title == "Ours" and app_db.get(Gig, live.id).title == "Already open"


def test_an_old_gig_as_a_template_becomes_a_new_draft(app_db, make):
    employer = make.employer()
    old = make.gig(employer, title="Count the bees", questions=["Have you kept bees?"])
    app_db.commit()
    state = state_for(PostGigState, f"/gigs/new?from={old.id}", session_token(app_db, employer.manager))
    run_handler("load_post_gig", state)
    assert state.editing_id == 0 and state.template_title == "Count the bees"
    assert state.values["title"] == "Count the bees" and state.values["questions"] == "Have you kept bees?"
    assert state.values["due_date"] == state.values["application_deadline"] == ""  # dates are the new gig's

    today = date.today()
    form = {
        **form_from(state),
        "due_date": (today + timedelta(days=40)).isoformat(),
        "application_deadline": (today + timedelta(days=12)).isoformat(),
    }
    run_handler("set_intent", state, "preview")
    target = redirect_path(run_handler("post", state, form))
    new_id = int(target.split("/")[2])
    assert target == f"/gigs/{new_id}/preview" and new_id != old.id
    app_db.expire_all()
    copy = app_db.get(Gig, new_id)
    assert (copy.title, copy.status, copy.due_date) == ("Count the bees", "draft", today + timedelta(days=40))
    assert app_db.get(Gig, old.id).status == "open"


def test_a_template_of_another_employers_gig_is_refused(app_db, make):
    employer, rival = make.employer(), make.employer()
    theirs = make.gig(rival, title="Secret sauce")
    app_db.commit()
    state = state_for(PostGigState, f"/gigs/new?from={theirs.id}", session_token(app_db, employer.manager))
    run_handler("load_post_gig", state)
    assert "You can only reuse your own employer's gigs." in state.not_found
    assert state.values.get("title", "") == "" and state.template_title == ""


def test_preview_then_post_for_review(app_db, make):
    employer = make.employer(trusted=False)
    draft = make.gig(employer, publish=False, title="Pollinator census")
    app_db.commit()
    state = state_for(PreviewGigState, f"/gigs/{draft.id}/preview", session_token(app_db, employer.manager))
    run_handler("load_preview", state)
    assert state.found and state.card.title == "Pollinator census" and state.card.status == "draft" and state.can_post
    assert state.scope_html.startswith("<p>")
    assert run_handler("post_draft", state) is None
    assert state.posted_status == "in_review" and not state.can_post and state.post_error == ""
    app_db.expire_all()
    assert app_db.get(Gig, draft.id).status == "in_review"
    run_handler("post_draft", state)  # twice: refused with a reason, nothing changes
    assert state.post_error == "A gig that is in review cannot become in review."


def test_preview_of_a_trusted_employers_draft_posts_it_open(app_db, make):
    employer = make.employer(trusted=True)
    draft = make.gig(employer, publish=False)
    app_db.commit()
    state = state_for(PreviewGigState, f"/gigs/{draft.id}/preview", session_token(app_db, employer.manager))
    run_handler("load_preview", state)
    assert redirect_path(run_handler("post_draft", state)) == f"/gigs/{draft.id}"
    app_db.expire_all()
    assert app_db.get(Gig, draft.id).status == "open"


def test_preview_is_only_for_the_gigs_managers(app_db, make):
    employer, rival = make.employer(), make.employer()
    draft = make.gig(employer, publish=False)
    app_db.commit()
    for viewer in (rival.manager, make.student()):
        app_db.commit()
        state = state_for(PreviewGigState, f"/gigs/{draft.id}/preview", session_token(app_db, viewer))
        run_handler("load_preview", state)
        assert not state.found
        run_handler("post_draft", state)
        assert state.post_error != ""
    app_db.expire_all()
    assert app_db.get(Gig, draft.id).status == "draft"


def test_a_stale_draft_is_checked_again_before_it_is_posted(app_db, make):
    employer = make.employer()
    draft = make.gig(employer, publish=False)
    draft.application_deadline = date.today() - timedelta(days=3)  # saved long ago
    app_db.add(draft)
    app_db.commit()
    state = state_for(PreviewGigState, f"/gigs/{draft.id}/preview", session_token(app_db, employer.manager))
    run_handler("load_preview", state)
    run_handler("post_draft", state)
    assert state.post_error.startswith("This draft needs changes") and state.post_problems
    app_db.expire_all()
    assert app_db.get(Gig, draft.id).status == "draft"


def test_the_preview_button_saves_a_draft_and_opens_its_preview(app_db, make):
    employer = make.employer()
    app_db.commit()
    state = state_for(PostGigState, "/gigs/new", session_token(app_db, employer.manager))
    run_handler("load_post_gig", state)
    today = date.today()
    form = {
        "title": "Preview me",
        "summary": "Short",
        "scope": "Scope",
        "category": "Research",
        "estimated_hours": "5",
        "due_date": (today + timedelta(days=20)).isoformat(),
        "application_deadline": (today + timedelta(days=5)).isoformat(),
        "slots": "1",
        "pay": "200",
    }
    run_handler("set_intent", state, "preview")
    target = redirect_path(run_handler("post", state, form))
    gig = app_db.exec(select(Gig).where(Gig.title == "Preview me")).one()
    assert target == f"/gigs/{gig.id}/preview" and gig.status == "draft"
    assert state.intent == "post"  # the next submit is a post unless its button says otherwise

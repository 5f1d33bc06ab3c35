"""The workspace's actions record: the service says what each viewer may do now, from the status
and who they are in the engagement; and the workspace's handlers take any argument a forged
event sends (None, text, lists) without raising."""

from datetime import timedelta

from microgigs.services import dashboards, engagements
from microgigs.services.dashboards import WorkspaceActions
from microgigs.state.workspace import RELOAD, EngagementState, ExtensionForm, ReviewForm
from tests.unit.state_harness import form_of, run_handler, session_token, state_for


def _actions(session, who, hired) -> WorkspaceActions:
    return dashboards.engagement_view(session, who, hired.engagement.id).actions


def _allowed(actions: WorkspaceActions) -> set[str]:
    return {name for name, value in vars(actions).items() if value}


def test_each_side_may_do_its_own_steps_while_the_work_is_under_way(session, make):
    hired = make.hired()
    student, manager, staff = hired.student, hired.employer.manager, make.staff()
    assert _allowed(_actions(session, student, hired)) == {
        "may_submit",
        "may_post_messages",
        "may_request_extension",
        "may_check_in",
        "disputes_open",
    }
    assert _allowed(_actions(session, manager, hired)) == {
        "may_post_messages",
        "may_request_extension",
        "may_cancel",
        "may_plan_milestones",
        "disputes_open",
    }
    assert _allowed(_actions(session, staff, hired)) == {"may_post_messages", "may_cancel", "disputes_open"}

    make.submit(hired)
    assert _actions(session, manager, hired).may_review and _actions(session, manager, hired).may_request_changes
    assert not _actions(session, student, hired).may_submit

    engagements.request_extension(session, student, hired.engagement.id, hired.engagement.due_date + timedelta(days=3), "Late data.")
    assert not _actions(session, manager, hired).may_request_extension  # one request waits for an answer


def test_after_approval_only_the_after_the_gig_steps_and_the_reviews(session, make):
    hired = make.hired()
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    for who in (hired.student, hired.employer.manager):
        assert _allowed(_actions(session, who, hired)) == {"may_post_messages", "after_the_gig", "reviews_open"}


def test_forged_arguments_are_refused_not_raised(app_db, make):
    hired = make.hired()
    make.submit(hired)
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    page = state_for(EngagementState, url, session_token(app_db, hired.employer.manager))
    run_handler("load_engagement", page)
    review, due_date = form_of(page, ReviewForm), form_of(page, ExtensionForm)
    for forged in (None, "abc", [1], {"v": 1}, 1.5, -1, 0, "9" * 40):
        run_handler("approve", review, forged)
        assert review.errors == {"form": RELOAD}, forged
        run_handler("request_changes", review, forged, {"comment": "More."})
        assert review.errors == {"form": RELOAD}, forged
        run_handler("answer_extension", due_date, forged, True)
        assert due_date.errors.get("form"), forged  # "Reload the page", or no such request
    run_handler("request_changes", review, 1, ["not", "a", "form"])
    assert review.errors == {"comment": "Say what should change."}
    assert page.view.status == "submitted"

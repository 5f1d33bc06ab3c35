"""After the gig, as the pages drive it: try before you hire (workspace buttons, the student's
dashboard, conversion per employer on the career-center dashboard), public evidence keys, and
the portfolio settings and public pages."""

from datetime import date, timedelta

from sqlmodel import select

from microgigs import i18n
from microgigs.models import Engagement, Notification, Portfolio
from microgigs.services import engagements, hiring, insights, portfolio
from microgigs.services.insights import InsightFilters
from microgigs.state.dashboard import DashboardState
from microgigs.state.insights import InsightsState
from microgigs.state.portfolio import EvidenceState, PortfolioSettingsState, PublicPortfolioState, last_path_part
from microgigs.state.workspace import AfterGigForm, EngagementState
from tests.unit.state_harness import form_of, redirect_path, run_handler, session_token, state_for

# Ends tomorrow: the suite can pass midnight between importing this module and making its rows.
WINDOW = InsightFilters.last_days(30, today=date.today() + timedelta(days=1))


def _finished(session, make, employer=None, student=None, **gig):
    hired = make.hired(employer=employer, student=student, **gig)
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    return hired


# --- try before you hire ------------------------------------------------------------------


def test_the_manager_invites_then_records_an_offer_and_the_student_sees_both(app_db, make):
    hired = _finished(app_db, make, title="Survey cleanup")
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    page = state_for(EngagementState, url, session_token(app_db, hired.employer.manager))
    run_handler("load_engagement", page)
    assert page.finished and page.view.interview_invited_on == ""

    manager = form_of(page, AfterGigForm)
    run_handler("invite_to_interview", manager)
    assert manager.errors == {} and "Invitation to interview recorded" in manager.notice
    assert manager.view.interview_invited_on == i18n.format_date(date.today(), "en")
    run_handler("invite_to_interview", manager)  # a second click: the service's answer, nothing new
    assert manager.errors == {"form": "This student is already invited to interview."}
    run_handler("record_offer", manager)
    assert manager.view.offer_made_on == i18n.format_date(date.today(), "en")

    student = state_for(DashboardState, "/dashboard", session_token(app_db, hired.student))
    run_handler("load_dashboard", student)
    assert [e.hiring for e in student.engagements] == ["Offer made"]
    titles = app_db.exec(
        select(Notification.title).where(Notification.user_id == hired.student.id, Notification.kind.startswith("hiring."))
    ).all()
    assert sorted(titles) == [f"{hired.employer.org.name} invites you to interview", f"{hired.employer.org.name} made you an offer"]


def test_the_student_cannot_press_the_managers_buttons(app_db, make):
    hired = _finished(app_db, make)
    app_db.commit()
    page = state_for(EngagementState, f"/engagements/{hired.engagement.id}", session_token(app_db, hired.student))
    run_handler("load_engagement", page)
    student = form_of(page, AfterGigForm)
    run_handler("invite_to_interview", student)
    assert student.errors == {"form": "That engagement was not found."}
    run_handler("allow_public_evidence", student, True)
    assert student.errors == {"form": "That engagement was not found."}
    app_db.expire_all()
    assert app_db.get(Engagement, hired.engagement.id).interview_invited_at is None


def test_conversion_per_employer_follows_the_database_and_the_filters(session, make):
    north, south = make.employer("North Co"), make.employer("South Co")
    a, b = _finished(session, make, north), _finished(session, make, north)
    _finished(session, make, south)
    make.hired(north)  # not finished: not counted
    hiring.invite_to_interview(session, north.manager, a.engagement.id)
    hiring.record_offer(session, north.manager, a.engagement.id)
    hiring.invite_to_interview(session, north.manager, b.engagement.id)
    staff = make.staff()
    table = insights.table(session, staff, "conversion_by_employer", WINDOW)
    assert table.columns == ["employer", "finished", "interviews", "offers", "interview_rate", "offer_rate"]
    assert table.rows == [["North Co", 2, 2, 1, "100%", "50%"], ["South Co", 1, 0, 0, "0%", "0%"]]
    # The same figures as the service that counts conversion without filters.
    assert [[c.employer, c.finished, c.interviews, c.offers] for c in hiring.conversion_by_employer(session, staff)] == [
        r[:4] for r in table.rows
    ]
    head = insights.headline(session, WINDOW)
    assert (head.interview_rate, head.offer_rate) == ("67%", "33%")
    only_south = InsightFilters(start=WINDOW.start, end=WINDOW.end, employer_id=south.org.id)
    assert insights.table(session, staff, "conversion_by_employer", only_south).rows == [["South Co", 1, 0, 0, "0%", "0%"]]
    long_ago = InsightFilters(start=date.today() - timedelta(days=400), end=date.today() - timedelta(days=300))
    assert insights.table(session, staff, "conversion_by_employer", long_ago).rows == []


def test_the_insights_page_carries_the_conversion_chart(app_db, make):
    hired = _finished(app_db, make, make.employer("North Co"))
    hiring.invite_to_interview(app_db, hired.employer.manager, hired.engagement.id)
    staff = make.staff()
    app_db.commit()
    state = state_for(InsightsState, "/staff/insights", session_token(app_db, staff))
    run_handler("load", state)
    assert state.conversion == [{"employer": "North Co", "finished": 1, "interviews": 1, "offers": 0}]
    assert state.rows["conversion_by_employer"] == [["North Co", "1", "1", "0", "100%", "0%"]]
    assert state.headline.interview_rate == "100%"


# --- public evidence from the workspace -----------------------------------------------------


def test_both_keys_from_the_workspace(app_db, make):
    hired = _finished(app_db, make)
    app_db.commit()
    url = f"/engagements/{hired.engagement.id}"
    manager = form_of(state_for(EngagementState, url, session_token(app_db, hired.employer.manager)), AfterGigForm)
    student = form_of(state_for(EngagementState, url, session_token(app_db, hired.student)), AfterGigForm)
    run_handler("load_engagement", manager.parent_state)
    run_handler("allow_public_evidence", manager, True)
    assert manager.view.evidence_employer_allows and not manager.evidence_public
    run_handler("load_engagement", student.parent_state)
    run_handler("show_public_evidence", student, True)
    assert student.evidence_public and student.errors == {}
    run_handler("allow_public_evidence", manager, "yes")  # anything but True is "no"
    assert not manager.view.evidence_employer_allows


# --- portfolio pages ---------------------------------------------------------------------


def test_last_path_part_takes_only_a_plain_name():
    assert last_path_part("/p/ada-l/") == "ada-l"
    assert last_path_part("/p/..%2f") == ""
    assert last_path_part("/p/" + "a" * 50, 30) == ""


def test_settings_page_refuses_a_bad_handle_next_to_the_field_then_saves_and_shares(app_db, make):
    student = make.student("Ada")
    app_db.commit()
    state = state_for(PortfolioSettingsState, "/portfolio", session_token(app_db, student))
    run_handler("load", state)
    assert state.allowed and state.handle == "" and state.share_url == ""
    run_handler("save", state, {"handle": "admin", "is_public": "on"})
    assert state.handle_error == "“admin” is reserved; choose another handle."
    assert app_db.exec(select(Portfolio)).all() == []
    run_handler("save", state, {"handle": "ada-l", "is_public": "on"})
    assert state.handle_error == "" and state.is_public and state.share_url == "http://localhost:3000/p/ada-l"
    assert state.notice.startswith("Your portfolio is public")
    spec = run_handler("copy_share_link", state)
    assert state.notice == "Share link copied." and spec is None  # the page itself writes the clipboard
    run_handler("save", state, {"handle": "ada-l"})  # the box unticked: private again
    assert not state.is_public


def test_settings_page_sends_a_visitor_to_sign_in_and_turns_a_manager_away(app_db, make):
    visitor = state_for(PortfolioSettingsState, "/portfolio")
    assert redirect_path(run_handler("load", visitor)) == "/login?next=/portfolio"
    manager = make.employer().manager
    app_db.commit()
    state = state_for(PortfolioSettingsState, "/portfolio", session_token(app_db, manager))
    run_handler("load", state)
    assert state.loaded and not state.allowed


def test_public_page_and_evidence_page_for_anyone(app_db, make):
    hired = _finished(app_db, make, title="Survey cleanup")
    portfolio.save_settings(app_db, hired.student, "ada-l", True)
    app_db.commit()
    page = state_for(PublicPortfolioState, "/p/ada-l/")
    run_handler("load", page)
    assert page.found and [g.title for g in page.page.gigs] == ["Survey cleanup"]
    unknown = state_for(PublicPortfolioState, "/p/nobody")
    run_handler("load", unknown)
    assert unknown.loaded and not unknown.found

    public_id = page.page.gigs[0].evidence_url.rsplit("/", 1)[-1]
    shown = state_for(EvidenceState, f"/evidence/{public_id}")
    run_handler("load", shown)
    assert shown.found and shown.view.title == "Survey cleanup" and not shown.view.shown

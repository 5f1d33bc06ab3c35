"""The career-center dashboard's figures: counted from the database, filtered, and
never showing a group of fewer than five students."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from microgigs.models import Application, StudentProfile
from microgigs.services import engagements, insights
from microgigs.services.errors import NotAllowed
from microgigs.services.insights import InsightFilters

# Ends tomorrow: the suite can pass midnight between importing this module and making its rows.
WINDOW = InsightFilters.last_days(30, today=date.today() + timedelta(days=1))


def test_only_staff_see_the_figures(session, make):
    for outsider in (make.student(), make.employer().manager, None):
        with pytest.raises(NotAllowed):
            insights.overview(session, outsider, WINDOW)
        with pytest.raises(NotAllowed):
            insights.table(session, outsider, "paid_to_students", WINDOW)


def test_counts_follow_the_loop(session, make):
    employer = make.employer()
    hired = make.hired(employer)
    for _ in range(2):
        make.apply(make.student(), make.gig(employer))
    make.submit(hired)
    engagements.approve(session, employer.manager, hired.engagement.id)
    head, tables = insights.overview(session, make.staff(), WINDOW)
    assert (head.gigs_posted, head.gigs_filled, head.gigs_completed) == (3, 1, 1)
    assert head.applications == 3 and head.applications_per_gig == 1.0
    assert head.paid_to_students == "$300.00" and head.completion_rate == "100%"
    over_time = tables["gigs_over_time"].rows
    assert sum(r[1] for r in over_time) == 3 and sum(r[3] for r in over_time) == 1
    assert tables["skills_asked_vs_held"].rows[0][:2] in (["Python", 3], ["SQL", 3])


def test_the_employer_filter_and_date_range(session, make):
    mine, other = make.employer("Mine Co"), make.employer("Other Co")
    make.gig(mine)
    make.gig(other)
    staff = make.staff()
    only_mine = InsightFilters(start=WINDOW.start, end=WINDOW.end, employer_id=mine.org.id)
    assert insights.overview(session, staff, only_mine)[0].gigs_posted == 1
    long_ago = InsightFilters(start=date.today() - timedelta(days=400), end=date.today() - timedelta(days=300))
    assert insights.overview(session, staff, long_ago)[0].gigs_posted == 0


def test_groups_under_five_are_suppressed(session, make):
    employer = make.employer()
    gig = make.gig(employer, slots=10)
    for index in range(9):
        student = make.student(major="History" if index < 6 else "Physics")
        make.apply(student, gig)
    rows = insights.table(session, make.staff(), "participation_by_major", WINDOW).rows
    assert ["History", 6] in rows
    assert not any(r[0] == "Physics" for r in rows)
    assert rows[-1] == ["other groups (each fewer than 5)", "fewer than 5"]
    # The shown numbers add up to what the database holds, the suppressed ones aside.
    majors = [session.get(StudentProfile, a.student_id).major for a in session.exec(select(Application))]
    assert majors.count("History") == 6


def test_tables_are_plain_rows_for_csv(session, make):
    make.gig(make.employer())
    table = insights.table(session, make.staff(), "applications_per_gig", WINDOW)
    assert table.columns == ["gig_id", "gig", "employer", "applications"]
    assert table.records()[0]["applications"] == 0
    with pytest.raises(ValueError):
        insights.table(session, make.staff(), "no_such_table", WINDOW)

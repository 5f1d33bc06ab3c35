"""The dashboard's CSV exports hold exactly the database's figures, for staff only."""

import csv
import io

from sqlmodel import Session, func, select

from microgigs.models import Application, AuditEvent, Gig, Skill, User
from microgigs.services import accounts, applications, gigs
from tests.integration.conftest import ORIGIN, PASSWORD, make_user, market_scan, sign_in


def _seed(engine) -> None:
    manager_id = make_user(engine, "boss@acme.com", role="manager", org='=HYPERLINK("x") Corp')
    students = [make_user(engine, f"s{i}@uni.edu") for i in range(3)]
    with Session(engine, expire_on_commit=False) as session:
        session.add(Skill(name="Research"))
        accounts.create_privileged_user(session, email="staff@uni.edu", display_name="Staff", password=PASSWORD, role="staff")
        manager = session.get(User, manager_id)
        for n in range(2):
            gig = gigs.create_gig(
                session,
                manager,
                market_scan(f"Scan {n}"),
            )
            for student_id in students[: n + 2]:
                applications.apply(session, session.get(User, student_id), gig.id, applications.ApplicationInput(note="Keen"))
        session.commit()


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.text)))


def test_applications_csv_matches_the_database(client, configured):
    _seed(configured)
    sign_in(client, "staff@uni.edu")
    response = client.get("/staff/insights/applications_per_gig.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    header, *rows = _csv(response)
    assert header == ["gig_id", "gig", "employer", "applications"]
    with Session(configured) as session:
        expected = {
            str(gig_id): str(count)
            for gig_id, count in session.exec(select(Gig.id, func.count(Application.id)).join(Application).group_by(Gig.id))
        }
    assert {r[0]: r[3] for r in rows} == expected == {"1": "2", "2": "3"}
    assert all(r[2].startswith("'=") for r in rows)  # a formula-looking name is neutralized


def test_each_export_is_a_view_in_the_audit_log(client, configured):
    _seed(configured)
    sign_in(client, "staff@uni.edu")
    client.get("/staff/insights/applications_per_gig.csv?start=2026-01-01&end=2026-03-31")
    client.get("/staff/insights/applications_per_gig.csv?start=2026-01-01&end=2026-03-31")  # a second click
    client.get("/staff/insights/gigs_over_time.csv")
    with Session(configured) as session:
        staff_id = session.exec(select(User.id).where(User.email == "staff@uni.edu")).one()
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "viewed.export").order_by(AuditEvent.id)).all()
    assert [(e.actor_id, e.subject_type) for e in events] == [(staff_id, "report")] * 2
    assert '"table": "applications_per_gig"' in events[0].detail and '"start": "2026-01-01"' in events[0].detail
    assert '"table": "gigs_over_time"' in events[1].detail


def test_exports_are_for_staff_only(client, configured):
    _seed(configured)
    assert client.get("/staff/insights/applications_per_gig.csv").status_code == 401
    sign_in(client, "boss@acme.com")
    assert client.get("/staff/insights/applications_per_gig.csv").status_code == 403
    with Session(configured) as session:  # a refused download is no view
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "viewed.export")).all() == []
    client.post("/auth/logout", headers=ORIGIN)
    sign_in(client, "staff@uni.edu")
    assert client.get("/staff/insights/nope.csv").status_code == 404
    old = client.get("/staff/insights/applications_per_gig.csv?start=2001-01-01&end=2001-12-31")
    assert _csv(old)[1:] == []


def test_a_refusal_is_told_in_the_readers_language(client, configured):
    """Issue 19 point 3: the plain-text answers follow the browser's Accept-Language (or the
    signed-in person's choice); the CSV itself keeps its column names."""
    _seed(configured)
    spanish = {"Accept-Language": "es-MX,es;q=0.9"}
    refused = client.get("/staff/insights/applications_per_gig.csv", headers=spanish)
    assert refused.status_code == 401 and refused.text == "Solo el personal del centro de carreras puede ver estas cifras."
    assert client.get("/staff/insights/applications_per_gig.csv").text == "Only career-center staff can see these figures."
    sign_in(client, "staff@uni.edu")
    # Signed in, the person's own choice wins over the browser's.
    assert client.get("/staff/insights/nope.csv", headers=spanish).text == "There is no such table."
    with Session(configured) as session:
        staff = session.exec(select(User).where(User.email == "staff@uni.edu")).one()
        staff.language = "es"
        session.add(staff)
        session.commit()
    assert client.get("/staff/insights/nope.csv").text == "Esa tabla no existe."
    assert _csv(client.get("/staff/insights/applications_per_gig.csv", headers=spanish))[0] == ["gig_id", "gig", "employer", "applications"]


def test_a_signed_in_persons_refusal_follows_their_own_choice(client, configured):
    _seed(configured)
    with Session(configured) as session:
        boss = session.exec(select(User).where(User.email == "boss@acme.com")).one()
        boss.language = "es"
        session.add(boss)
        session.commit()
    sign_in(client, "boss@acme.com")
    refused = client.get("/staff/insights/applications_per_gig.csv", headers={"Accept-Language": "en"})
    assert refused.status_code == 403 and refused.text == "Solo el personal del centro de carreras puede ver estas cifras."

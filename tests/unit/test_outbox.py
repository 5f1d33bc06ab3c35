"""The outbox page's service: staff and admins read the mail; nobody else does."""

import pytest

from microgigs.services import notifications, outbox
from microgigs.services.errors import NotAllowed


def test_staff_read_the_newest_mail_first_and_others_are_refused(session, make):
    student = make.student()
    notifications.notify(session, student.id, "a", "First mail", "/x", email=True)
    notifications.notify(session, student.id, "b", "Second mail", "/y", email=True)
    session.commit()
    staff = make.staff()
    rows = outbox.recent_mail(session, staff)
    assert [r.subject for r in rows] == ["Second mail", "First mail"]
    assert (
        rows[0].to_address == student.email
        and rows[0].status == "queued"
        and rows[0].status_text == "Waiting to be sent"
        and "/y" in rows[0].text_body
    )
    for nobody in (None, student, make.employer().manager):
        with pytest.raises(NotAllowed, match="Only career-center staff and admins"):
            outbox.recent_mail(session, nobody)

"""Markdown scope is neutralized before storing and showing; moderation: queue with rule
checks, approve / reject with a reason mailed to the employer, the prohibited-content list,
the trusted flag, and every refusal."""

import pytest
from sqlmodel import select

from microgigs.models import AuditEvent, Gig, Notification, OutboxMail
from microgigs.services import gigs, moderation
from microgigs.services.errors import DomainError, NotAllowed
from microgigs.services.validation import ValidationFailed

HOSTILE = (
    "## Plan\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
    "[click](javascript:alert(1)) [also](JaVaScRiPt:alert(2)) [data](data:text/html,<b>x</b>)\n\n"
    "[ok](https://example.com/brief) and **bold**\n\n[ref]: javascript:alert(3)\n"
)


def test_scope_is_neutralized_before_storing_and_rendered_safely(session, make):
    gig = make.gig(make.employer(), scope=HOSTILE, deliverables="<iframe src=//evil></iframe> A CSV")
    stored = session.get(Gig, gig.id)
    assert "<script" not in stored.scope and "<img" not in stored.scope and "<iframe" not in stored.deliverables
    assert "javascript:" not in stored.scope.lower()
    detail = gigs.gig_detail(session, None, gig.id)
    html = detail.scope_html + detail.deliverables_html
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "javascript:" not in html.lower() and "data:text" not in html
    assert "&lt;script&gt;" in html  # shown as text, not run
    assert '<a href="https://example.com/brief" rel="nofollow noopener noreferrer">ok</a>' in html and "<strong>bold</strong>" in html
    assert "<h2>Plan</h2>" in html


def test_render_markdown_is_safe_even_for_text_stored_before_sanitizing():
    html = gigs.render_markdown("<script>x</script> [a](javascript:alert(1)) <a href='javascript:x'>b</a>")
    assert "<script" not in html and "<a href='javascript" not in html and 'href="javascript' not in html


def test_prohibited_terms_are_refused_next_to_the_field(session, make):
    staff = make.staff()
    moderation.add_term(session, staff, "  Unpaid Trial ")
    employer = make.employer()
    with pytest.raises(ValidationFailed) as info:
        make.gig(employer, summary="A short unpaid trial before the real work")
    assert "unpaid trial" in info.value.errors["summary"]
    assert session.exec(select(Gig)).all() == []
    make.gig(employer, summary="Unpaidtrial is one word so it passes")  # whole words only


def test_term_list_rules_and_refusals(session, make):
    staff = make.staff()
    row = moderation.add_term(session, staff, "Crypto Scheme")
    assert [t.term for t in moderation.list_terms(session, staff)] == ["crypto scheme"]
    with pytest.raises(DomainError, match="already on the list") as info:
        moderation.add_term(session, staff, "crypto   SCHEME")
    assert info.value.field == "term"
    with pytest.raises(DomainError, match="at least 2"):
        moderation.add_term(session, staff, " x ")
    with pytest.raises(DomainError, match="at most 60"):
        moderation.add_term(session, staff, "y" * 61)
    for outsider in (make.student(), make.employer().manager):
        with pytest.raises(NotAllowed):
            moderation.add_term(session, outsider, "anything")
        with pytest.raises(NotAllowed):
            moderation.list_terms(session, outsider)
        with pytest.raises(NotAllowed):
            moderation.remove_term(session, outsider, row.id)
    moderation.remove_term(session, staff, row.id)
    assert moderation.list_terms(session, staff) == []


def test_queue_shows_rule_checks(session, make, set_setting):
    staff = make.staff()
    untrusted = make.employer("Careful Co", trusted=False)
    ok = make.gig(untrusted, title="A fine gig")
    make.gig(make.employer(), title="Trusted goes straight to the board")
    # Rules tightened after posting: the queue re-runs them and shows what fails now.
    low = make.gig(untrusted, title="Cheap gig", pay_cents=20_000, estimated_hours=10)
    moderation.add_term(session, staff, "cheap")
    set_setting("pay_floor_cents_per_hour", 2500)
    items = moderation.review_queue(session, staff)
    assert [i.gig_id for i in items] == [ok.id, low.id]
    assert items[0].trusted is False and items[0].employer == "Careful Co"
    checks = {c.rule: c for c in items[1].checks}
    assert not checks["Fair pay"].passed and "$25.00 an hour" in checks["Fair pay"].detail
    assert not checks["Prohibited content"].passed and "cheap" in checks["Prohibited content"].detail
    assert checks["Dates"].passed and not items[1].all_passed
    assert items[0].all_passed  # $300 for 10 h is still above the raised floor
    with pytest.raises(NotAllowed):
        moderation.review_queue(session, untrusted.manager)


def test_approve_and_reject_with_reason_mailed_to_the_employer(session, make):
    staff = make.staff()
    employer = make.employer(trusted=False)
    co_manager = make.second_manager(employer)
    a, b = make.gig(employer, title="Gig A"), make.gig(employer, title="Gig B")
    assert moderation.approve(session, staff, a.id).status == "open"
    assert a.id in {c.id for c in gigs.list_board(session).cards}
    with pytest.raises(DomainError, match="Say why") as info:
        moderation.reject(session, staff, b.id, "   ")
    assert info.value.field == "reason" and b.status == "in_review"
    moderation.reject(session, staff, b.id, "Pay is per hour, not per gig: say the total.")
    assert (b.status, b.status_reason) == ("rejected", "Pay is per hour, not per gig: say the total.")
    mails = session.exec(select(OutboxMail).where(OutboxMail.subject.contains("Gig B"))).all()
    assert {m.to_address for m in mails} == {employer.manager.email, co_manager.email}
    assert all("Pay is per hour" in m.subject for m in mails)
    assert session.exec(select(Notification).where(Notification.kind == "gig.rejected")).all()
    actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.subject_id == b.id, AuditEvent.subject_type == "gig"))]
    assert "gig.rejected" in actions
    with pytest.raises(DomainError, match="cannot become open"):
        moderation.approve(session, staff, b.id)  # rejected gigs go back through a draft
    with pytest.raises(NotAllowed):
        moderation.reject(session, employer.manager, a.id, "no")


def test_trusted_flag_lets_gigs_skip_review(session, make):
    staff = make.staff()
    employer = make.employer(trusted=False)
    assert make.gig(employer).status == "in_review"
    moderation.set_trusted(session, staff, employer.org.id, True)
    assert make.gig(employer).status == "open"
    with pytest.raises(NotAllowed):
        moderation.set_trusted(session, employer.manager, employer.org.id, True)


def test_edit_while_draft_or_rejected_and_templates(session, make, today):
    staff = make.staff()
    employer = make.employer(trusted=False)
    other = make.employer()
    draft = make.gig(employer, publish=False)
    data = gigs.input_from_gig(session, draft)
    data.pay_cents = 100
    with pytest.raises(ValidationFailed) as info:
        gigs.update_gig(session, employer.manager, draft.id, data)
    assert "pay_cents" in info.value.errors and session.get(Gig, draft.id).pay_cents == 30_000
    data.pay_cents, data.title, data.questions = 40_000, "Edited title", ["Why you?"]
    assert gigs.update_gig(session, employer.manager, draft.id, data).title == "Edited title"
    with pytest.raises(NotAllowed):
        gigs.update_gig(session, other.manager, draft.id, data)
    gigs.submit_gig(session, employer.manager, draft.id)
    with pytest.raises(DomainError, match="in review can no longer be edited"):
        gigs.update_gig(session, employer.manager, draft.id, data)
    moderation.reject(session, staff, draft.id, "Too vague")
    assert gigs.update_gig(session, employer.manager, draft.id, data).status == "draft"
    template = gigs.template_from(session, employer.manager, draft.id)
    assert (template.title, template.questions, template.due_date) == ("Edited title", ["Why you?"], None)
    with pytest.raises(NotAllowed):
        gigs.template_from(session, other.manager, draft.id)

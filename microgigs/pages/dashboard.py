"""The dashboard: where a student's applications and work stand, or a manager's gigs and reviews."""

import reflex as rx

from microgigs.components.layout import page_layout
from microgigs.components.panels import (
    button_link,
    callout,
    demo_payments_badge,
    empty_note,
    fact,
    facts,
    inline_error,
    not_found_card,
    notice,
    row_card,
    rows_or_empty,
    section,
    spread_row,
    stack,
    title_row,
    when_loaded,
)
from microgigs.components.titles import page_title
from microgigs.services.statuses import GigStatus
from microgigs.state.dashboard import WITHDRAWABLE
from microgigs.state.dashboard import DashboardState as S

# --- student -----------------------------------------------------------------


def application_row(row) -> rx.Component:
    can_withdraw = rx.match(row.status, *[(s, True) for s in WITHDRAWABLE], False)
    return row_card(
        title_row(rx.link(row.gig_title, href=f"/gigs/{row.gig_id}"), row.status),
        facts(
            fact("Employer", row.employer),
            fact("Applied", row.applied_on),
        ),
        rx.cond(row.feedback != "", fact("Feedback", row.feedback)),
        inline_error(S.row_errors.get(row.id.to_string(), "")),
        rx.cond(
            can_withdraw,
            rx.button(
                "Withdraw",
                on_click=S.withdraw(row.id),
                variant="outline",
                color_scheme="red",
                size="2",
                aria_label="Withdraw application: " + row.gig_title,
            ),
        ),
    )


def engagement_row(row) -> rx.Component:
    return row_card(
        title_row(row.gig_title, row.status),
        facts(
            fact("Employer", row.employer),
            fact("Pay", rx.text(row.pay, as_="span", weight="bold")),
            fact("Due", row.due_date),
        ),
        # Try before you hire: the employer's next step with the student, once there is one.
        rx.cond(row.hiring != "", rx.badge(row.hiring, color_scheme="blue", variant="soft", high_contrast=True, size="2")),
        demo_payments_badge(S.payment_label),
        button_link("Open workspace", f"/engagements/{row.id}", variant="soft", aria_label="Open workspace: " + row.gig_title),
    )


def student_view() -> rx.Component:
    return stack(
        notice(S.notice),
        section(
            "My engagements",
            rows_or_empty(S.engagements, engagement_row, "No engagements yet. When an employer accepts you, the work shows up here."),
        ),
        section(
            "My applications",
            rows_or_empty(
                S.applications, application_row, empty_note("You have not applied to any gigs yet.", rx.link("Browse open gigs", href="/"))
            ),
        ),
        spacing="6",
    )


# --- manager -----------------------------------------------------------------


def organization_notice() -> rx.Component:
    return rx.fragment(
        rx.cond(
            S.organization_pending,
            callout(
                "hourglass",
                rx.text("Waiting for approval. ", as_="span", weight="bold"),
                "The career center is reviewing ",
                S.organization,
                ". You can post gigs once it is approved.",
                color="amber",
            ),
        ),
        rx.cond(
            S.organization_blocked,
            callout(
                "ban", S.organization, " cannot post gigs right now (", S.organization_status, "). Contact the career center.", color="red"
            ),
        ),
    )


def gig_row(row) -> rx.Component:
    return row_card(
        title_row(rx.link(row.title, href=f"/gigs/{row.id}"), row.status),
        facts(
            fact("Filled", rx.text(row.filled_slots, " of ", row.slots, as_="span")),
            fact("Applicants", row.applicants),
            fact("Pay", row.pay),
            fact("Apply by", row.application_deadline),
            # A manager of several employers sees which one each gig belongs to.
            rx.cond(S.several_organizations, fact("Employer", row.employer)),
        ),
        rx.flex(
            button_link("Manage applicants", f"/manage/gigs/{row.id}", variant="soft", aria_label="Manage applicants: " + row.title),
            rx.cond(
                (row.status == GigStatus.DRAFT) | (row.status == GigStatus.REJECTED),
                button_link("Edit the draft", f"/gigs/{row.id}/edit", variant="soft", aria_label="Edit the draft: " + row.title),
            ),
            spacing="3",
            wrap="wrap",
        ),
    )


def review_row(row) -> rx.Component:
    return row_card(
        title_row(row.gig_title, row.status),
        facts(
            fact("Student", row.student_name),
            fact("Pay", row.pay),
            fact("Due", row.due_date),
        ),
        button_link(
            "Review submission", f"/engagements/{row.id}", aria_label="Review submission: " + row.gig_title + " by " + row.student_name
        ),
    )


def manager_view() -> rx.Component:
    return stack(
        spread_row(
            rx.text(S.organization_names, size="4", weight="medium"),
            button_link(rx.fragment(rx.icon("plus", aria_hidden="true", size=16), "Post a gig"), "/gigs/new", size="3"),
            spacing="3",
        ),
        organization_notice(),
        rx.cond(
            S.payment_label != "",
            rx.text("Payments on this site are ", S.payment_label, ".", size="2", color="var(--gray-11)"),
        ),
        section("Submissions to review", rows_or_empty(S.to_review, review_row, "Nothing is waiting for your review.")),
        section("Your gigs", rows_or_empty(S.gigs, gig_row, "You have not posted a gig yet.")),
        spacing="6",
    )


# --- staff and others ----------------------------------------------------------


def staff_view() -> rx.Component:
    return not_found_card(
        "You are signed in as career-center staff. Vetting, outcomes and reports arrive in a later release.", "Browse open gigs", "/"
    )


def other_view() -> rx.Component:
    return not_found_card(
        rx.cond(S.load_error != "", S.load_error, "There is nothing to show for your account yet."), "Browse open gigs", "/"
    )


def dashboard_page() -> rx.Component:
    return page_layout(
        when_loaded(
            S.loaded,
            rx.match(
                S.view,
                ("student", student_view()),
                ("manager", manager_view()),
                ("staff", staff_view()),
                other_view(),
            ),
            "Loading your dashboard…",
        ),
        heading="Dashboard",
    )


def register(app: rx.App) -> None:
    app.add_page(dashboard_page, route="/dashboard", title=page_title("Dashboard"), on_load=S.load_dashboard)

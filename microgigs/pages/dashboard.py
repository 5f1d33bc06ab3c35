"""The dashboard: where a student's applications and work stand, or a manager's gigs and reviews."""

import reflex as rx

from microgigs.components.layout import page_layout
from microgigs.components.panels import (
    badge,
    button_link,
    demo_payments_badge,
    empty_note,
    fact,
    facts,
    inline_error,
    loading_note,
    notice,
    row_card,
    section,
)
from microgigs.state.dashboard import WITHDRAWABLE
from microgigs.state.dashboard import DashboardState as S


def _title_row(title, status) -> rx.Component:
    return rx.flex(
        rx.heading(title, as_="h3", size="3"),
        badge(status),
        justify="between",
        align="start",
        spacing="2",
        wrap="wrap",
        width="100%",
    )


# --- student -----------------------------------------------------------------


def application_row(row) -> rx.Component:
    can_withdraw = rx.match(row.status, *[(s, True) for s in WITHDRAWABLE], False)
    return row_card(
        _title_row(rx.link(row.gig_title, href=f"/gigs/{row.gig_id}"), row.status),
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
        _title_row(row.gig_title, row.status),
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
    return rx.vstack(
        notice(S.notice),
        section(
            "My engagements",
            rx.cond(
                S.engagements.length() > 0,
                rx.vstack(rx.foreach(S.engagements, engagement_row), spacing="3", width="100%"),
                empty_note("No engagements yet. When an employer accepts you, the work shows up here."),
            ),
        ),
        section(
            "My applications",
            rx.cond(
                S.applications.length() > 0,
                rx.vstack(rx.foreach(S.applications, application_row), spacing="3", width="100%"),
                empty_note("You have not applied to any gigs yet.", rx.link("Browse open gigs", href="/")),
            ),
        ),
        spacing="6",
        width="100%",
    )


# --- manager -----------------------------------------------------------------


def organization_notice() -> rx.Component:
    return rx.fragment(
        rx.cond(
            S.organization_pending,
            rx.callout.root(
                rx.callout.icon(rx.icon("hourglass", aria_hidden="true")),
                rx.callout.text(
                    rx.text("Waiting for approval. ", as_="span", weight="bold"),
                    "The career center is reviewing ",
                    S.organization,
                    ". You can post gigs once it is approved.",
                ),
                color_scheme="amber",
                high_contrast=True,
                width="100%",
            ),
        ),
        rx.cond(
            S.organization_blocked,
            rx.callout.root(
                rx.callout.icon(rx.icon("ban", aria_hidden="true")),
                rx.callout.text(S.organization, " cannot post gigs right now (", S.organization_status, "). Contact the career center."),
                color_scheme="red",
                high_contrast=True,
                width="100%",
            ),
        ),
    )


def gig_row(row) -> rx.Component:
    return row_card(
        _title_row(rx.link(row.title, href=f"/gigs/{row.id}"), row.status),
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
                (row.status == "draft") | (row.status == "rejected"),
                button_link("Edit the draft", f"/gigs/{row.id}/edit", variant="soft", aria_label="Edit the draft: " + row.title),
            ),
            spacing="3",
            wrap="wrap",
        ),
    )


def review_row(row) -> rx.Component:
    return row_card(
        _title_row(row.gig_title, row.status),
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
    return rx.vstack(
        rx.flex(
            rx.text(S.organization_names, size="4", weight="medium"),
            button_link(rx.fragment(rx.icon("plus", aria_hidden="true", size=16), "Post a gig"), "/gigs/new", size="3"),
            justify="between",
            align="center",
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        organization_notice(),
        rx.cond(
            S.payment_label != "",
            rx.text("Payments on this site are ", S.payment_label, ".", size="2", color="var(--gray-11)"),
        ),
        section(
            "Submissions to review",
            rx.cond(
                S.to_review.length() > 0,
                rx.vstack(rx.foreach(S.to_review, review_row), spacing="3", width="100%"),
                empty_note("Nothing is waiting for your review."),
            ),
        ),
        section(
            "Your gigs",
            rx.cond(
                S.gigs.length() > 0,
                rx.vstack(rx.foreach(S.gigs, gig_row), spacing="3", width="100%"),
                empty_note("You have not posted a gig yet."),
            ),
        ),
        spacing="6",
        width="100%",
    )


# --- staff and others ----------------------------------------------------------


def staff_view() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text("You are signed in as career-center staff. Vetting, outcomes and reports arrive in a later release."),
            rx.link("Browse open gigs", href="/"),
            spacing="2",
        ),
        width="100%",
    )


def other_view() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(rx.cond(S.load_error != "", S.load_error, "There is nothing to show for your account yet.")),
            rx.link("Browse open gigs", href="/"),
            spacing="2",
        ),
        width="100%",
    )


def dashboard_page() -> rx.Component:
    return page_layout(
        rx.cond(
            S.loaded,
            rx.match(
                S.view,
                ("student", student_view()),
                ("manager", manager_view()),
                ("staff", staff_view()),
                other_view(),
            ),
            loading_note("Loading your dashboard…"),
        ),
        heading="Dashboard",
    )


def register(app: rx.App) -> None:
    app.add_page(dashboard_page, route="/dashboard", title="Dashboard · MicroGigs", on_load=S.load_dashboard)

"""The dashboard: where a student's applications and work stand, or a manager's gigs and reviews."""

import reflex as rx

from microgigs.components.i18n import t
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
            fact(t("Employer"), row.employer),
            fact(t("Applied"), row.applied_on),
        ),
        rx.cond(row.feedback != "", fact(t("Feedback"), row.feedback)),
        inline_error(S.row_errors.get(row.id.to_string(), "")),
        rx.cond(
            can_withdraw,
            rx.button(
                t("Withdraw"),
                on_click=S.withdraw(row.id),
                variant="outline",
                color_scheme="red",
                size="2",
                aria_label=t("Withdraw application: {title}", title=row.gig_title),
            ),
        ),
    )


def engagement_row(row) -> rx.Component:
    return row_card(
        title_row(row.gig_title, row.status),
        facts(
            fact(t("Employer"), row.employer),
            fact(t("Pay"), rx.text(row.pay, as_="span", weight="bold")),
            fact(t("Due"), row.due_date),
        ),
        # Try before you hire: the employer's next step with the student, once there is one.
        rx.cond(row.hiring != "", rx.badge(row.hiring, color_scheme="blue", variant="soft", high_contrast=True, size="2")),
        demo_payments_badge(S.payment_label),
        button_link(
            t("Open workspace"),
            f"/engagements/{row.id}",
            variant="soft",
            aria_label=t("Open workspace: {title}", title=row.gig_title),
        ),
    )


def student_view() -> rx.Component:
    return stack(
        notice(S.notice),
        section(
            t("My engagements"),
            rows_or_empty(S.engagements, engagement_row, t("No engagements yet. When an employer accepts you, the work shows up here.")),
        ),
        section(
            t("My applications"),
            rows_or_empty(
                S.applications,
                application_row,
                empty_note(t("You have not applied to any gigs yet."), rx.link(t("Browse open gigs"), href="/")),
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
                rx.text(t("Waiting for approval."), as_="span", weight="bold"),
                " ",
                t("The career center is reviewing {organization}. You can post gigs once it is approved.", organization=S.organization),
                color="amber",
            ),
        ),
        rx.cond(
            S.organization_blocked,
            callout(
                "ban",
                t(
                    "{organization} cannot post gigs right now ({status}). Contact the career center.",
                    organization=S.organization,
                    status=S.organization_status,
                ),
                color="red",
            ),
        ),
    )


def gig_row(row) -> rx.Component:
    return row_card(
        title_row(rx.link(row.title, href=f"/gigs/{row.id}"), row.status),
        facts(
            fact(t("Filled"), t("{filled} of {slots}", filled=row.filled_slots, slots=row.slots)),
            fact(t("Applicants"), row.applicants),
            fact(t("Pay"), row.pay),
            fact(t("Apply by"), row.application_deadline),
            # A manager of several employers sees which one each gig belongs to.
            rx.cond(S.several_organizations, fact(t("Employer"), row.employer)),
        ),
        rx.flex(
            button_link(
                t("Manage applicants"),
                f"/manage/gigs/{row.id}",
                variant="soft",
                aria_label=t("Manage applicants: {title}", title=row.title),
            ),
            rx.cond(
                (row.status == GigStatus.DRAFT) | (row.status == GigStatus.REJECTED),
                button_link(
                    t("Edit the draft"),
                    f"/gigs/{row.id}/edit",
                    variant="soft",
                    aria_label=t("Edit the draft: {title}", title=row.title),
                ),
            ),
            spacing="3",
            wrap="wrap",
        ),
    )


def review_row(row) -> rx.Component:
    return row_card(
        title_row(row.gig_title, row.status),
        facts(
            fact(t("Student"), row.student_name),
            fact(t("Pay"), row.pay),
            fact(t("Due"), row.due_date),
        ),
        button_link(
            t("Review submission"),
            f"/engagements/{row.id}",
            aria_label=t("Review submission: {title} by {student}", title=row.gig_title, student=row.student_name),
        ),
    )


def manager_view() -> rx.Component:
    return stack(
        spread_row(
            rx.text(S.organization_names, size="4", weight="medium"),
            button_link(rx.fragment(rx.icon("plus", aria_hidden="true", size=16), t("Post a gig")), "/gigs/new", size="3"),
            spacing="3",
        ),
        organization_notice(),
        rx.cond(
            S.payment_label != "",
            rx.text(t("Payments on this site are {label}.", label=S.payment_label), size="2", color="var(--gray-11)"),
        ),
        section(t("Submissions to review"), rows_or_empty(S.to_review, review_row, t("Nothing is waiting for your review."))),
        section(t("Your gigs"), rows_or_empty(S.gigs, gig_row, t("You have not posted a gig yet."))),
        spacing="6",
    )


# --- staff and others ----------------------------------------------------------


def staff_view() -> rx.Component:
    return not_found_card(
        t("You are signed in as career-center staff. Vetting, outcomes and reports arrive in a later release."),
        t("Browse open gigs"),
        "/",
    )


def other_view() -> rx.Component:
    return not_found_card(
        rx.cond(S.load_error != "", S.load_error, t("There is nothing to show for your account yet.")),
        t("Browse open gigs"),
        "/",
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
            t("Loading your dashboard…"),
        ),
        heading=t("Dashboard"),
    )


def register(app: rx.App) -> None:
    app.add_page(dashboard_page, route="/dashboard", title=page_title("Dashboard"), on_load=S.load_dashboard)

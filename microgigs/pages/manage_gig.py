"""Manage applicants: each applicant as a card, blind until shortlisted, with the decision buttons."""

import reflex as rx

from microgigs.components.i18n import t, translated
from microgigs.components.layout import page_layout
from microgigs.components.markdown import markdown_block
from microgigs.components.panels import (
    PRE_WRAP,
    badge,
    button_link,
    callout,
    fact,
    facts,
    inline_error,
    not_found_card,
    notice,
    row_card,
    rows_or_empty,
    stack,
    title_row,
)
from microgigs.components.titles import page_title
from microgigs.components.url_object import for_this_url, text_for_this_url
from microgigs.services.statuses import ApplicationStatus, GigStatus
from microgigs.state.manage_gig import FEEDBACK_TEMPLATES, ROUTE
from microgigs.state.manage_gig import ManageGigState as S

OPEN = (("submitted", True), ("shortlisted", True))


def _heading() -> rx.Var:
    return text_for_this_url(S, rx.cond(S.found, S.gig_title, t("Gig not found")), t("Loading applicants…"))


def gig_summary() -> rx.Component:
    return stack(
        rx.flex(
            badge(S.gig_status),
            rx.text(S.filled_text, size="2", weight="medium"),
            rx.text(S.applicants_text, size="2"),
            rx.link(t("View the gig page"), href=S.gig_href, size="2"),
            spacing="4",
            align="center",
            wrap="wrap",
        ),
        rx.flex(
            rx.cond(
                (S.gig_status == GigStatus.DRAFT) | (S.gig_status == GigStatus.REJECTED),
                rx.fragment(
                    button_link(t("Edit the draft"), S.edit_href, variant="soft"),
                    button_link(t("Preview"), S.preview_href, variant="soft"),
                ),
            ),
            # An old gig as the start of a new one: the form opens filled in, dates left blank.
            button_link(t("Use as a template"), S.template_href, variant="outline"),
            spacing="3",
            wrap="wrap",
        ),
        rx.cond(
            S.blind_review,
            callout(
                "eye-off",
                rx.text(t("Blind review."), as_="span", weight="bold"),
                " ",
                t("Names and schools are hidden until you shortlist. Judge the work, not the pedigree."),
                color="indigo",
            ),
        ),
        # The scope to weigh each applicant against, folded away: the applicants are the page.
        rx.el.details(
            rx.el.summary(rx.text(t("Scope of the work"), as_="span", size="3", weight="medium"), style={"cursor": "pointer"}),
            rx.box(markdown_block(S.scope_html), padding_top="var(--space-2)"),
            width="100%",
        ),
    )


def _links(applicant) -> rx.Component:
    return rx.cond(
        applicant.sample_links.length() > 0,
        stack(
            rx.text(t("Links to their work"), size="2", weight="medium"),
            rx.el.ul(
                rx.foreach(
                    applicant.sample_links,
                    lambda link: rx.el.li(
                        rx.link(link, href=link, is_external=True, rel="noopener noreferrer nofollow", size="2", style=PRE_WRAP)
                    ),
                ),
                style={"margin": "0", "padding_left": "1.25rem"},
            ),
            spacing="1",
        ),
    )


def _answers(applicant) -> rx.Component:
    return rx.cond(
        applicant.answers.length() > 0,
        stack(
            rx.text(t("Screening answers"), size="2", weight="medium"),
            rx.foreach(
                applicant.answers,
                lambda a: rx.box(
                    rx.text(a.question, size="2", color="var(--gray-11)"),
                    rx.text(a.answer, size="2", style=PRE_WRAP),
                    width="100%",
                ),
            ),
            spacing="2",
        ),
    )


def _revealed(applicant) -> rx.Component:
    return rx.cond(
        applicant.revealed,
        facts(
            fact(t("Email"), rx.link(applicant.email, href="mailto:" + applicant.email)),
            rx.cond(applicant.school != "", fact(t("School"), applicant.school)),
            rx.cond(applicant.major != "", fact(t("Major"), applicant.major)),
            rx.cond(applicant.graduation_year != "", fact(t("Graduation year"), applicant.graduation_year)),
        ),
    )


def _actions(applicant) -> rx.Component:
    key = applicant.application_id.to_string()
    feedback_id = "feedback-" + key
    is_open = rx.match(applicant.status, *OPEN, False)
    return rx.cond(
        is_open,
        stack(
            rx.flex(
                rx.cond(
                    applicant.status == ApplicationStatus.SUBMITTED,
                    rx.button(
                        t("Shortlist"),
                        on_click=S.shortlist(applicant.application_id),
                        variant="soft",
                        size="2",
                        aria_label=t("Shortlist {name}", name=applicant.label),
                    ),
                ),
                rx.button(
                    t("Accept"),
                    on_click=S.accept(applicant.application_id),
                    color_scheme="green",
                    high_contrast=True,
                    size="2",
                    aria_label=t("Accept {name}", name=applicant.label),
                ),
                spacing="2",
                wrap="wrap",
            ),
            rx.form(
                rx.el.input(type="hidden", name="application_id", value=key),
                rx.flex(
                    rx.box(
                        rx.text(
                            rx.el.label(
                                t("Feedback for {name} if you decline (optional, one line)", name=applicant.label), html_for=feedback_id
                            ),
                            as_="div",
                            size="2",
                            weight="medium",
                        ),
                        rx.input(
                            id=feedback_id,
                            name="feedback",
                            max_length=200,
                            size="2",
                            width="100%",
                            placeholder=t("e.g. We chose someone with more SQL experience"),
                            # Suggestions from FEEDBACK_TEMPLATES; free text stays possible.
                            custom_attrs={"list": TEMPLATES_ID},
                        ),
                        flex="1 1 14rem",
                        min_width="0",
                    ),
                    rx.button(
                        t("Decline"),
                        type="submit",
                        variant="outline",
                        color_scheme="red",
                        size="2",
                        aria_label=t("Decline {name}", name=applicant.label),
                    ),
                    spacing="2",
                    align="end",
                    wrap="wrap",
                    width="100%",
                ),
                # rx.form's submit hook is built outside rx.foreach, so it cannot capture the
                # loop item: the application id travels in the form (the service re-checks it).
                on_submit=S.decline,
                reset_on_submit=False,
                aria_label=t("Decline {name}", name=applicant.label),
                width="100%",
            ),
        ),
    )


def applicant_card(applicant) -> rx.Component:
    key = applicant.application_id.to_string()
    return row_card(
        title_row(applicant.label, applicant.status, as_="h2", size="4", align="center"),
        facts(
            fact(t("Hours per week"), rx.cond(applicant.hours_per_week > 0, applicant.hours_per_week.to_string(), t("not given"))),
        ),
        rx.cond(
            applicant.skills.length() > 0,
            rx.flex(
                rx.text(t("Skills:"), size="2", color="var(--gray-11)"),
                rx.foreach(applicant.skills, lambda s: rx.badge(s, variant="surface", color_scheme="gray", size="1")),
                spacing="1",
                align="center",
                wrap="wrap",
            ),
        ),
        _revealed(applicant),
        rx.box(
            rx.text(t("Why they fit"), size="2", weight="medium"),
            markdown_block(applicant.note_html),
            width="100%",
        ),
        _links(applicant),
        _answers(applicant),
        inline_error(S.card_errors.get(key, "")),
        rx.cond(
            applicant.engagement_id > 0,
            button_link(
                t("Open engagement workspace"),
                "/engagements/" + applicant.engagement_id.to_string(),
                variant="soft",
                aria_label=t("Open engagement workspace for {name}", name=applicant.label),
            ),
        ),
        _actions(applicant),
        aria_label=applicant.label,
    )


def applicants() -> rx.Component:
    return rows_or_empty(S.applicants, applicant_card, t("No applications yet. They will appear here as students apply."), spacing="4")


TEMPLATES_ID = "decline-feedback-templates"


def feedback_templates() -> rx.Component:
    """Ready-made one-line feedback offered by every decline field (an HTML datalist), in the
    manager's language (the service marks them for the catalogue)."""
    return rx.el.datalist(*[rx.el.option(value=translated(template)) for template in FEEDBACK_TEMPLATES], id=TEMPLATES_ID)


def body() -> rx.Component:
    return stack(
        gig_summary(),
        notice(S.notice),
        applicants(),
        feedback_templates(),
        spacing="4",
    )


def manage_gig_page() -> rx.Component:
    return page_layout(
        for_this_url(
            S,
            rx.cond(
                S.found,
                body(),
                not_found_card(t("This gig does not exist, or you do not manage it."), link_text=t("Go to your dashboard")),
            ),
            t("Loading applicants…"),
        ),
        heading=_heading(),
    )


def register(app: rx.App) -> None:
    app.add_page(
        manage_gig_page,
        route=ROUTE,
        title=page_title(
            text_for_this_url(
                S, rx.cond(S.found, t("Applicants for {title}", title=S.gig_title), t("Gig not found")), t("Manage applicants")
            )
        ),
        on_load=S.load_gig,
    )

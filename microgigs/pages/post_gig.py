"""Post a gig (employer managers): every field of a gig on one page, errors beside each."""

import reflex as rx

from microgigs.components.forms import (
    checkbox_group_input,
    checkbox_input,
    date_input,
    form_alert,
    number_input,
    select_input,
    submit_button,
    success_note,
    text_input,
    textarea_input,
)
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import not_found_card, stack
from microgigs.components.titles import page_title
from microgigs.components.url_object import shows_this_url, text_for_this_url
from microgigs.services.gigs import CATEGORIES, LOCATION_MODE_NAMES, MAX_QUESTIONS, MAX_SKILLS
from microgigs.services.statuses import GigStatus
from microgigs.state.post_gig import EDIT_ROUTE, ERRORS_ANCHOR
from microgigs.state.post_gig import PostGigState as S

# The form's choices, each shown in the viewer's language (their values stay the stored words).
CATEGORY_TEXTS = {
    "Marketing": t("Marketing"),
    "Research": t("Research"),
    "Data analysis": t("Data analysis"),
    "Software": t("Software"),
    "Design": t("Design"),
    "Writing": t("Writing"),
    "Operations": t("Operations"),
    "Finance": t("Finance"),
}
LOCATION_MODE_TEXTS = {"remote": t("Remote"), "onsite": t("On-site"), "hybrid": t("Hybrid")}
# Every category and location mode of the service, in its order (a new one shows in English
# until it is added above).
CATEGORY_OPTIONS = [(name, CATEGORY_TEXTS.get(name, name)) for name in CATEGORIES]
LOCATION_MODE_OPTIONS = [(mode, LOCATION_MODE_TEXTS.get(mode, name)) for mode, name in LOCATION_MODE_NAMES.items()]
SKILLS_LEGEND_ID = "skills-legend"


def _err(name: str) -> rx.Var:
    return S.errors.get(name, "")


def _val(name: str) -> rx.Var:
    """What the field starts with: empty, a template's value or the draft's."""
    return S.values.get(name, "")


def _grid(*children: rx.Component) -> rx.Component:
    return rx.grid(*children, columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%")


def _section(title: rx.Var, *children: rx.Component) -> rx.Component:
    return stack(rx.heading(title, as_="h2", size="4"), *children, spacing="4")


def skills_field() -> rx.Component:
    return checkbox_group_input(
        t("Skills"),
        "skills",
        S.skill_names,
        legend_id=SKILLS_LEGEND_ID,
        default_value=S.chosen_skills,
        hint=t("Choose up to {count}. Students with these skills see the gig first.", count=MAX_SKILLS),
        error=_err("skills"),
        optional=True,
        when_none=rx.text(t("No skills have been set up yet."), size="2", color_scheme="gray"),
    )


def _filled(field, label: rx.Var, name: str, **props) -> rx.Component:
    """One field of the gig, with what it starts with and its error (both found by its name)."""
    return field(label, name, default_value=_val(name), error=_err(name), **props)


def gig_form() -> rx.Component:
    return rx.form(
        stack(
            _section(
                t("The work"),
                _filled(
                    text_input,
                    t("Title"),
                    "title",
                    hint=t("Say what the student will make, e.g. “Clean and chart our 2025 survey data”."),
                    max_length=120,
                ),
                _filled(text_input, t("One-line summary"), "summary", hint=t("Shown on the board under the title."), max_length=300),
                _filled(
                    textarea_input,
                    t("Scope of the work"),
                    "scope",
                    hint=t("What is in and out of scope, what you provide, how you will work together."),
                    rows="8",
                ),
                _filled(
                    textarea_input,
                    t("Deliverables"),
                    "deliverables",
                    optional=True,
                    hint=t("What the student hands in (files, links, a demo)."),
                    rows="4",
                ),
                _grid(
                    _filled(select_input, t("Category"), "category", options=CATEGORY_OPTIONS, placeholder=t("Choose a category")),
                    # Only a manager of several approved employers chooses which one posts it.
                    rx.cond(
                        S.choose_organization,
                        _filled(
                            select_input,
                            t("Posting for"),
                            "organization_id",
                            options=[],
                            placeholder=t("Choose an organization"),
                            dynamic_options=S.organization_choices,
                        ),
                        rx.box(),
                    ),
                ),
                skills_field(),
            ),
            _section(
                t("Where and when"),
                _grid(
                    _filled(select_input, t("Location"), "location_mode", options=LOCATION_MODE_OPTIONS),
                    _filled(
                        text_input, t("Place"), "location", optional=True, hint=t("Needed for on-site and hybrid gigs."), max_length=120
                    ),
                    _filled(
                        date_input,
                        t("Application deadline"),
                        "application_deadline",
                        hint=t("Applications close at the end of this day."),
                        on_change=S.check_live("application_deadline"),
                    ),
                    _filled(
                        number_input,
                        t("Estimated hours"),
                        "estimated_hours",
                        hint=t("Total, between 1 and 400."),
                        max_length=6,
                        on_blur=S.check_live("estimated_hours"),
                    ),
                    _filled(date_input, t("Start date"), "start_date", optional=True, hint=t("When the student may begin.")),
                    _filled(
                        date_input,
                        t("Due date"),
                        "due_date",
                        hint=t("When the work must be handed in."),
                        on_change=S.check_live("due_date"),
                    ),
                ),
            ),
            _section(
                t("Students and pay"),
                _grid(
                    _filled(number_input, t("Students needed"), "slots", hint=t("Each student does the whole gig."), max_length=3),
                    _filled(
                        text_input,
                        S.pay_label,
                        "pay",
                        hint=S.pay_hint,
                        input_mode="decimal",
                        placeholder="450",
                        max_length=13,
                        on_blur=S.check_live("pay"),
                    ),
                ),
                checkbox_input(
                    t("Blind review"),
                    "blind_review",
                    default_checked=_val("blind_review") == "on",
                    hint=t("Hide applicants’ names, schools and majors until you shortlist them."),
                ),
            ),
            _section(
                t("Screening questions"),
                _filled(
                    textarea_input,
                    t("Questions for applicants"),
                    "questions",
                    optional=True,
                    hint=t("Up to {count}, one per line. Every applicant answers each one.", count=MAX_QUESTIONS),
                    rows="4",
                ),
            ),
            checkbox_input(
                t("Save as a draft"),
                "save_draft",
                hint=t("Keep it to finish later; it is not sent for review or shown to students."),
            ),
            rx.flex(
                # Both submit the form; the click says which one it was (Enter in a field is
                # the first button's click: a preview, which never publishes anything).
                submit_button(t("Preview"), variant="outline", on_click=S.set_intent("preview")),
                submit_button(t("Post gig"), on_click=S.set_intent("post")),
                spacing="3",
                wrap="wrap",
            ),
            spacing="6",
            align="start",
        ),
        on_submit=S.post,
        aria_label=rx.cond(S.editing_id > 0, t("Edit your draft"), t("Post a gig")),
        key=S.form_key,
        width="100%",
    )


def messages() -> rx.Component:
    # Focused (and so scrolled to) when a submit is refused: tab_index -1 lets a script focus it.
    return rx.box(form_alert(S.form_error), form_alert(S.error_count_text), id=ERRORS_ANCHOR, tab_index=-1, width="100%")


def submitted() -> rx.Component:
    return stack(
        rx.cond(
            S.submitted_status == GigStatus.DRAFT,
            success_note(
                rx.text(t("Saved as a draft: “{title}”. It is not sent for review until you submit it.", title=S.submitted_title))
            ),
            success_note(
                rx.text(
                    t(
                        "Submitted for review: “{title}”. The career center checks new gigs before they appear on the board; follow it from your dashboard.",
                        title=S.submitted_title,
                    )
                )
            ),
        ),
        rx.flex(
            rx.link(t("View the gig"), href=S.submitted_href),
            rx.cond(
                S.submitted_status == GigStatus.DRAFT,
                rx.fragment(rx.link(t("Preview it"), href=S.preview_href), rx.link(t("Edit it"), href=S.edit_href)),
            ),
            rx.link(t("Go to your dashboard"), href="/dashboard"),
            rx.link(t("Post another gig"), href="/gigs/new", on_click=S.load_post_gig),
            spacing="4",
            wrap="wrap",
        ),
    )


def intro() -> rx.Component:
    return rx.cond(
        S.editing_id > 0,
        rx.text(t("Change what you need, then preview it or post it. Students see it only once it is published."), color_scheme="gray"),
        stack(
            rx.text(
                t("A gig is a short, paid project with a clear result. Students see it on the board once it is published."),
                color_scheme="gray",
            ),
            rx.cond(
                S.template_title != "",
                success_note(
                    rx.text(t("Started from “{title}”: choose new dates, check the rest, then preview or post it.", title=S.template_title))
                ),
            ),
        ),
    )


def post_gig_page() -> rx.Component:
    return page_layout(
        rx.cond(
            shows_this_url(S),
            rx.cond(
                S.is_manager,
                rx.cond(
                    S.submitted_status != "",
                    submitted(),
                    rx.cond(
                        (S.not_found != "") & (S.editing_id > 0),
                        not_found_card(S.not_found, link_text=t("Go to your dashboard")),
                        stack(
                            intro(),
                            form_alert(S.not_found),
                            messages(),
                            gig_form(),
                            spacing="4",
                        ),
                    ),
                ),
                rx.card(
                    rx.vstack(
                        rx.text(t("Only employer managers can post gigs.")),
                        rx.text(
                            t("Employers: create an account, and the career center will review it."),
                            " ",
                            rx.link(t("Create an employer account"), href="/signup?role=manager", underline="always"),
                            size="2",
                        ),
                        spacing="2",
                    ),
                    width="100%",
                ),
            ),
            rx.text(t("Loading…"), color_scheme="gray"),
        ),
        heading=text_for_this_url(S, rx.cond(S.editing_id > 0, t("Edit your draft"), t("Post a gig")), t("Loading…")),
    )


def register(app: rx.App) -> None:
    app.add_page(post_gig_page, route="/gigs/new", title=page_title("Post a gig"), on_load=S.load_post_gig)
    app.add_page(post_gig_page, route=EDIT_ROUTE, title=page_title("Edit your draft"), on_load=S.load_post_gig)

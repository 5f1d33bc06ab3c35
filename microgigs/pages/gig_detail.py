"""One gig: what the work is, what it pays, and (for students) the application form."""

import reflex as rx

from microgigs.components.forms import form_alert, form_column, submit_button, success_note, textarea_input
from microgigs.components.gig_card import category_text, location_mode_text, skill_badges
from microgigs.components.i18n import t
from microgigs.components.layout import link_button, page_layout
from microgigs.components.markdown import markdown_block
from microgigs.components.panels import callout, not_found_card, stack
from microgigs.components.status_badge import status_badge
from microgigs.components.titles import page_title
from microgigs.components.url_object import shows_this_url, text_for_this_url
from microgigs.services.applications import MAX_NOTE
from microgigs.services.statuses import GigStatus
from microgigs.state.gig_detail import ROUTE
from microgigs.state.gig_detail import GigDetailState as S


def _heading() -> rx.Var:
    return text_for_this_url(S, rx.cond(S.found, S.card.title, t("Gig not found")), t("Loading gig…"))


def _fact(label: rx.Var, value, *more) -> rx.Component:
    return rx.el.div(
        rx.el.dt(rx.text(label, size="1", color_scheme="gray", weight="medium")),
        rx.el.dd(rx.text(value, size="2", weight="medium"), *more, style={"margin": "0"}),
    )


def facts(s=S) -> rx.Component:
    """The numbers a student decides by: a definition list laid out as a grid."""
    return rx.card(
        rx.el.dl(
            _fact(t("Pay"), s.card.pay),
            _fact(t("Time"), t("about {hours} hours", hours=s.card.estimated_hours)),
            _fact(t("Where"), rx.fragment(location_mode_text(s.card.location_mode), rx.cond(s.location != "", f" · {s.location}", ""))),
            _fact(t("Places"), s.slots_text),
            _fact(
                t("Apply by"),
                s.card.deadline_text,
                rx.cond(s.card.deadline_note != "", rx.text(s.card.deadline_note, size="1", color_scheme="gray")),
            ),
            _fact(t("Due"), s.card.due_text),
            _fact(t("Category"), category_text(s.card.category)),
            display="grid",
            grid_template_columns=rx.breakpoints(initial="repeat(2, minmax(0, 1fr))", sm="repeat(4, minmax(0, 1fr))"),
            gap="var(--space-4)",
            margin="0",
        ),
        width="100%",
    )


def blind_review_note() -> rx.Component:
    return callout(
        "eye-off",
        rx.text(t("Blind review."), as_="span", weight="bold"),
        " ",
        t("The employer first sees your note, links, answers and skills — not your name, school or major — until they shortlist you."),
        color="indigo",
        high_contrast=False,
    )


def question_field(question) -> rx.Component:
    name = f"answer_{question.id}"
    fid = f"field-answer-{question.id}"
    error = S.errors.get(name, "")
    return stack(
        rx.text(rx.el.label(question.text, html_for=fid), as_="div", size="2", weight="medium"),
        rx.text_area(
            id=fid,
            name=name,
            rows="4",
            size="3",
            resize="vertical",
            max_length=2000,
            width="100%",
            aria_describedby=f"{fid}-error",
            aria_invalid=rx.cond(error != "", "true", "false"),
        ),
        rx.text(error, id=f"{fid}-error", as_="p", size="2", color_scheme="red", weight="medium"),
        spacing="1",
    )


def apply_form() -> rx.Component:
    return form_column(
        form_alert(S.form_error),
        form_alert(S.error_count_text),
        textarea_input(
            t("Why you fit this gig"),
            "note",
            error=S.errors.get("note", ""),
            hint=t("What you have done that is like this work, and when you can do it."),
            value=S.note,
            on_change=S.set_note,
            max_length=MAX_NOTE,
            rows="6",
            extra=rx.text(S.note_count_text, size="1", color_scheme="gray", id="note-counter"),
        ),
        textarea_input(
            t("Links to your work"),
            "sample_links",
            optional=True,
            error=S.errors.get("sample_links", ""),
            hint=t("Up to 5 web addresses, one per line (portfolio, GitHub, writing samples)."),
            rows="3",
            placeholder="https://",
        ),
        rx.cond(
            S.questions.length() > 0,
            stack(rx.heading(t("Screening questions"), as_="h3", size="3"), rx.foreach(S.questions, question_field)),
        ),
        submit_button(t("Apply")),
        on_submit=S.apply,
        spacing="4",
        aria_label=t("Apply to this gig"),
    )


def apply_section() -> rx.Component:
    closed = rx.text(t("This gig is no longer taking applications."), color_scheme="gray")
    return stack(
        rx.heading(t("Apply"), as_="h2", size="5"),
        rx.cond(
            S.applied,
            success_note(
                # "Applied — see your [dashboard] for its status.": Spanish keeps the order.
                rx.text(
                    t("Applied — see your"),
                    " ",
                    rx.link(t("dashboard"), href="/dashboard", underline="always", high_contrast=True),
                    " ",
                    t("for its status."),
                )
            ),
            rx.cond(
                S.viewer_manages,
                rx.text(
                    t("You manage this gig: see who applied on"),
                    " ",
                    rx.link(t("its applicants page"), href=S.manage_href, underline="always"),
                    ".",
                ),
                rx.cond(
                    ~S.taking_applications,
                    closed,
                    rx.cond(
                        ~S.signed_in,
                        rx.flex(
                            link_button(t("Sign in to apply"), S.sign_in_href, size="3"),
                            rx.text(
                                t("New here?"), " ", rx.link(t("Create a student account"), href="/signup", underline="always"), size="2"
                            ),
                            spacing="3",
                            align="center",
                            wrap="wrap",
                        ),
                        rx.cond(S.is_student, apply_form(), rx.text(t("Only student accounts can apply to gigs."), color_scheme="gray")),
                    ),
                ),
            ),
        ),
        id="apply",
    )


def gig_content(s=S, heading_tag: str = "h2") -> rx.Component:
    """What the gig is, as its page shows it (the preview shows the same, for its own state)."""
    return stack(
        rx.text(s.card.summary, size="3"),
        facts(s),
        rx.cond(
            s.card.skills.length() > 0,
            rx.flex(rx.text(t("Skills"), size="2", weight="medium"), skill_badges(s.card.skills), spacing="2", align="center", wrap="wrap"),
        ),
        rx.cond(s.blind_review, blind_review_note()),
        rx.heading(t("Scope of the work"), as_=heading_tag, size="5"),
        markdown_block(s.scope_html),
        rx.cond(
            s.deliverables != "",
            rx.fragment(
                rx.heading(t("Deliverables"), as_=heading_tag, size="5"),
                markdown_block(s.deliverables_html),
            ),
        ),
        spacing="4",
        align="start",
    )


def add_to_calendar() -> rx.Component:
    """The gig's dates as an .ics file: a plain download, which any calendar app opens."""
    return rx.cond(
        S.calendar_href != "",
        rx.el.a(
            rx.icon("calendar-plus", size=16, aria_hidden="true"),
            t("Add to calendar"),
            href=S.calendar_href,
            download=True,
            reload_document=True,
            class_name="rt-Text rt-Link",
            style={"display": "inline-flex", "align_items": "center", "gap": "0.35rem", "font_size": "var(--font-size-2)"},
        ),
    )


def gig_body() -> rx.Component:
    return stack(
        rx.flex(
            rx.text(S.card.employer, size="4", weight="medium"),
            rx.cond(S.card.status != GigStatus.OPEN, status_badge(S.card.status)),
            rx.cond(S.viewer_manages, link_button(t("Manage applicants"), S.manage_href, variant="soft")),
            add_to_calendar(),
            spacing="3",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        gig_content(),
        rx.heading(t("This employer's track record"), as_="h2", size="5"),
        rx.el.ul(
            rx.foreach(S.employer_record, lambda line: rx.el.li(rx.text(line, size="2"))), style={"margin": "0", "padding_left": "1.25rem"}
        ),
        rx.separator(size="4"),
        apply_section(),
        spacing="4",
        align="start",
    )


def gig_page() -> rx.Component:
    return page_layout(
        rx.cond(shows_this_url(S), rx.cond(S.found, gig_body(), not_found_card(S.not_found_message, t("Browse open gigs"), "/"))),
        heading=_heading(),
    )


def register(app: rx.App) -> None:
    title = page_title(text_for_this_url(S, S.title_subject, t("Gig")))
    app.add_page(gig_page, route=ROUTE, title=title, on_load=S.load_gig)

"""/engagements/<id>/review: the two-way, double-blind review of a finished engagement."""

import reflex as rx

from microgigs.components.forms import form_alert, form_column, select_input, submit_button, text_input, textarea_input
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.markdown import markdown_block
from microgigs.components.panels import empty_note, loading_note, not_found_card, notice, row_card, section, stack
from microgigs.components.titles import page_title
from microgigs.components.url_object import shows_this_url, text_for_this_url
from microgigs.state.review import ROUTE
from microgigs.state.review import ReviewState as S

STARS = [
    ("5", t("5 of 5")),
    ("4", t("4 of 5")),
    ("3", t("3 of 5")),
    ("2", t("2 of 5")),
    ("1", t("1 of 5")),
]


def rating_select(index: int) -> rx.Component:
    return select_input(
        S.questions[index - 1],
        f"rating_{index}",
        STARS,
        error=S.errors.get("ratings", "") if index == 1 else "",
        placeholder=t("Choose…"),
    )


def endorsement_choices() -> rx.Component:
    return rx.cond(
        S.skills.length() > 0,
        rx.el.fieldset(
            rx.el.legend(rx.text(t("Endorse the skills the student showed (optional)"), size="2", weight="medium")),
            rx.vstack(
                rx.foreach(
                    S.skills,
                    lambda skill: rx.el.label(
                        rx.el.input(type="checkbox", name="endorsed", value=skill, style={"margin_right": "0.5rem"}),
                        skill,
                        style={"display": "flex", "align_items": "center"},
                    ),
                ),
                spacing="1",
            ),
            rx.text(S.errors.get("endorsed_skills", ""), color_scheme="red", size="2", role="alert"),
            style={"border": "none", "padding": "0", "margin": "0"},
        ),
    )


def review_form() -> rx.Component:
    return form_column(
        form_alert(S.errors.get("form", "")),
        rating_select(1),
        rating_select(2),
        rating_select(3),
        rx.cond(S.questions.length() > 3, rating_select(4)),
        endorsement_choices(),
        textarea_input(
            t("Your review"),
            "comment",
            hint=t("Shown to the other side once both reviews are in."),
            optional=True,
            error=S.errors.get("comment", ""),
            max_length=1000,
        ),
        text_input(
            t("A private note to the career center"),
            "private_note",
            optional=True,
            hint=t("Never shown to the other side."),
            error=S.errors.get("private_note", ""),
            max_length=200,
        ),
        submit_button(t("Submit review")),
        on_submit=S.submit,
        aria_label=t("Write your review"),
    )


def review_card(review) -> rx.Component:
    return row_card(
        rx.foreach(
            review.ratings,
            lambda r: rx.text(r.question, ": ", rx.text(t("{stars} of 5", stars=r.stars), as_="span", weight="bold"), size="2"),
        ),
        rx.cond(
            review.endorsed_skills.length() > 0, rx.text(t("Endorsed skills: {skills}", skills=review.endorsed_skills.join(", ")), size="2")
        ),
        rx.cond(review.comment != "", markdown_block(review.comment_html)),
        rx.text(t("Written on {date}", date=review.written_on), size="1", color="var(--gray-11)"),
    )


def review_page() -> rx.Component:
    return page_layout(
        rx.cond(
            shows_this_url(S),
            rx.cond(
                S.found,
                stack(
                    rx.link(t("Back to the workspace"), href=S.workspace_href),
                    notice(S.notice),
                    section(
                        rx.cond(S.my_side == "student", t("Your review of the employer"), t("Your review of the student")),
                        rx.cond(
                            S.has_mine,
                            review_card(S.mine),
                            rx.cond(S.can_write, review_form(), empty_note(S.why_not)),
                        ),
                    ),
                    section(
                        rx.cond(S.my_side == "student", t("The employer's review of you"), t("The student's review of you")),
                        rx.cond(
                            S.has_theirs,
                            review_card(S.theirs),
                            empty_note(
                                rx.cond(
                                    S.theirs_waiting,
                                    t("It is in, and shown once yours is in too (or after 14 days)."),
                                    t("Not written yet."),
                                )
                            ),
                        ),
                    ),
                    spacing="4",
                ),
                not_found_card(t("This engagement does not exist, or it is not yours."), t("Go to your dashboard")),
            ),
            loading_note(t("Loading…")),
        ),
        heading=text_for_this_url(S, rx.cond(S.found, t("Review: {title}", title=S.gig_title), t("Review")), t("Review")),
    )


def register(app: rx.App) -> None:
    app.add_page(review_page, route=ROUTE, title=page_title("Review"), on_load=S.load)

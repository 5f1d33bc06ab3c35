"""Career-center staff: the shared skill vocabulary students and gigs choose from."""

import reflex as rx

from microgigs.components.forms import text_input
from microgigs.components.layout import page_layout
from microgigs.components.panels import empty_note, inline_error, loading_note, not_found_card, notice, row_card, section
from microgigs.state.staff import StaffSkillsState as S


def add_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.box(text_input("Skill name", "skill_name", required=True, max_length=60, error=S.error_skill_name), flex="1 1 12rem"),
            rx.box(text_input("Category", "skill_category", optional=True, max_length=60, error=S.error_skill_category), flex="1 1 12rem"),
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        rx.button("Add skill", type="submit", size="3", margin_top="var(--space-2)"),
        on_submit=S.add_skill,
        key=S.form_key.to_string(),
        aria_label="Add a skill",
        width="100%",
    )


def skill_row(skill) -> rx.Component:
    key = skill.id.to_string()
    return row_card(
        rx.flex(
            rx.text(skill.name, weight="bold"),
            rx.text(rx.cond(skill.category != "", skill.category, "no category"), size="2", color="var(--gray-11)"),
            rx.text("used ", skill.used_by.to_string(), " times", size="2"),
            rx.form(
                rx.el.input(type="hidden", name="skill_id", value=key),
                rx.button(
                    "Remove",
                    type="submit",
                    variant="soft",
                    color_scheme="red",
                    high_contrast=True,
                    size="1",
                    aria_label=rx.Var.create("Remove ") + skill.name,
                ),
                on_submit=S.remove_skill,
            ),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        inline_error(S.row_errors.get(key, "")),
        aria_label=skill.name,
    )


def staff_skills() -> rx.Component:
    return page_layout(
        rx.cond(
            S.loaded,
            rx.cond(
                S.allowed,
                rx.vstack(
                    notice(S.notice),
                    section("Add a skill", add_form()),
                    section(
                        "All skills",
                        rx.cond(
                            S.skills.length() > 0,
                            rx.vstack(rx.foreach(S.skills, skill_row), spacing="2", width="100%"),
                            empty_note("No skills yet."),
                        ),
                    ),
                    spacing="5",
                    width="100%",
                ),
                not_found_card("Only career-center staff can change the skill list."),
            ),
            loading_note("Loading skills…"),
        ),
        heading="Skills",
    )


def register(app: rx.App) -> None:
    app.add_page(staff_skills, route="/staff/skills", title="Skills · MicroGigs staff", on_load=S.load_skills)

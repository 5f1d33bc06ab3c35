"""Career-center staff: the shared skill vocabulary students and gigs choose from."""

import reflex as rx

from microgigs.components.forms import REMOVE_BUTTON, fields_row_form, row_button_form, text_input
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import named_row, notice, rows_or_empty, section, stack, when_allowed
from microgigs.components.titles import page_title
from microgigs.state.staff import StaffSkillsState as S


def add_form() -> rx.Component:
    return fields_row_form(
        rx.box(text_input(t("Skill name"), "skill_name", required=True, max_length=60, error=S.error_skill_name), flex="1 1 12rem"),
        rx.box(text_input(t("Category"), "skill_category", optional=True, max_length=60, error=S.error_skill_category), flex="1 1 12rem"),
        submit=t("Add skill"),
        on_submit=S.add_skill,
        key=S.form_key.to_string(),
        aria_label=t("Add a skill"),
    )


def skill_row(skill) -> rx.Component:
    key = skill.id.to_string()
    return named_row(
        skill.name,
        rx.text(rx.cond(skill.category != "", skill.category, t("no category")), size="2", color="var(--gray-11)"),
        rx.text(
            rx.cond(skill.used_by == 1, t("used {count} time", count=skill.used_by), t("used {count} times", count=skill.used_by)), size="2"
        ),
        row_button_form(t("Remove"), S.remove_skill, id_field="skill_id", id_value=key, row_name=skill.name, **REMOVE_BUTTON),
        error=S.row_errors.get(key, ""),
    )


def staff_skills() -> rx.Component:
    return page_layout(
        when_allowed(
            S,
            stack(
                notice(S.notice),
                section(t("Add a skill"), add_form()),
                section(t("All skills"), rows_or_empty(S.skills, skill_row, t("No skills yet."), spacing="2")),
                spacing="5",
            ),
            t("Only career-center staff can change the skill list."),
            t("Loading skills…"),
        ),
        heading=t("Skills"),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_skills, route="/staff/skills", title=page_title("Skills"), on_load=S.load_skills)

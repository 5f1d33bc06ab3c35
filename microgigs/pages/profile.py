"""Your profile: a student's skills, availability, links and school details; a manager's
name and title; a photo for everyone."""

import reflex as rx

from microgigs import i18n
from microgigs.components.forms import (
    checkbox_group_input,
    error_id,
    field_error,
    field_hint,
    form_column,
    hint_id,
    long_select_input,
    select_input,
    text_input,
    textarea_input,
)
from microgigs.components.i18n import t
from microgigs.components.layout import form_page
from microgigs.components.panels import section
from microgigs.components.titles import page_title
from microgigs.components.upload_field import named_upload, rejection_summaries
from microgigs.services.profiles import MAX_PHOTO_BYTES
from microgigs.state.profile import PHOTO_UPLOAD_ID, TIMEZONE_GROUPS
from microgigs.state.profile import ProfileState as S

E = S.field_errors.to(dict[str, str])
SKILLS_LEGEND_ID = "profile-skills-legend"


def photo_section() -> rx.Component:
    return section(
        t("Photo"),
        rx.cond(
            S.has_photo,
            rx.image(
                src=S.photo_src,
                alt=t("Your current photo"),
                width="96px",
                height="96px",
                style={"object_fit": "cover", "border_radius": "50%"},
            ),
        ),
        form_column(
            field_hint("photo", t("PNG, JPEG or WebP, at most {count} MB.", count=MAX_PHOTO_BYTES // (1024 * 1024))),
            named_upload(
                rx.button(t("Choose a photo"), type="button", variant="soft", aria_describedby=f"{hint_id('photo')} {error_id('photo')}"),
                input_label=t("Photo"),
                id=PHOTO_UPLOAD_ID,
                accept={"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"], "image/webp": [".webp"]},
                max_files=1,
                # Refused in the browser as soon as it is chosen; the reason goes under the field.
                max_size=MAX_PHOTO_BYTES,
                on_drop_rejected=lambda rejected: S.photo_rejected(rejection_summaries(rejected)),
                no_keyboard=True,
                border="1px dashed var(--gray-a8)",
                border_radius="var(--radius-3)",
                padding="0.75rem",
                width="100%",
            ),
            rx.foreach(rx.selected_files(PHOTO_UPLOAD_ID), lambda name: rx.text(t("Selected: {name}", name=name), size="2")),
            field_error("photo", E["photo"], live=True),
            rx.button(t("Upload photo"), type="submit"),
            on_submit=lambda form_data: S.upload_photo(rx.upload_files(upload_id=PHOTO_UPLOAD_ID), form_data),
            spacing="2",
            aria_label=t("Upload a photo"),
        ),
    )


def skills_field() -> rx.Component:
    return checkbox_group_input(
        t("Skills"),
        "skills",
        S.all_skills,
        legend_id=SKILLS_LEGEND_ID,
        default_value=S.skills,
        hint=t("Choose the skills you have; gigs that need them are shown to you first."),
        error=E["skills"],
    )


def student_form() -> rx.Component:
    return form_column(
        skills_field(),
        textarea_input(
            t("Interests"), "interests", optional=True, rows="3", max_length=500, default_value=S.interests, error=E["interests"]
        ),
        text_input(
            t("Hours available per week"),
            "hours_per_week",
            input_mode="numeric",
            default_value=S.hours_per_week,
            error=E["hours_per_week"],
        ),
        long_select_input(
            t("Time zone"),
            "timezone",
            # The zones' areas are IANA names (Europe, America); only the catch-all is a word.
            [(t("Other") if area == "Other" else area, zones) for area, zones in TIMEZONE_GROUPS],
            hint=t("Where you are, so times are shown in your own hours."),
            default_value=S.timezone,
            error=E["timezone"],
        ),
        textarea_input(
            t("Links"),
            "links",
            optional=True,
            rows="3",
            hint=t("One web address per line (portfolio, GitHub, LinkedIn)."),
            default_value=S.links,
            error=E["links"],
        ),
        rx.heading(t("School details"), as_="h3", size="3"),
        rx.text(t("Hidden from employers while they review applicants blind."), as_="p", size="2"),
        text_input(t("School"), "school", optional=True, max_length=160, default_value=S.school, error=E["school"]),
        text_input(t("Major"), "major", optional=True, max_length=120, default_value=S.major, error=E["major"]),
        text_input(
            t("Graduation year"),
            "graduation_year",
            optional=True,
            input_mode="numeric",
            default_value=S.graduation_year,
            error=E["graduation_year"],
        ),
        rx.button(t("Save profile"), type="submit", size="3"),
        on_submit=S.save_student,
        spacing="4",
        key=S.form_key.to_string(),
        reset_on_submit=False,
        aria_label=t("Your student profile"),
    )


def manager_form() -> rx.Component:
    return form_column(
        text_input(t("Your name"), "display_name", required=True, max_length=100, default_value=S.display_name, error=E["display_name"]),
        text_input(t("Job title"), "title", optional=True, max_length=100, default_value=S.title, error=E["title"]),
        rx.button(t("Save profile"), type="submit", size="3"),
        on_submit=S.save_manager,
        spacing="4",
        key=S.form_key.to_string(),
        reset_on_submit=False,
        aria_label=t("Your profile"),
    )


def language_form() -> rx.Component:
    """The language of the pages and of the mail: each language named in itself."""
    return form_column(
        select_input(
            t("Language"),
            "language",
            list(i18n.LANGUAGES.items()),
            hint=t("The pages and the mail you get are in this language."),
            default_value=S.language,
            error=E["language"],
        ),
        rx.button(t("Save language"), type="submit", size="3"),
        on_submit=S.save_language,
        spacing="4",
        key=S.form_key.to_string() + S.language,
        reset_on_submit=False,
        aria_label=t("Your language"),
    )


def profile() -> rx.Component:
    return form_page(
        S,
        rx.cond(S.is_student_profile, section(t("About you"), student_form())),
        rx.cond(S.is_manager_profile, section(t("About you"), manager_form())),
        section(t("Language"), language_form()),
        photo_section(),
        heading=t("Your profile"),
        loading=t("Loading your profile…"),
        spacing="6",
        max_width="40rem",
    )


def register(app: rx.App) -> None:
    app.add_page(profile, route="/profile", title=page_title("Your profile"), on_load=S.load_profile)

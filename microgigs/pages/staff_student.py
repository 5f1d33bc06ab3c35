"""Career-center staff: one student's whole profile (pedigree included). Opening it is a view
that the audit log records, so "who looked at this student" has an answer."""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import PRE_WRAP, fact, facts, not_found_card, section, stack
from microgigs.components.titles import page_title
from microgigs.components.url_object import for_this_url
from microgigs.state.staff import STUDENT_ROUTE
from microgigs.state.staff import StaffStudentState as S


def profile_card() -> rx.Component:
    student = S.student
    return stack(
        rx.heading(student.display_name, as_="h2", size="5"),
        facts(
            fact(t("Email"), student.email),
            fact(t("Account"), rx.cond(student.active, t("active"), t("closed"))),
            fact(t("Time zone"), student.timezone),
            fact(t("Hours per week"), student.hours_per_week.to_string()),
        ),
        section(
            t("Skills and interests"),
            rx.cond(
                student.skills.length() > 0,
                rx.flex(
                    rx.foreach(student.skills, lambda skill: rx.badge(skill, variant="soft", high_contrast=True)), spacing="2", wrap="wrap"
                ),
                rx.text(t("No skills chosen yet."), as_="p", size="2"),
            ),
            rx.cond(student.interests != "", rx.text(student.interests, as_="p", size="2", style=PRE_WRAP)),
        ),
        section(
            t("Links"),
            rx.cond(
                student.links.length() > 0,
                rx.el.ul(
                    rx.foreach(student.links, lambda link: rx.el.li(rx.text(link, size="2", style=PRE_WRAP))),
                    style={"margin": "0", "padding_left": "1.25rem"},
                ),
                rx.text(t("No links."), as_="p", size="2"),
            ),
        ),
        section(
            t("School details"),
            rx.text(t("Hidden from employers while they review applicants blind."), as_="p", size="2", color="var(--gray-11)"),
            facts(fact(t("School"), student.school), fact(t("Major"), student.major), fact(t("Graduation year"), student.graduation_year)),
        ),
        rx.link(t("Who else viewed this student"), href="/staff/audit/?kind=views&subject_email=" + student.email, underline="always"),
        spacing="4",
        align="start",
    )


def staff_student() -> rx.Component:
    return page_layout(
        for_this_url(S, rx.cond(S.found, profile_card(), not_found_card(S.message)), t("Loading the profile…")),
        heading=t("Student profile"),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_student, route=STUDENT_ROUTE, title=page_title("Student profile"), on_load=S.load_student)

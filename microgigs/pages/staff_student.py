"""Career-center staff: one student's whole profile (pedigree included). Opening it is a view
that the audit log records, so "who looked at this student" has an answer."""

import reflex as rx

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
            fact("Email", student.email),
            fact("Account", rx.cond(student.active, "active", "closed")),
            fact("Time zone", student.timezone),
            fact("Hours per week", student.hours_per_week.to_string()),
        ),
        section(
            "Skills and interests",
            rx.cond(
                student.skills.length() > 0,
                rx.flex(
                    rx.foreach(student.skills, lambda skill: rx.badge(skill, variant="soft", high_contrast=True)), spacing="2", wrap="wrap"
                ),
                rx.text("No skills chosen yet.", as_="p", size="2"),
            ),
            rx.cond(student.interests != "", rx.text(student.interests, as_="p", size="2", style=PRE_WRAP)),
        ),
        section(
            "Links",
            rx.cond(
                student.links.length() > 0,
                rx.el.ul(
                    rx.foreach(student.links, lambda link: rx.el.li(rx.text(link, size="2", style=PRE_WRAP))),
                    style={"margin": "0", "padding_left": "1.25rem"},
                ),
                rx.text("No links.", as_="p", size="2"),
            ),
        ),
        section(
            "School details",
            rx.text("Hidden from employers while they review applicants blind.", as_="p", size="2", color="var(--gray-11)"),
            facts(fact("School", student.school), fact("Major", student.major), fact("Graduation year", student.graduation_year)),
        ),
        rx.link("Who else viewed this student", href="/staff/audit/?kind=views&subject_email=" + student.email, underline="always"),
        spacing="4",
        align="start",
    )


def staff_student() -> rx.Component:
    return page_layout(
        for_this_url(S, rx.cond(S.found, profile_card(), not_found_card(S.message)), "Loading the profile…"),
        heading="Student profile",
    )


def register(app: rx.App) -> None:
    app.add_page(staff_student, route=STUDENT_ROUTE, title=page_title("Student profile"), on_load=S.load_student)

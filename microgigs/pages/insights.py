"""/staff/insights: outcomes and equity for career-center staff, with a table and a CSV
behind every chart (the tables are also what screen readers use)."""

import reflex as rx

from microgigs.components.forms import date_input, field_id, form_field, submit_button
from microgigs.components.i18n import t, translated
from microgigs.components.layout import page_layout
from microgigs.components.panels import loading_note, not_found_card, section, stack
from microgigs.components.titles import page_title
from microgigs.services.insights import TABLES, column_heading
from microgigs.state.insights import InsightsState as S


def titles() -> dict[str, rx.Var]:
    """Each chart's title, in the viewer's language."""
    return {
        "gigs_over_time": t("Gigs posted, filled and completed per week"),
        "applications_per_gig": t("Applications per gig"),
        "skills_asked_vs_held": t("Skills asked for and skills students have"),
        "participation_by_major": t("Students taking part, by major"),
        "participation_by_graduation_year": t("Students taking part, by graduation year"),
        "participation_by_first_generation": t("Students taking part, first-generation (self-reported)"),
        "paid_to_students": t("Money paid to students per week and currency (cents: the currency's smallest unit)"),
        "conversion_by_employer": t("Try before you hire: interviews and offers per employer"),
    }


def _heading(column: str) -> rx.Var:
    """A data key's name in the viewer's language, for a chart's legend (a msgid of services/insights)."""
    return translated(column_heading(column).msgid)


def stat(label: rx.Var, value) -> rx.Component:
    return rx.card(rx.vstack(rx.text(label, size="2", color="var(--gray-11)"), rx.text(value, size="6", weight="bold"), spacing="1"))


def data_table(name: str) -> rx.Component:
    # A plain HTML table: Radix's table wraps itself in a scroll area that keyboards cannot reach.
    cell = {"padding": "0.25rem 0.75rem 0.25rem 0", "text_align": "left", "border_bottom": "1px solid var(--gray-a5)"}
    return rx.box(
        rx.el.table(
            rx.el.thead(rx.el.tr(rx.foreach(S.columns[name], lambda c: rx.el.th(c, scope="col", style=cell)))),
            rx.el.tbody(rx.foreach(S.rows[name], lambda row: rx.el.tr(rx.foreach(row, lambda v: rx.el.td(v, style=cell))))),
            style={"border_collapse": "collapse", "font_size": "var(--font-size-2)", "width": "100%"},
        ),
        overflow_x="auto",
        width="100%",
        # A scrolling region must be reachable by keyboard, and named.
        tab_index=0,
        role="region",
        aria_label=t("Table: {title}", title=titles()[name]),
    )


def csv_link(name: str) -> rx.Component:
    return rx.el.a(
        t("Download CSV: {title}", title=titles()[name]), href=f"/staff/insights/{name}.csv?" + S.query, download=True, reload_document=True
    )


def chart(name: str, graph: rx.Component | None) -> rx.Component:
    return section(
        titles()[name],
        *(
            [
                rx.el.figure(
                    graph,
                    aria_label=t("Chart: {title} (the same figures are in the table below)", title=titles()[name]),
                    style={"margin": "0", "width": "100%"},
                )
            ]
            if graph is not None
            else []
        ),
        data_table(name),
        csv_link(name),
    )


def bars(data, x: str, *series: tuple[str, str]) -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        *[rx.recharts.bar(data_key=key, fill=color, name=_heading(key)) for key, color in series],
        rx.recharts.x_axis(data_key=x),
        rx.recharts.y_axis(allow_decimals=False),
        rx.recharts.legend(),
        rx.recharts.graphing_tooltip(),
        data=data,
        width="100%",
        height=240,
    )


def filters() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.box(date_input(t("From"), "start", default_value=S.start, key=S.start), min_width="10rem"),
            rx.box(date_input(t("To"), "end", default_value=S.end, key=S.end), min_width="10rem"),
            rx.box(employer_select(), min_width="12rem"),
            submit_button(t("Apply filters")),
            spacing="3",
            wrap="wrap",
            align="end",
        ),
        on_submit=S.apply_filters,
        aria_label=t("Filter the figures"),
        width="100%",
    )


def employer_select() -> rx.Component:
    """Like forms.select_input, but its options come from the state."""
    return form_field(
        t("Employer"),
        "employer",
        rx.select.root(
            rx.select.trigger(id=field_id("employer"), width="100%"),
            rx.select.content(
                rx.select.item(t("All employers"), value="all"),
                rx.foreach(S.employers, lambda e: rx.select.item(e[1], value=e[0])),
                position="popper",
            ),
            name="employer",
            default_value=S.employer,
            key=S.employer,
            size="3",
        ),
    )


def dashboard() -> rx.Component:
    return stack(
        filters(),
        rx.grid(
            stat(t("Gigs posted"), S.headline.gigs_posted),
            stat(t("Gigs filled"), S.headline.gigs_filled),
            stat(t("Gigs completed"), S.headline.gigs_completed),
            stat(t("Applications per gig"), S.headline.applications_per_gig),
            stat(t("Median days to fill"), S.headline.median_days_to_fill),
            stat(t("Completion rate"), S.headline.completion_rate),
            stat(t("Paid to students"), S.headline.paid_to_students),
            stat(t("Finished gigs leading to an interview"), S.headline.interview_rate),
            stat(t("Finished gigs leading to an offer"), S.headline.offer_rate),
            columns=rx.breakpoints(initial="2", sm="4"),
            spacing="3",
            width="100%",
        ),
        chart(
            "gigs_over_time",
            rx.recharts.line_chart(
                rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
                rx.recharts.line(data_key="posted", stroke="#3e63dd", name=_heading("posted")),
                rx.recharts.line(data_key="filled", stroke="#e54d2e", name=_heading("filled")),
                rx.recharts.line(data_key="completed", stroke="#30a46c", name=_heading("completed")),
                rx.recharts.x_axis(data_key="week"),
                rx.recharts.y_axis(allow_decimals=False),
                rx.recharts.legend(),
                rx.recharts.graphing_tooltip(),
                data=S.over_time,
                width="100%",
                height=240,
            ),
        ),
        chart("applications_per_gig", bars(S.per_gig, "gig", ("applications", "#3e63dd"))),
        chart("skills_asked_vs_held", bars(S.skills, "skill", ("gigs_asking", "#3e63dd"), ("students_with", "#30a46c"))),
        chart("paid_to_students", bars(S.paid, "week", ("amount", "#30a46c"))),
        chart(
            "conversion_by_employer",
            bars(S.conversion, "employer", ("finished", "#3e63dd"), ("interviews", "#e54d2e"), ("offers", "#30a46c")),
        ),
        *[chart(name, None) for name in TABLES if name.startswith("participation_by_")],
        rx.text(t("Groups of fewer than 5 students are not shown, so no one can be picked out."), size="2", color="var(--gray-11)"),
        spacing="5",
    )


def insights_page() -> rx.Component:
    return page_layout(
        rx.cond(
            S.loaded,
            rx.cond(S.allowed, dashboard(), not_found_card(t("This page is for career-center staff."))),
            loading_note(),
        ),
        heading=t("Career-center dashboard"),
    )


def register(app: rx.App) -> None:
    app.add_page(insights_page, route="/staff/insights", title=page_title("Insights"), on_load=S.load)

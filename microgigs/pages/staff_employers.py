"""Career-center staff: the employer vetting queue; approve, reject with a reason, suspend."""

import reflex as rx

from microgigs.components.forms import row_button_form, select_input
from microgigs.components.layout import page_layout
from microgigs.components.panels import (
    badge,
    callout,
    fact,
    facts,
    inline_error,
    notice,
    row_card,
    rows_or_empty,
    stack,
    when_allowed,
)
from microgigs.components.titles import page_title
from microgigs.state.staff import FILTERS
from microgigs.state.staff import StaffEmployersState as S

NOT_STAFF = "Only career-center staff can vet employers."


def _reason_form(row, action: str, label: str, handler, color: str) -> rx.Component:
    field = f"{action}-reason-{row.organization_id}"
    return rx.form(
        rx.el.input(type="hidden", name="organization_id", value=row.organization_id.to_string()),
        stack(
            rx.el.label(
                f"Reason to {action} ",
                row.name,
                " (the employer reads it)",
                html_for=field,
                class_name="rt-Text rt-r-size-2 rt-r-weight-medium",
            ),
            rx.text_area(id=field, name="reason", rows="2", width="100%", max_length=500, required=True),
            rx.button(
                label,
                type="submit",
                color_scheme=color,
                variant="soft",
                high_contrast=True,
                aria_label=rx.Var.create(f"{label} ") + row.name,
            ),
            spacing="1",
            align="start",
        ),
        on_submit=handler,
        reset_on_submit=False,
        width="100%",
    )


def _approve_form(row, label: str) -> rx.Component:
    return row_button_form(label, S.approve, id_field="organization_id", id_value=row.organization_id.to_string(), row_name=row.name)


def employer_row(row) -> rx.Component:
    key = row.organization_id.to_string()
    return row_card(
        rx.flex(rx.heading(row.name, as_="h2", size="4"), badge(row.status), spacing="3", align="center", wrap="wrap"),
        facts(
            fact("Website", rx.cond(row.website != "", row.website, "none given")),
            fact("Contact", rx.text(row.contact_name, " <", row.contact_email, ">", as_="span")),
            fact("Signed up", row.created_at),
        ),
        rx.cond(
            row.domains_differ,
            callout(
                "triangle-alert",
                "Check this employer: the signer's email domain (",
                row.email_domain,
                ") differs from the website's (",
                rx.cond(row.website_domain != "", row.website_domain, "no website"),
                ").",
                color="amber",
                size="1",
            ),
            rx.text("Email domain matches the website (", row.email_domain, ").", as_="p", size="2"),
        ),
        rx.cond(
            row.contact_unconfirmed,
            rx.text(
                "The contact has not confirmed their email address yet: it cannot be approved until they do.",
                as_="p",
                size="2",
                weight="medium",
            ),
        ),
        rx.cond(row.status_reason != "", fact("Reason given", row.status_reason)),
        inline_error(S.row_errors.get(key, "")),
        rx.cond(
            row.status == "pending",
            stack(_approve_form(row, "Approve"), _reason_form(row, "reject", "Reject", S.reject, "red")),
        ),
        rx.cond(row.status == "approved", _reason_form(row, "suspend", "Suspend", S.suspend, "red")),
        rx.cond((row.status == "rejected") | (row.status == "suspended"), _approve_form(row, "Approve")),
        aria_label=row.name,
    )


def staff_employers() -> rx.Component:
    return page_layout(
        when_allowed(
            S,
            stack(
                notice(S.notice),
                rx.box(
                    select_input(
                        "Show employers",
                        "status_filter",
                        [(f, f.capitalize()) for f in FILTERS],
                        value=S.status_filter,
                        on_change=S.set_status_filter,
                    ),
                    max_width="16rem",
                    width="100%",
                ),
                rows_or_empty(S.rows, employer_row, "No employers here."),
                spacing="4",
            ),
            NOT_STAFF,
            "Loading employers…",
        ),
        heading="Employers to vet",
    )


def register(app: rx.App) -> None:
    app.add_page(staff_employers, route="/staff/employers", title=page_title("Employers"), on_load=S.load_employers)

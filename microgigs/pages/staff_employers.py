"""Career-center staff: the employer vetting queue; approve, reject with a reason, suspend."""

import reflex as rx

from microgigs.components.forms import row_button_form, select_input
from microgigs.components.i18n import t
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


def _reason_form(row, action: str, label: rx.Var, reason_label: rx.Var, handler, color: str) -> rx.Component:
    """A reason box and its button; `reason_label` names the box (it says the employer reads it)."""
    field = f"{action}-reason-{row.organization_id}"
    return rx.form(
        rx.el.input(type="hidden", name="organization_id", value=row.organization_id.to_string()),
        stack(
            rx.el.label(
                reason_label,
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
                aria_label=label + " " + row.name,
            ),
            spacing="1",
            align="start",
        ),
        on_submit=handler,
        reset_on_submit=False,
        width="100%",
    )


def _approve_form(row, label: rx.Var) -> rx.Component:
    return row_button_form(label, S.approve, id_field="organization_id", id_value=row.organization_id.to_string(), row_name=row.name)


def employer_row(row) -> rx.Component:
    key = row.organization_id.to_string()
    return row_card(
        rx.flex(rx.heading(row.name, as_="h2", size="4"), badge(row.status), spacing="3", align="center", wrap="wrap"),
        facts(
            fact(t("Website"), rx.cond(row.website != "", row.website, t("none given"))),
            fact(t("Contact"), rx.text(row.contact_name, " <", row.contact_email, ">", as_="span")),
            fact(t("Signed up"), row.created_at),
        ),
        rx.cond(
            row.domains_differ,
            callout(
                "triangle-alert",
                rx.cond(
                    row.website_domain != "",
                    t(
                        "Check this employer: the signer's email domain ({email_domain}) differs from the website's ({website_domain}).",
                        email_domain=row.email_domain,
                        website_domain=row.website_domain,
                    ),
                    t(
                        "Check this employer: the signer's email domain ({email_domain}) differs from the website's (no website).",
                        email_domain=row.email_domain,
                    ),
                ),
                color="amber",
                size="1",
            ),
            rx.text(t("Email domain matches the website ({email_domain}).", email_domain=row.email_domain), as_="p", size="2"),
        ),
        rx.cond(
            row.contact_unconfirmed,
            rx.text(
                t("The contact has not confirmed their email address yet: it cannot be approved until they do."),
                as_="p",
                size="2",
                weight="medium",
            ),
        ),
        rx.cond(row.status_reason != "", fact(t("Reason given"), row.status_reason)),
        inline_error(S.row_errors.get(key, "")),
        rx.cond(
            row.status == "pending",
            stack(
                _approve_form(row, t("Approve")),
                _reason_form(
                    row, "reject", t("Reject"), t("Reason to reject {name} (the employer reads it)", name=row.name), S.reject, "red"
                ),
            ),
        ),
        rx.cond(
            row.status == "approved",
            _reason_form(
                row, "suspend", t("Suspend"), t("Reason to suspend {name} (the employer reads it)", name=row.name), S.suspend, "red"
            ),
        ),
        rx.cond((row.status == "rejected") | (row.status == "suspended"), _approve_form(row, t("Approve"))),
        aria_label=row.name,
    )


def filter_options() -> list[tuple[str, rx.Var]]:
    """The status filter's choices (the values are FILTERS)."""
    texts = {"pending": t("Pending"), "approved": t("Approved"), "rejected": t("Rejected"), "suspended": t("Suspended"), "all": t("All")}
    return [(f, texts[f]) for f in FILTERS]


def staff_employers() -> rx.Component:
    return page_layout(
        when_allowed(
            S,
            stack(
                notice(S.notice),
                rx.box(
                    select_input(
                        t("Show employers"),
                        "status_filter",
                        filter_options(),
                        value=S.status_filter,
                        on_change=S.set_status_filter,
                    ),
                    max_width="16rem",
                    width="100%",
                ),
                rows_or_empty(S.rows, employer_row, t("No employers here.")),
                spacing="4",
            ),
            t("Only career-center staff can vet employers."),
            t("Loading employers…"),
        ),
        heading=t("Employers to vet"),
    )


def register(app: rx.App) -> None:
    app.add_page(staff_employers, route="/staff/employers", title=page_title("Employers"), on_load=S.load_employers)

"""Staff pages: /staff/gigs (the review queue with rule checks, approve / reject with a
reason) and /staff/terms (the prohibited-content list)."""

import reflex as rx

from microgigs.components.forms import error_id, field_error, field_label, form_alert, success_note
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import quiet_loading, stack, when_allowed
from microgigs.components.titles import page_title
from microgigs.state.moderation import ModerationState as M
from microgigs.state.moderation import TermsState as T


def not_staff() -> rx.Component:
    return rx.card(rx.text(t("Only career-center staff can see this page.")), width="100%")


def check_row(check) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.cond(
                check.passed,
                rx.badge(rx.icon("check", size=14, aria_hidden="true"), t("Passed"), color_scheme="green", high_contrast=True),
                rx.badge(rx.icon("x", size=14, aria_hidden="true"), t("Failed"), color_scheme="red"),
            ),
            rx.text(rx.text(check.rule, weight="bold", as_="span"), ": ", check.detail, size="2"),
            spacing="2",
            align="start",
        ),
        style={"list_style": "none", "margin_bottom": "0.25rem"},
    )


def _trust_button(item, text: rx.Var, label: rx.Var, trust: bool) -> rx.Component:
    """`text` on the button; `label` names it with the employer."""
    return rx.button(
        text,
        aria_label=label,
        variant="soft",
        type="button",
        on_click=M.set_trusted(item.organization_id, trust),
    )


def queue_item(item) -> rx.Component:
    reason_id = "reason-" + item.gig_id.to(str)
    reason_error = M.reason_errors.get(item.gig_id.to(str), "")
    return rx.card(
        rx.el.article(
            stack(
                rx.heading(rx.link(item.title, href="/gigs/" + item.gig_id.to(str)), as_="h2", size="4"),
                rx.flex(
                    rx.text(item.employer, size="2", weight="medium"),
                    rx.cond(
                        item.trusted,
                        rx.badge(t("Trusted employer"), color_scheme="green", high_contrast=True),
                        rx.badge(t("Not trusted"), color_scheme="gray"),
                    ),
                    spacing="2",
                    wrap="wrap",
                ),
                rx.text(item.summary, size="2"),
                rx.text(
                    t(
                        "{pay} for about {hours} hours · apply by {deadline} · due {due}",
                        pay=item.pay,
                        hours=item.estimated_hours,
                        deadline=item.application_deadline,
                        due=item.due_date,
                    ),
                    size="2",
                ),
                rx.heading(t("Rule checks"), as_="h3", size="3"),
                rx.el.ul(rx.foreach(item.checks, check_row), style={"padding": "0", "margin": "0"}),
                rx.flex(
                    rx.button(
                        t("Approve"),
                        aria_label=t("Approve {title}", title=item.title),
                        on_click=M.approve(item.gig_id),
                        color_scheme="green",
                        high_contrast=True,
                        type="button",
                    ),
                    rx.cond(
                        item.trusted,
                        _trust_button(item, t("Stop trusting employer"), t("Stop trusting {employer}", employer=item.employer), False),
                        _trust_button(item, t("Trust employer"), t("Trust {employer}", employer=item.employer), True),
                    ),
                    spacing="3",
                    wrap="wrap",
                ),
                rx.form(
                    stack(
                        rx.el.input(type="hidden", name="gig_id", value=item.gig_id.to(str)),
                        rx.text(
                            rx.el.label(t("Reason for rejecting {title}", title=item.title), html_for=reason_id),
                            as_="div",
                            size="2",
                            weight="medium",
                        ),
                        rx.text_area(
                            id=reason_id, name="reason", rows="2", width="100%", aria_describedby=reason_id + "-error", max_length=500
                        ),
                        rx.text(reason_error, id=reason_id + "-error", as_="p", size="2", color_scheme="red", weight="medium"),
                        rx.button(
                            t("Reject"), aria_label=t("Reject {title}", title=item.title), color_scheme="red", variant="soft", type="submit"
                        ),
                        spacing="1",
                        align="start",
                    ),
                    on_submit=M.reject,
                    reset_on_submit=False,
                    width="100%",
                ),
                spacing="2",
                align="start",
            )
        ),
        as_child=True,
        width="100%",
    )


def queue_page() -> rx.Component:
    return page_layout(
        when_allowed(
            M,
            stack(
                rx.flex(
                    rx.text(M.queue_text, role="status", size="3"),
                    rx.link(t("Edit the prohibited-content list"), href="/staff/terms", size="2"),
                    justify="between",
                    wrap="wrap",
                    spacing="3",
                    width="100%",
                ),
                rx.cond(M.notice != "", success_note(M.notice)),
                form_alert(M.form_error),
                rx.foreach(M.items, queue_item),
            ),
            not_staff(),
            quiet_loading(),
        ),
        heading=t("Gigs waiting for review"),
    )


def term_row(term) -> rx.Component:
    return rx.table.row(
        rx.table.cell(term.term),
        rx.table.cell(
            rx.button(
                t("Remove"),
                aria_label=t("Remove {term}", term=term.term),
                variant="soft",
                color_scheme="red",
                size="1",
                type="button",
                on_click=T.remove_term(term.id),
            )
        ),
    )


def terms_page() -> rx.Component:
    return page_layout(
        when_allowed(
            T,
            stack(
                rx.text(
                    t(
                        "Gigs that use any of these words or phrases (whole words, any case) are refused when posted or edited, "
                        "and flagged in the review queue."
                    ),
                    size="2",
                    color_scheme="gray",
                ),
                rx.cond(T.notice != "", success_note(T.notice)),
                rx.form(
                    rx.flex(
                        rx.box(
                            field_label(t("Word or phrase"), "term"),
                            rx.input(
                                id="field-term",
                                name="term",
                                size="3",
                                width="100%",
                                max_length=60,
                                aria_describedby=error_id("term"),
                                aria_invalid=rx.cond(T.term_error != "", "true", "false"),
                            ),
                            field_error("term", T.term_error),
                            flex="1 1 14rem",
                        ),
                        rx.button(t("Add term"), type="submit", size="3"),
                        spacing="3",
                        align="start",
                        wrap="wrap",
                        width="100%",
                    ),
                    key=T.form_key.to(str),
                    on_submit=T.add_term,
                    aria_label=t("Add a prohibited term"),
                    width="100%",
                ),
                rx.cond(
                    T.terms.length() > 0,
                    rx.table.root(
                        rx.table.header(rx.table.row(rx.table.column_header_cell(t("Term")), rx.table.column_header_cell(t("Action")))),
                        rx.table.body(rx.foreach(T.terms, term_row)),
                        width="100%",
                    ),
                    rx.text(t("The list is empty."), size="2"),
                ),
                rx.link(t("Back to the review queue"), href="/staff/gigs", size="2"),
            ),
            not_staff(),
            quiet_loading(),
        ),
        heading=t("Prohibited content"),
    )


def register(app: rx.App) -> None:
    app.add_page(queue_page, route="/staff/gigs", title=page_title("Review gigs"), on_load=M.load_queue)
    app.add_page(terms_page, route="/staff/terms", title=page_title("Prohibited content"), on_load=T.load_terms)

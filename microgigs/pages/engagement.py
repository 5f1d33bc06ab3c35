"""The engagement workspace: what was agreed, what was handed in, and the next step."""

import reflex as rx

from microgigs.components.forms import field_error, field_hint, field_id, field_label, form_alert
from microgigs.components.layout import page_layout
from microgigs.components.panels import (
    PRE_WRAP,
    badge,
    demo_payments_badge,
    empty_note,
    fact,
    not_found_card,
    notice,
    row_card,
    section,
)
from microgigs.components.upload_field import named_upload, rejection_summaries
from microgigs.components.url_object import for_this_url, text_for_this_url
from microgigs.services.engagements import max_file_bytes, size_text
from microgigs.state.engagement import ACCEPTED_FILES, ACCEPTED_TEXT, MAX_NOTE, NOT_FOUND, ROUTE, UPLOAD_ID
from microgigs.state.engagement import EngagementState as S

V = S.view


def _heading() -> rx.Var:
    return text_for_this_url(S, rx.cond(S.found, V.gig_title, "Engagement not found"), "Loading workspace…")


def _item(label: str, value) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label, min_width="9rem"), rx.data_list.value(value))


def summary() -> rx.Component:
    return rx.card(
        rx.data_list.root(
            _item("Status", badge(V.status)),
            _item("Employer", V.employer),
            _item("Student", V.student_name),
            _item(
                "Pay",
                rx.flex(rx.text(V.pay, weight="bold"), demo_payments_badge(V.payment_label), spacing="2", align="center", wrap="wrap"),
            ),
            _item("Platform fee", V.fee),
            _item("Due", V.due_date),
            _item("Revision rounds", S.rounds_text),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            size="2",
        ),
        width="100%",
    )


def paid_callout() -> rx.Component:
    return rx.cond(
        V.status == "paid",
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-check", aria_hidden="true")),
            rx.callout.text(S.paid_text),
            color_scheme="green",
            high_contrast=True,
            role="status",
            width="100%",
        ),
    )


def payment_callout() -> rx.Component:
    """While the work waits on money: funding, or an approved payout on its way."""
    return rx.cond(
        V.payment_note != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("info", aria_hidden="true")),
            rx.callout.text(V.payment_note),
            high_contrast=True,
            role="status",
            width="100%",
        ),
    )


def scope() -> rx.Component:
    return section(
        "Agreed scope",
        rx.text("Locked when the student was accepted.", size="2", color="var(--gray-11)"),
        # Plain text with its line breaks; never parsed as HTML or Markdown.
        rx.card(rx.text(V.scope, size="2", style=PRE_WRAP), width="100%", variant="surface"),
    )


# --- the student's form ----------------------------------------------------------


def _note_field() -> rx.Component:
    error = S.submit_errors.get("note", "")
    return rx.vstack(
        field_label("What you are handing in", "note"),
        field_hint("note", "Say what is done, how to use it, and anything the manager should check."),
        rx.text_area(
            id=field_id("note"),
            name="note",
            rows="5",
            size="3",
            resize="vertical",
            max_length=MAX_NOTE,
            width="100%",
            aria_describedby=f"{field_id('note')}-hint {field_id('note')}-error",
            aria_invalid=rx.cond(error != "", "true", "false"),
        ),
        field_error("note", error),
        spacing="1",
        width="100%",
    )


def _link_field() -> rx.Component:
    error = S.submit_errors.get("link", "")
    return rx.vstack(
        field_label("Link to the deliverable", "link", optional=True),
        field_hint("link", "A full web address, e.g. a shared folder or a repository."),
        rx.input(
            id=field_id("link"),
            name="link",
            type="url",
            placeholder="https://",
            size="3",
            max_length=500,
            width="100%",
            aria_describedby=f"{field_id('link')}-hint {field_id('link')}-error",
            aria_invalid=rx.cond(error != "", "true", "false"),
        ),
        field_error("link", error),
        spacing="1",
        width="100%",
    )


def _files_field() -> rx.Component:
    error = S.submit_errors.get("files", "")
    return rx.vstack(
        rx.text(
            "Files", rx.text(" (optional)", as_="span", weight="regular", color="var(--gray-11)"), as_="div", size="2", weight="medium"
        ),
        field_hint("files", f"{ACCEPTED_TEXT}; up to 10 files, {size_text(max_file_bytes())} each."),
        named_upload(
            rx.flex(
                rx.button(
                    rx.icon("paperclip", aria_hidden="true", size=16),
                    "Choose files",
                    type="button",
                    variant="soft",
                    size="2",
                    aria_describedby="field-files-hint field-files-error",
                ),
                rx.text("or drop them here", size="2", color="var(--gray-11)"),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            input_label="Files",
            id=UPLOAD_ID,
            accept=ACCEPTED_FILES,
            max_files=10,
            # The browser refuses a file over the limit as soon as it is chosen (nothing is sent);
            # files_rejected puts the reason under the field.
            max_size=max_file_bytes(),
            multiple=True,
            no_keyboard=True,  # the button inside is the keyboard control; no second tab stop
            on_drop_rejected=lambda rejected: S.files_rejected(rejection_summaries(rejected)),
            border="1px dashed var(--gray-a8)",
            border_radius="var(--radius-3)",
            padding="0.75rem",
            width="100%",
        ),
        rx.cond(
            rx.selected_files(UPLOAD_ID).length() > 0,
            rx.vstack(
                rx.text("Selected:", size="2", weight="medium"),
                rx.el.ul(
                    rx.foreach(rx.selected_files(UPLOAD_ID), lambda name: rx.el.li(rx.text(name, size="2"))),
                    style={"margin": "0", "padding_left": "1.25rem"},
                ),
                rx.button(
                    "Clear selected files",
                    type="button",
                    variant="soft",
                    color_scheme="gray",
                    size="1",
                    on_click=rx.clear_selected_files(UPLOAD_ID),
                ),
                spacing="1",
                align="start",
                width="100%",
            ),
        ),
        field_error("files", error, live=True),
        spacing="1",
        width="100%",
        # The form is drawn anew after each submitted version (its key changes): the files it sent
        # leave the picker. Done here, by the page: sent back by the server, the clearing would be
        # a string for the browser to eval, which the Content-Security-Policy refuses.
        on_mount=rx.clear_selected_files(UPLOAD_ID),
    )


def submit_form() -> rx.Component:
    return section(
        "Submit deliverable",
        rx.cond(
            V.status == "changes_requested",
            rx.text("The manager asked for changes: see their comment under Submissions, then send a new version.", size="2"),
        ),
        rx.form(
            rx.vstack(
                form_alert(S.submit_errors.get("form", "")),
                _note_field(),
                _link_field(),
                _files_field(),
                rx.button("Submit", type="submit", size="3"),
                spacing="4",
                width="100%",
                align="start",
            ),
            on_submit=lambda form_data: S.submit_deliverable(rx.upload_files(upload_id=UPLOAD_ID), form_data),
            key=S.form_key,
            # Our messages, next to each field, instead of the browser's bubbles.
            no_validate=True,
            aria_label="Submit deliverable",
            width="100%",
        ),
    )


# --- the manager's review ----------------------------------------------------------


def review() -> rx.Component:
    comment_error = S.review_errors.get("comment", "")
    return section(
        rx.text("Review version ", S.latest_version, as_="span"),
        form_alert(S.review_errors.get("form", "")),
        rx.text(
            "Approving pays ",
            V.pay,
            " to ",
            V.student_name,
            ".",
            rx.cond(V.payment_label != "", rx.text(" (", V.payment_label, ")", as_="span")),
            size="2",
        ),
        rx.button(
            rx.icon("check", aria_hidden="true", size=16),
            "Approve and pay",
            on_click=S.approve(S.latest_version),
            color_scheme="green",
            high_contrast=True,
            size="3",
        ),
        rx.separator(size="4"),
        rx.cond(
            S.revisions_left,
            rx.form(
                rx.vstack(
                    field_label("What should change", "comment"),
                    field_hint("comment", "Be specific: the student gets one revision round per request."),
                    rx.text_area(
                        id=field_id("comment"),
                        name="comment",
                        rows="4",
                        size="3",
                        resize="vertical",
                        max_length=5000,
                        width="100%",
                        aria_describedby=f"{field_id('comment')}-hint {field_id('comment')}-error",
                        aria_invalid=rx.cond(comment_error != "", "true", "false"),
                    ),
                    field_error("comment", comment_error),
                    rx.button("Request changes", type="submit", variant="outline", size="3"),
                    spacing="2",
                    width="100%",
                    align="start",
                ),
                on_submit=lambda form_data: S.request_changes(S.latest_version, form_data),
                key=S.review_key,
                no_validate=True,
                aria_label="Request changes",
                width="100%",
            ),
            rx.text("All revision rounds are used: approve this version or agree a new scope with the student.", size="2"),
        ),
    )


# --- history ------------------------------------------------------------------------


def _decision(sub) -> rx.Component:
    return rx.match(
        sub.decision,
        ("approved", rx.badge("Approved", color_scheme="green", variant="soft", high_contrast=True)),
        ("changes_requested", rx.badge("Changes requested", color_scheme="orange", variant="soft", high_contrast=True)),
        rx.badge("Waiting for review", color_scheme="blue", variant="soft", high_contrast=True),
    )


def _file_link(f) -> rx.Component:
    # as_child=False: a plain <a>, so the browser fetches our /files route instead of client routing.
    return rx.el.li(
        rx.link(f.name, href="/files/" + f.id.to_string(), as_child=False, size="2", download=f.name),
        rx.text(" (", f.size, ")", as_="span", size="2", color="var(--gray-11)"),
    )


def submission_card(sub) -> rx.Component:
    return row_card(
        rx.flex(
            rx.heading("Version ", sub.version, as_="h3", size="3"),
            _decision(sub),
            justify="between",
            align="center",
            spacing="2",
            wrap="wrap",
            width="100%",
        ),
        rx.text("Submitted ", sub.submitted_at, size="2", color="var(--gray-11)"),
        rx.text(sub.note, size="2", style=PRE_WRAP),
        rx.cond(
            sub.link != "",
            fact("Link", rx.link(sub.link, href=sub.link, is_external=True, rel="noopener noreferrer nofollow", style=PRE_WRAP)),
        ),
        rx.cond(
            sub.files.length() > 0,
            rx.box(
                rx.text("Files", size="2", weight="medium"),
                rx.el.ul(rx.foreach(sub.files, _file_link), style={"margin": "0", "padding_left": "1.25rem"}),
                width="100%",
            ),
        ),
        rx.cond(
            sub.decision_comment != "",
            rx.callout.root(
                rx.callout.text(
                    rx.text("Manager's comment: ", as_="span", weight="bold"), rx.text(sub.decision_comment, as_="span", style=PRE_WRAP)
                ),
                color_scheme="orange",
                high_contrast=True,
                size="1",
                width="100%",
            ),
        ),
    )


def history() -> rx.Component:
    return section(
        "Submissions",
        rx.cond(
            V.submissions.length() > 0,
            rx.vstack(rx.foreach(V.submissions, submission_card), spacing="3", width="100%"),
            empty_note(rx.cond(V.viewer_is_student, "Nothing submitted yet.", "The student has not submitted anything yet.")),
        ),
    )


# --- the message thread -------------------------------------------------------------


def _message(m) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.flex(
                rx.text(m.author, weight="bold", size="2"),
                rx.text(m.sent_at, size="1", color="var(--gray-11)"),
                spacing="2",
                align="baseline",
                wrap="wrap",
            ),
            rx.text(m.body, size="2", style=PRE_WRAP),
            variant=rx.cond(m.mine, "surface", "classic"),
            width="100%",
        ),
        style={"list_style": "none"},
    )


def messages() -> rx.Component:
    error = S.message_errors.get("body", "")
    return section(
        "Messages",
        rx.cond(
            V.messages.length() > 0,
            rx.el.ul(
                rx.foreach(V.messages, _message),
                aria_label="Messages",
                style={"margin": "0", "padding": "0", "display": "flex", "flex_direction": "column", "gap": "0.5rem", "width": "100%"},
            ),
            empty_note("No messages yet."),
        ),
        rx.cond(
            V.status != "cancelled",
            rx.form(
                rx.vstack(
                    form_alert(S.message_errors.get("form", "")),
                    field_label("Your message", "body"),
                    rx.text_area(
                        id=field_id("body"),
                        name="body",
                        rows="3",
                        size="2",
                        resize="vertical",
                        max_length=2000,
                        width="100%",
                        aria_describedby=f"{field_id('body')}-error",
                        aria_invalid=rx.cond(error != "", "true", "false"),
                    ),
                    field_error("body", error),
                    rx.button("Send message", type="submit", size="2"),
                    spacing="2",
                    width="100%",
                    align="start",
                ),
                on_submit=S.post_message,
                key=S.message_key,
                no_validate=True,
                aria_label="Send a message",
                width="100%",
            ),
        ),
    )


# --- due date extensions and cancellation ------------------------------------------------


def _extension(x) -> rx.Component:
    who = rx.cond(x.requested_by == "student", "The student", "The employer")
    return rx.el.li(
        row_card(
            rx.flex(
                rx.text(who, " asked to move the due date from ", x.old_due_date, " to ", x.new_due_date, size="2", weight="medium"),
                rx.match(
                    x.status,
                    ("accepted", rx.badge("Accepted", color_scheme="green", variant="soft", high_contrast=True)),
                    ("declined", rx.badge("Declined", color_scheme="gray", variant="soft", high_contrast=True)),
                    rx.badge("Waiting for an answer", color_scheme="blue", variant="soft", high_contrast=True),
                ),
                justify="between",
                align="center",
                spacing="2",
                wrap="wrap",
                width="100%",
            ),
            rx.text(x.reason, size="2", style=PRE_WRAP),
            rx.text("Asked ", x.asked_at, size="1", color="var(--gray-11)"),
            rx.cond(
                x.viewer_may_answer,
                rx.flex(
                    rx.button(
                        "Accept new due date", size="2", on_click=S.answer_extension(x.id, True), color_scheme="green", high_contrast=True
                    ),
                    rx.button("Decline new due date", size="2", variant="outline", on_click=S.answer_extension(x.id, False)),
                    spacing="2",
                    wrap="wrap",
                ),
            ),
        ),
        style={"list_style": "none"},
    )


def extensions() -> rx.Component:
    date_error = S.extension_errors.get("new_due_date", "")
    reason_error = S.extension_errors.get("reason", "")
    return section(
        "Due date",
        rx.text("Currently due ", V.due_date, ".", size="2"),
        form_alert(S.extension_errors.get("form", "")),
        rx.cond(
            V.extensions.length() > 0,
            rx.el.ul(
                rx.foreach(V.extensions, _extension),
                aria_label="Due date requests",
                style={"margin": "0", "padding": "0", "display": "flex", "flex_direction": "column", "gap": "0.5rem", "width": "100%"},
            ),
        ),
        rx.cond(
            S.can_request_extension,
            rx.form(
                rx.vstack(
                    field_label("Proposed new due date", "new_due_date"),
                    rx.input(
                        id=field_id("new_due_date"),
                        name="new_due_date",
                        type="date",
                        size="2",
                        aria_describedby=f"{field_id('new_due_date')}-error",
                        aria_invalid=rx.cond(date_error != "", "true", "false"),
                    ),
                    field_error("new_due_date", date_error),
                    field_label("Why it should move", "reason"),
                    rx.text_area(
                        id=field_id("reason"),
                        name="reason",
                        rows="2",
                        size="2",
                        max_length=500,
                        width="100%",
                        aria_describedby=f"{field_id('reason')}-error",
                        aria_invalid=rx.cond(reason_error != "", "true", "false"),
                    ),
                    field_error("reason", reason_error),
                    rx.button("Propose new due date", type="submit", variant="outline", size="2"),
                    spacing="2",
                    width="100%",
                    align="start",
                ),
                on_submit=S.request_extension,
                key=S.extension_key,
                no_validate=True,
                aria_label="Propose a new due date",
                width="100%",
            ),
        ),
    )


def cancel_box() -> rx.Component:
    error = S.cancel_errors.get("reason", "")
    return section(
        "Cancel this engagement",
        rx.text(
            "Before anything is submitted the full amount is refunded. Once work has been submitted the student keeps the kill fee.",
            size="2",
        ),
        form_alert(S.cancel_errors.get("form", "")),
        rx.form(
            rx.vstack(
                field_label("Reason for the student", "cancel_reason", optional=True),
                rx.text_area(
                    id=field_id("cancel_reason"),
                    name="reason",
                    rows="2",
                    size="2",
                    max_length=500,
                    width="100%",
                    aria_describedby=f"{field_id('cancel_reason')}-error",
                ),
                field_error("cancel_reason", error),
                rx.alert_dialog.root(
                    rx.alert_dialog.trigger(rx.button("Cancel engagement", type="button", color_scheme="red", variant="outline", size="2")),
                    rx.alert_dialog.content(
                        rx.alert_dialog.title("Cancel this engagement?"),
                        rx.alert_dialog.description("The student is told at once. This can't be undone.", size="2"),
                        rx.flex(
                            rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray", type="button")),
                            rx.alert_dialog.action(
                                rx.button(
                                    "Yes, cancel it", color_scheme="red", high_contrast=True, type="submit", form="cancel-engagement-form"
                                )
                            ),
                            spacing="3",
                            justify="end",
                            margin_top="1rem",
                        ),
                    ),
                ),
                spacing="2",
                width="100%",
                align="start",
            ),
            id="cancel-engagement-form",
            on_submit=S.cancel_engagement,
            no_validate=True,
            aria_label="Cancel this engagement",
            width="100%",
        ),
    )


# --- after the gig: try before you hire, public deliverables ---------------------------------


def _callout(text, icon: str = "info") -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon(icon, aria_hidden="true")),
        rx.callout.text(text),
        color_scheme="blue",
        high_contrast=True,
        width="100%",
    )


def hiring_box() -> rx.Component:
    """The manager marks "invited to interview", then "offer made"; the student sees both."""
    invited, offered = V.interview_invited_on != "", V.offer_made_on != ""
    return section(
        "Try before you hire",
        rx.cond(offered, _callout(rx.text(V.employer, " made an offer on ", V.offer_made_on, ".", as_="span"), "circle-check")),
        rx.cond(
            invited,
            _callout(rx.text(V.employer, " invited ", V.student_name, " to interview on ", V.interview_invited_on, ".", as_="span")),
        ),
        rx.cond(
            V.viewer_manages,
            rx.cond(
                ~invited,
                rx.vstack(
                    rx.text("Liked working with ", V.student_name, "? Invite them to interview; they are told at once.", size="2"),
                    rx.button("Invite to interview", on_click=S.invite_to_interview, size="2"),
                    spacing="2",
                    align="start",
                ),
                rx.cond(~offered, rx.button("Record offer made", on_click=S.record_offer, size="2", variant="outline")),
            ),
            rx.cond(
                ~invited, rx.text("If the employer invites you to interview, you will see it here and in your notifications.", size="2")
            ),
        ),
    )


def evidence_box() -> rx.Component:
    """Both keys to showing the approved deliverables publicly, and the viewer's own key."""
    employer_says = rx.cond(V.evidence_employer_allows, "allows showing them", "has not allowed showing them")
    student_says = rx.cond(V.evidence_student_shows, "chose to show them", "keeps them hidden")
    return section(
        "Public deliverables",
        rx.text(
            "The approved version is shown on the credential's evidence page and the student's portfolio only when "
            "the employer allows it and the student chooses to show it.",
            size="2",
        ),
        rx.text("The employer ", employer_says, "; the student ", student_says, ".", size="2", weight="medium"),
        rx.cond(
            S.evidence_public,
            rx.text("The deliverables are public.", size="2"),
            rx.text("The deliverables are private.", size="2"),
        ),
        rx.cond(
            V.viewer_manages,
            rx.cond(
                V.evidence_employer_allows,
                rx.button("Stop showing the deliverables publicly", on_click=S.allow_public_evidence(False), size="2", variant="outline"),
                rx.button("Allow showing the deliverables publicly", on_click=S.allow_public_evidence(True), size="2"),
            ),
        ),
        rx.cond(
            V.viewer_is_student,
            rx.cond(
                V.evidence_student_shows,
                rx.button("Hide my deliverables from the public", on_click=S.show_public_evidence(False), size="2", variant="outline"),
                rx.button("Show my deliverables publicly", on_click=S.show_public_evidence(True), size="2"),
            ),
        ),
    )


def after_the_gig() -> rx.Component:
    return rx.vstack(
        form_alert(S.after_error),
        hiring_box(),
        evidence_box(),
        spacing="5",
        width="100%",
    )


# --- check-in milestones ----------------------------------------------------------------


def _milestone_status(m) -> rx.Component:
    return rx.match(
        m.status,
        ("done", rx.badge("Done", color_scheme="green", variant="soft", high_contrast=True)),
        ("not_done", rx.badge("Not done yet", color_scheme="orange", variant="soft", high_contrast=True)),
        rx.cond(
            m.overdue,
            rx.badge("No check-in, date passed", color_scheme="red", variant="soft", high_contrast=True),
            rx.badge("No check-in yet", color_scheme="gray", variant="soft", high_contrast=True),
        ),
    )


def _radio(m, value: str, text: str) -> rx.Component:
    control_id = "checkin-" + m.id.to_string() + "-" + value
    return rx.flex(
        rx.el.input(
            type="radio",
            name="done",
            value=value,
            id=control_id,
            default_checked=(m.status == "done") if value == "yes" else (m.status == "not_done"),
        ),
        rx.el.label(text, html_for=control_id),
        spacing="2",
        align="center",
    )


def _check_in_form(m) -> rx.Component:
    key = m.id.to_string()
    error = S.checkin_errors.get(key, "")
    note_id = "checkin-" + key + "-note"
    error_id = "checkin-" + key + "-error"
    return rx.form(
        rx.vstack(
            rx.el.fieldset(
                rx.el.legend(rx.text("Where it stands", size="2", weight="medium")),
                rx.flex(_radio(m, "yes", "Done"), _radio(m, "no", "Not done yet"), spacing="4", wrap="wrap"),
                style={"border": "none", "margin": "0", "padding": "0"},
            ),
            rx.text(rx.el.label("Check-in note", html_for=note_id), as_="div", size="2", weight="medium"),
            rx.text_area(
                id=note_id,
                name="note",
                rows="2",
                size="2",
                max_length=500,
                width="100%",
                default_value=m.note,
                placeholder="Required when it is not done yet: what is holding it up?",
                aria_describedby=error_id,
                aria_invalid=rx.cond(error != "", "true", "false"),
            ),
            rx.text(error, id=error_id, as_="p", size="2", color_scheme="red", weight="medium", class_name="field-error"),
            # The form's submit handler is hoisted out of the list, so the id rides in the form.
            rx.el.input(type="hidden", name="milestone_id", value=key),
            rx.button("Check in", type="submit", variant="outline", size="2"),
            spacing="2",
            width="100%",
            align="start",
        ),
        on_submit=S.check_in,
        key=S.checkin_key.to_string() + "-" + key,
        no_validate=True,
        aria_label="Check in on " + m.title,
        width="100%",
    )


def _milestone(m) -> rx.Component:
    return rx.el.li(
        row_card(
            rx.flex(
                rx.heading(m.title, as_="h3", size="3"),
                _milestone_status(m),
                justify="between",
                align="center",
                spacing="2",
                wrap="wrap",
                width="100%",
            ),
            rx.text("By ", m.due_date, size="2", color="var(--gray-11)"),
            rx.cond(
                m.checked_in_at != "",
                rx.text(
                    rx.text("Checked in ", m.checked_in_at, as_="span", color="var(--gray-11)"),
                    rx.cond(m.note != "", rx.text(": ", m.note, as_="span", style=PRE_WRAP)),
                    size="2",
                ),
            ),
            rx.cond(S.can_check_in, _check_in_form(m)),
            aria_label=m.title,
        ),
        style={"list_style": "none"},
    )


def _add_milestone_form() -> rx.Component:
    title_error = S.milestone_errors.get("milestone_title", "")
    date_error = S.milestone_errors.get("milestone_due_date", "")
    return rx.form(
        rx.vstack(
            form_alert(S.milestone_errors.get("form", "")),
            field_label("Milestone", "milestone_title"),
            field_hint("milestone_title", 'What should be done by then, e.g. "Data cleaned".'),
            rx.input(
                id=field_id("milestone_title"),
                name="milestone_title",
                size="2",
                max_length=120,
                width="100%",
                aria_describedby=f"{field_id('milestone_title')}-hint {field_id('milestone_title')}-error",
                aria_invalid=rx.cond(title_error != "", "true", "false"),
            ),
            field_error("milestone_title", title_error),
            field_label("Check-in date", "milestone_due_date"),
            rx.input(
                id=field_id("milestone_due_date"),
                name="milestone_due_date",
                type="date",
                size="2",
                aria_describedby=f"{field_id('milestone_due_date')}-error",
                aria_invalid=rx.cond(date_error != "", "true", "false"),
            ),
            field_error("milestone_due_date", date_error),
            rx.button("Add milestone", type="submit", variant="outline", size="2"),
            spacing="2",
            width="100%",
            align="start",
        ),
        on_submit=S.add_milestone,
        key=S.milestone_key,
        no_validate=True,
        aria_label="Add a milestone",
        width="100%",
    )


def milestones_section() -> rx.Component:
    return section(
        "Milestones",
        form_alert(S.checkin_errors.get("form", "")),
        rx.cond(
            V.milestones.length() > 0,
            rx.el.ul(
                rx.foreach(V.milestones, _milestone),
                aria_label="Milestones",
                style={"margin": "0", "padding": "0", "display": "flex", "flex_direction": "column", "gap": "0.5rem", "width": "100%"},
            ),
            empty_note(rx.cond(V.viewer_manages, "No milestones yet: add check-in points below.", "No milestones set.")),
        ),
        rx.cond(S.can_plan_milestones, _add_milestone_form()),
    )


def follow_up() -> rx.Component:
    """Where to go next: reviews once the work has ended, a dispute while it is under way."""
    ended = (V.status == "approved") | (V.status == "paid") | (V.status == "cancelled")
    under_way = (V.status == "active") | (V.status == "submitted") | (V.status == "changes_requested")
    return rx.flex(
        rx.cond(ended, rx.link("Reviews: rate each other", href="/engagements/" + V.id.to_string() + "/review")),
        rx.cond(under_way, rx.link("Something wrong? Open a dispute", href="/engagements/" + V.id.to_string() + "/dispute")),
        spacing="4",
        wrap="wrap",
    )


def body() -> rx.Component:
    return rx.vstack(
        notice(S.notice),
        paid_callout(),
        payment_callout(),
        summary(),
        rx.cond(S.finished, after_the_gig()),
        milestones_section(),
        history(),
        rx.cond(S.can_review, review()),
        rx.cond(S.can_submit, submit_form()),
        messages(),
        extensions(),
        scope(),
        rx.cond(V.viewer_may_cancel, cancel_box()),
        follow_up(),
        rx.link("Back to your dashboard", href="/dashboard", size="2"),
        spacing="5",
        width="100%",
    )


def engagement_page() -> rx.Component:
    return page_layout(
        for_this_url(S, rx.cond(S.found, body(), not_found_card(NOT_FOUND)), "Loading workspace…"),
        heading=_heading(),
    )


def register(app: rx.App) -> None:
    app.add_page(engagement_page, route=ROUTE, title="Engagement · MicroGigs", on_load=S.load_engagement)

"""The student's form: a new version of the deliverable."""

import reflex as rx

from microgigs.components.forms import event_form, field_error, field_hint, form_alert, submit_button, text_input, textarea_input
from microgigs.components.i18n import t
from microgigs.components.panels import section
from microgigs.components.upload_field import named_upload, rejection_summaries
from microgigs.services.engagements import max_file_bytes, size_text
from microgigs.services.statuses import EngagementStatus
from microgigs.state.workspace import ACCEPTED_FILES, MAX_NOTE, UPLOAD_ID, SubmitForm
from microgigs.state.workspace import EngagementState as S

E = SubmitForm.errors


def _selected_files() -> rx.Component:
    """The files chosen so far, and a way to start over."""
    return rx.cond(
        rx.selected_files(UPLOAD_ID).length() > 0,
        rx.vstack(
            rx.text(t("Selected:"), size="2", weight="medium"),
            rx.el.ul(
                rx.foreach(rx.selected_files(UPLOAD_ID), lambda name: rx.el.li(rx.text(name, size="2"))),
                style={"margin": "0", "padding_left": "1.25rem"},
            ),
            rx.button(
                t("Clear selected files"),
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
    )


def _files_field() -> rx.Component:
    return rx.vstack(
        rx.text(
            t("Files"),
            rx.text(" ", t("(optional)"), as_="span", weight="regular", color="var(--gray-11)"),
            as_="div",
            size="2",
            weight="medium",
        ),
        field_hint(
            "files",
            t(
                "PDF, PNG, JPG, GIF, TXT, MD, CSV, JSON, ZIP, DOCX, XLSX or PPTX; up to 10 files, {size} each.",
                size=size_text(max_file_bytes()),
            ),
        ),
        named_upload(
            rx.flex(
                rx.button(
                    rx.icon("paperclip", aria_hidden="true", size=16),
                    t("Choose files"),
                    type="button",
                    variant="soft",
                    size="2",
                    aria_describedby="field-files-hint field-files-error",
                ),
                rx.text(t("or drop them here"), size="2", color="var(--gray-11)"),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            input_label=t("Files"),
            id=UPLOAD_ID,
            accept=ACCEPTED_FILES,
            max_files=10,
            # The browser refuses a file over the limit as soon as it is chosen (nothing is sent);
            # files_rejected puts the reason under the field.
            max_size=max_file_bytes(),
            multiple=True,
            no_keyboard=True,  # the button inside is the keyboard control; no second tab stop
            on_drop_rejected=lambda rejected: SubmitForm.files_rejected(rejection_summaries(rejected)),
            border="1px dashed var(--gray-a8)",
            border_radius="var(--radius-3)",
            padding="0.75rem",
            width="100%",
        ),
        _selected_files(),
        field_error("files", E.get("files", ""), live=True),
        spacing="1",
        width="100%",
        # The form is drawn anew after each submitted version (its key changes): the files it sent
        # leave the picker. Done here, by the page: sent back by the server, the clearing would be
        # a string for the browser to eval, which the Content-Security-Policy refuses.
        on_mount=rx.clear_selected_files(UPLOAD_ID),
    )


def submit_section() -> rx.Component:
    return section(
        t("Submit deliverable"),
        rx.cond(
            S.view.status == EngagementStatus.CHANGES_REQUESTED,
            rx.text(t("The manager asked for changes: see their comment under Submissions, then send a new version."), size="2"),
        ),
        event_form(
            form_alert(E.get("form", "")),
            textarea_input(
                t("What you are handing in"),
                "note",
                error=E.get("note", ""),
                hint=t("Say what is done, how to use it, and anything the manager should check."),
                max_length=MAX_NOTE,
            ),
            text_input(
                t("Link to the deliverable"),
                "link",
                error=E.get("link", ""),
                hint=t("A full web address, e.g. a shared folder or a repository."),
                optional=True,
                type="url",
                placeholder="https://",
                max_length=500,
            ),
            _files_field(),
            submit_button(t("Submit")),
            on_submit=lambda form_data: SubmitForm.submit_deliverable(rx.upload_files(upload_id=UPLOAD_ID), form_data),
            label=t("Submit deliverable"),
            key=SubmitForm.form_key,
            spacing="4",
        ),
    )

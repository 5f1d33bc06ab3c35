"""The student's form: a new version of the deliverable (a note, a link and files)."""

import reflex as rx

from microgigs.i18n import gettext, msg
from microgigs.services import engagements
from microgigs.services.engagements import UploadedFile
from microgigs.services.errors import DomainError
from microgigs.state.session import field_errors
from microgigs.state.upload_refusals import first_refusal
from microgigs.state.workspace.form import WorkspaceForm, form_text
from microgigs.state.workspace.page import EngagementState

UPLOAD_ID = "deliverable-files"
# What the file picker offers; the service enforces the real list and the size limits.
ACCEPTED_FILES = {
    "application/pdf": [".pdf"],
    "image/png": [".png"],
    "image/jpeg": [".jpg", ".jpeg"],
    "image/gif": [".gif"],
    "text/plain": [".txt"],
    "text/markdown": [".md"],
    "text/csv": [".csv"],
    "application/json": [".json"],
    "application/zip": [".zip"],
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": [".pptx"],
}
MAX_NOTE = 5000


async def read_uploads(files: list[rx.UploadFile] | None) -> list[UploadedFile]:
    """Each file's bytes; a file over the size limit is refused before it is read whole: by the
    size the upload recorded while it was spooled to disk, else by reading one byte past the limit."""
    limit = engagements.max_file_bytes()
    uploads = []
    for file in files or []:
        name = file.name or file.filename or "file"
        if file.size is not None and file.size > limit:
            raise engagements.file_too_large(name)
        data = await file.read(limit + 1)
        if len(data) > limit:
            raise engagements.file_too_large(name)
        uploads.append(UploadedFile(name=name, data=data))
    return uploads


class SubmitForm(WorkspaceForm, EngagementState):
    """Errors by field: "note", "link", "files", "form"."""

    @rx.event
    def files_rejected(self, rejected: list):
        """The picker refused a file (type, size or count) before anything was sent."""
        name, codes = first_refusal(rejected)
        if "too-many-files" in codes:
            message = gettext(self.language, "{name} was not added: attach at most 10 files at once.", name=name)
        elif "file-too-large" in codes:
            size = engagements.size_text(engagements.max_file_bytes())
            message = gettext(self.language, "{name} was not added: it is larger than {size}.", name=name, size=size)
        else:
            message = gettext(
                self.language, "{name} was not added: use PDF, PNG, JPG, GIF, TXT, MD, CSV, JSON, ZIP, DOCX, XLSX or PPTX.", name=name
            )
        self.errors = {**self.errors, "files": message}

    @rx.event
    async def submit_deliverable(self, files: list[rx.UploadFile], form_data: dict):
        """The student's new version: note, link and the files the upload carried."""
        self._begin()
        try:
            uploads = await read_uploads(files)
        except DomainError as error:
            self.errors = self._tr_all(field_errors(error))
            return self._reload_page()
        note, link = form_text(form_data, "note"), form_text(form_data, "link")
        # A refusal rolls the whole unit back: no submission row, no stored file.
        acted = self._act(lambda session, actor: engagements.submit_deliverable(session, actor, self._engagement_id(), note, link, uploads))
        # A new form (its key): it clears the picker's selected files as it mounts.
        return self._finish(
            acted,
            lambda submission: msg("Version {version} submitted. The manager has been told.", version=submission.version),
            fresh_form=True,
        )

"""The engagement workspace: the locked scope, the submissions, and the next step for each side.

The student submits deliverables (note, link, files) through an upload handler; a manager
approves (which pays the student) or requests changes. Both decisions carry the version the
page showed, so a stale page gets the service's "a newer version has arrived" message.
"""

import time

import reflex as rx

from microgigs import live, timings
from microgigs.db import session_scope
from microgigs.services import closing, dashboards, engagements, evidence, hiring, milestones
from microgigs.services.dashboards import EngagementView
from microgigs.services.engagements import UploadedFile
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed, parse_id
from microgigs.state.session import SessionState
from microgigs.state.upload_refusals import first_refusal
from microgigs.state.url_ids import id_in_path
from microgigs.state.url_object import ShownForUrl

ROUTE = "/engagements/[engagement_id]"

UPLOAD_ID = "deliverable-files"
NOT_FOUND = "This engagement does not exist, or it is not yours to see."
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
ACCEPTED_TEXT = "PDF, PNG, JPG, GIF, TXT, MD, CSV, JSON, ZIP, DOCX, XLSX or PPTX"
MAX_NOTE = 5000

EMPTY_VIEW = EngagementView(
    id=0,
    gig_id=0,
    gig_title="",
    employer="",
    student_name="",
    status="",
    scope="",
    pay="",
    fee="",
    due_date="",
    payment_label="",
    revision_rounds_used=0,
    max_revision_rounds=0,
    viewer_is_student=False,
    viewer_manages=False,
    submissions=[],
    messages=[],
)


def field_errors(error: DomainError) -> dict[str, str]:
    """A service error as {field: message}; a message about no field goes under "form"."""
    if isinstance(error, ValidationFailed):
        return dict(error.errors)
    return {error.field or "form": error.message}


async def _read_uploads(files: list[rx.UploadFile] | None) -> list[UploadedFile]:
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


def _version(value) -> int | None:
    """The version number a page sent (the one it showed), or None when it is not one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


class EngagementState(ShownForUrl, SessionState):
    loaded: bool = False
    found: bool = False
    view: EngagementView = EMPTY_VIEW
    # The student's form: errors by field ("note", "link", "files", "form").
    submit_errors: dict[str, str] = {}
    # Bumped after a good submission so the form (uncontrolled inputs) starts empty again.
    form_key: int = 0
    # The manager's review: errors by field ("comment", "form").
    review_errors: dict[str, str] = {}
    review_key: int = 0
    # The message thread's form.
    message_errors: dict[str, str] = {}
    message_key: int = 0
    # Due-date extension and cancellation forms.
    extension_errors: dict[str, str] = {}
    extension_key: int = 0
    cancel_errors: dict[str, str] = {}
    # After the gig: try before you hire, and showing the deliverables publicly.
    after_error: str = ""
    # Milestones: the managers' "add" form, and the student's check-in errors by milestone id.
    milestone_errors: dict[str, str] = {}
    milestone_key: int = 0
    checkin_errors: dict[str, str] = {}
    checkin_key: int = 0
    notice: str = ""

    @rx.var
    def latest_version(self) -> int:
        return max((s.version for s in self.view.submissions), default=0)

    @rx.var
    def can_submit(self) -> bool:
        return self.view.viewer_is_student and self.view.status in ("active", "changes_requested")

    @rx.var
    def can_review(self) -> bool:
        return self.view.viewer_manages and self.view.status == "submitted" and self.latest_version > 0

    @rx.var
    def revisions_left(self) -> bool:
        return self.view.revision_rounds_used < self.view.max_revision_rounds

    @rx.var
    def rounds_text(self) -> str:
        return f"{self.view.revision_rounds_used} of {self.view.max_revision_rounds} used"

    @rx.var
    def paid_text(self) -> str:
        label = f" ({self.view.payment_label})" if self.view.payment_label else ""
        return f"Approved — {self.view.pay} paid to {self.view.student_name}{label}"

    @rx.var
    def has_submit_errors(self) -> bool:
        return bool(self.submit_errors)

    def _engagement_id(self) -> int:
        return id_in_path(self.router.url.path, ROUTE)

    def _load(self, session, actor, record_view: bool = False) -> None:
        self.loaded = True
        self._shown_for_this_url()
        try:
            view = dashboards.engagement_view(session, actor, self._engagement_id(), record_view=record_view)
        except DomainError:
            self.found = False
            self.view = EMPTY_VIEW
            return
        self.found = True
        self.view = view

    def _reload(self, record_view: bool = False):
        started = time.monotonic()  # what this reads includes every change committed before now
        with session_scope() as session:
            actor = self._actor(session)
            if actor is None:
                return self._sign_in_redirect()
            self._load(session, actor, record_view)
        if self.found:
            self._subscribe_live(f"engagement:{self.view.id}", read_at=started)
        return None

    def _live_reload(self) -> None:
        """A push from `live`: the other side changed something; read it all again."""
        self._reload()

    @rx.event
    def load_engagement(self):
        """on_load: everything again from the database."""
        self.submit_errors = {}
        self.review_errors = {}
        self.milestone_errors = {}
        self.checkin_errors = {}
        self.notice = ""
        # Opening the workspace is a view of the student (live reloads and actions are not).
        return self._reload(record_view=True)

    @rx.event
    def files_rejected(self, rejected: list):
        """The picker refused a file (type, size or count) before anything was sent."""
        name, codes = first_refusal(rejected)
        if "too-many-files" in codes:
            reason = "attach at most 10 files at once"
        elif "file-too-large" in codes:
            reason = f"it is larger than {engagements.size_text(engagements.max_file_bytes())}"
        else:
            reason = f"use {ACCEPTED_TEXT}"
        self.submit_errors = {**self.submit_errors, "files": f"{name} was not added: {reason}."}

    @rx.event
    async def submit_deliverable(self, files: list[rx.UploadFile], form_data: dict):
        """The student's new version: note, link and the files the upload carried."""
        self.submit_errors = {}
        self.notice = ""
        form_data = form_data or {}
        try:
            uploads = await _read_uploads(files)
            # Caught outside the scope so a refusal rolls back: no submission row, no stored file.
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                submission = engagements.submit_deliverable(
                    session,
                    actor,
                    self._engagement_id(),
                    str(form_data.get("note", "")),
                    str(form_data.get("link", "")),
                    uploads,
                )
            self.notice = f"Version {submission.version} submitted. The manager has been told."
            # A new form (its key): it clears the picker's selected files as it mounts.
            self.form_key += 1
        except DomainError as error:
            self.submit_errors = field_errors(error)
        return self._reload()

    @rx.event
    async def approve(self, version: int):
        """Approve the version the page showed; the service pays the student.

        Once the approval is committed this handler lets the pushes `live` started at the commit
        (the student's open page) reach their sockets before it reloads this page, and signs the
        credential last: neither page waits for what it does not show."""
        self.review_errors = {}
        self.notice = ""
        expected = _version(version)
        if expected is None:
            self.review_errors = {"form": "Reload the page and try again."}
            yield self._reload()
            return
        redirect = None
        live.watch_pushes()
        try:
            with timings.phase("approve.handler_db"), session_scope() as session:
                with timings.phase("approve.actor"):
                    actor = self._actor(session)
                if actor is None:
                    redirect = self._sign_in_redirect()
                else:
                    with timings.phase("approve.service"):
                        engagements.approve(session, actor, self._engagement_id(), expected_version=expected, credential_now=False)
        except DomainError as error:
            self.review_errors = field_errors(error)
        if redirect is not None or self.review_errors:
            live.stop_watching()  # nothing was committed
        if redirect is not None:
            yield redirect
            return
        if not self.review_errors:
            # Committed: the student's push first (awaiting it gives the loop to it; no delta to
            # this page in between, whose redraw would compete with the student's for the CPU).
            with timings.phase("approve.settle"):
                await live.settle(self.router.session.client_token)
        with timings.phase("approve.own_reload"):
            redirect = self._reload()
        yield redirect  # this page's delta (the paid state) goes out here
        if redirect is None and not self.review_errors:
            # Then what neither page shows: the credential (a job completes it if this process
            # stops here).
            try:
                with timings.phase("approve.credential_after"), session_scope() as session:
                    actor = self._signed_in_user(session)  # no header vars: nothing more to send
                    if actor is not None:
                        engagements.issue_credential(session, actor, self._engagement_id())
            except DomainError as error:
                self.review_errors = field_errors(error)

    @rx.event
    def request_changes(self, version: int, form_data: dict):
        """Send the version back with a comment (uses one revision round)."""
        self.review_errors = {}
        self.notice = ""
        form_data = form_data or {}
        expected = _version(version)
        if expected is None:
            self.review_errors = {"form": "Reload the page and try again."}
            return self._reload()
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                engagements.request_changes(
                    session, actor, self._engagement_id(), str(form_data.get("comment", "")), expected_version=expected
                )
            self.notice = "Changes requested. The student has been told."
            self.review_key += 1
        except DomainError as error:
            self.review_errors = field_errors(error)
        return self._reload()

    @rx.event
    def post_message(self, form_data: dict):
        """A message in the thread; the service checks the sender may see this engagement."""
        self.message_errors = {}
        form_data = form_data or {}
        try:
            with timings.phase("message.handler_db"), session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                engagements.post_message(session, actor, self._engagement_id(), str(form_data.get("body", "")))
            self.message_key += 1
        except DomainError as error:
            self.message_errors = field_errors(error)
        with timings.phase("message.own_reload"):
            return self._reload()

    @rx.var
    def can_request_extension(self) -> bool:
        open_work = self.view.status in ("funding", "active", "submitted", "changes_requested")
        pending = any(x.status == "pending" for x in self.view.extensions)
        return open_work and not pending and (self.view.viewer_is_student or self.view.viewer_manages)

    @rx.event
    def request_extension(self, form_data: dict):
        """Propose a new due date; the other side answers."""
        from datetime import date

        self.extension_errors = {}
        self.notice = ""
        form_data = form_data or {}
        try:
            new_date = date.fromisoformat(str(form_data.get("new_due_date", "")).strip())
        except ValueError:
            new_date = None
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                engagements.request_extension(session, actor, self._engagement_id(), new_date, str(form_data.get("reason", "")))
            self.notice = "New due date proposed. The other side has been told."
            self.extension_key += 1
        except DomainError as error:
            self.extension_errors = field_errors(error)
        return self._reload()

    @rx.event
    def answer_extension(self, request_id: int, accept: bool):
        self.extension_errors = {}
        self.notice = ""
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                engagements.answer_extension(session, actor, self._engagement_id(), int(request_id), bool(accept))
            self.notice = "Due date changed." if accept else "Extension declined."
        except (TypeError, ValueError):
            self.extension_errors = {"form": "Reload the page and try again."}
        except DomainError as error:
            self.extension_errors = {"form": error.message}
        return self._reload()

    @rx.event
    def cancel_engagement(self, form_data: dict):
        """The employer stops this engagement (refund, or the kill fee once work has started)."""
        self.cancel_errors = {}
        self.notice = ""
        form_data = form_data or {}
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                closing.cancel_one_engagement(session, actor, self._engagement_id(), str(form_data.get("reason", "")))
            self.notice = "Engagement cancelled. The student has been told."
        except DomainError as error:
            self.cancel_errors = field_errors(error)
        return self._reload()

    # --- after the gig -------------------------------------------------------------------

    @rx.var
    def finished(self) -> bool:
        return self.view.status in ("approved", "paid")

    @rx.var
    def evidence_public(self) -> bool:
        return self.view.evidence_employer_allows and self.view.evidence_student_shows

    def _after_gig(self, action, done: str):
        """Run one after-the-gig service call; its refusal shows above the buttons."""
        self.after_error, self.notice = "", ""
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                action(session, actor, self._engagement_id())
            self.notice = done
        except DomainError as error:
            self.after_error = error.message
        return self._reload()

    @rx.event
    def invite_to_interview(self):
        return self._after_gig(hiring.invite_to_interview, "Invitation to interview recorded. The student has been told.")

    @rx.event
    def record_offer(self):
        return self._after_gig(hiring.record_offer, "Offer recorded. The student has been told.")

    @rx.event
    def allow_public_evidence(self, allow: bool):
        """The manager's key to showing the approved deliverables publicly."""
        allow = allow is True
        done = (
            "You allow the approved deliverables to be shown publicly."
            if allow
            else "The deliverables are no longer allowed to be shown publicly."
        )
        return self._after_gig(lambda s, a, e: evidence.set_employer_permission(s, a, e, allow), done)

    @rx.event
    def show_public_evidence(self, show: bool):
        """The student's key: show the approved deliverables on the portfolio and credential."""
        show = show is True
        done = (
            "Your approved deliverables are shown wherever the employer allows it."
            if show
            else "Your deliverables are hidden from the public."
        )
        return self._after_gig(lambda s, a, e: evidence.set_student_choice(s, a, e, show), done)

    # --- check-in milestones ---------------------------------------------------------

    @rx.var
    def can_plan_milestones(self) -> bool:
        return self.view.viewer_manages and self.view.status in milestones.PLANNABLE

    @rx.var
    def can_check_in(self) -> bool:
        return self.view.viewer_is_student and self.view.status in milestones.CHECKABLE

    @rx.event
    def add_milestone(self, form_data: dict):
        """A manager adds a check-in point (title and date); the student sees it at once.
        The service reads and checks the form's date."""
        self.milestone_errors = {}
        self.notice = ""
        form_data = form_data or {}
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                milestones.add_milestone(
                    session,
                    actor,
                    self._engagement_id(),
                    str(form_data.get("milestone_title", "")),
                    str(form_data.get("milestone_due_date", "")),
                )
            self.notice = "Milestone added. The student has been told."
            self.milestone_key += 1
        except DomainError as error:
            errors = field_errors(error)
            # The form's inputs are named milestone_title / milestone_due_date.
            self.milestone_errors = {{"title": "milestone_title", "due_date": "milestone_due_date"}.get(k, k): v for k, v in errors.items()}
        return self._reload()

    @rx.event
    def check_in(self, form_data: dict):
        """The student's check-in on one milestone (named by the form's hidden milestone_id):
        done or not yet, and a note; the service reads and checks the choice."""
        self.checkin_errors = {}
        self.notice = ""
        form_data = form_data or {}
        key = str(form_data.get("milestone_id", "")).strip()[:20]
        milestone_id = parse_id(key)
        if milestone_id is None:
            self.checkin_errors = {"form": "Reload the page and try again."}
            return self._reload()
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                milestones.check_in(
                    session, actor, self._engagement_id(), milestone_id, str(form_data.get("done", "")), str(form_data.get("note", ""))
                )
            self.notice = "Check-in saved. The manager has been told."
            self.checkin_key += 1
        except DomainError as error:
            self.checkin_errors = {key: error.message}
        return self._reload()

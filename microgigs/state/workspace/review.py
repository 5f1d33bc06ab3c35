"""The manager's review of the waiting version: approve it (which pays the student) or send it
back with a comment. Both carry the version the page showed, so a stale page gets the service's
"a newer version has arrived" message."""

import time

import reflex as rx

from microgigs import live, timings
from microgigs.i18n import msg
from microgigs.services import engagements
from microgigs.state.session import Audience
from microgigs.state.workspace.form import WorkspaceForm, form_text, version_in
from microgigs.state.workspace.page import EngagementState


class ReviewForm(WorkspaceForm, EngagementState):
    """Errors by field: "comment", "form"."""

    def _approve_committed(self, version: int):
        """The approval's unit of work, timed by phase (see `approve`)."""
        with timings.phase("approve.handler_db"):
            wall, cpu = time.perf_counter(), time.thread_time()

            def approve(session, actor):
                # What `_act` did before calling this: open the unit of work, resolve the actor.
                timings.mark("approve.actor", (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000)
                with timings.phase("approve.service"):
                    return engagements.approve(session, actor, self._engagement_id(), expected_version=version, credential_now=False)

            return self._act(approve)

    @rx.event
    async def approve(self, version: int):
        """Approve the version the page showed; the service pays the student.

        Once the approval is committed this handler lets the pushes `live` started at the commit
        (the student's open page) reach their sockets before it reloads this page, and signs the
        credential last: neither page waits for what it does not show."""
        self._begin()
        expected = version_in(version)
        if expected is None:
            yield self._stale()
            return
        live.watch_pushes()
        acted = self._approve_committed(expected)
        if not acted.ok:
            live.stop_watching()  # nothing was committed
        if acted.redirect is not None:
            yield acted.redirect
            return
        if acted.ok:
            # Committed: the student's push first (awaiting it gives the loop to it; no delta to
            # this page in between, whose redraw would compete with the student's for the CPU).
            with timings.phase("approve.settle"):
                await live.settle(self.router.session.client_token)
        else:
            self.errors = self._tr_all(acted.errors)
        with timings.phase("approve.own_reload"):
            redirect = self._reload_page()
        yield redirect  # this page's delta (the paid state) goes out here
        if redirect is None and acted.ok:
            # Then what neither page shows: the credential (a job completes it if this process
            # stops here). Quietly: the header was sent already, nothing more goes to the page.
            with timings.phase("approve.credential_after"):
                signed = self._act(self._issue_credential, Audience.ANYONE, quiet=True)
            if not signed.ok:
                self.errors = self._tr_all(signed.errors)

    def _issue_credential(self, session, actor) -> None:
        if actor is not None:
            engagements.issue_credential(session, actor, self._engagement_id())

    @rx.event
    def request_changes(self, version: int, form_data: dict):
        """Send the version back with a comment (uses one revision round)."""
        self._begin()
        expected = version_in(version)
        if expected is None:
            return self._stale()
        comment = form_text(form_data, "comment")
        acted = self._act(
            lambda session, actor: engagements.request_changes(session, actor, self._engagement_id(), comment, expected_version=expected)
        )
        return self._finish(acted, msg("Changes requested. The student has been told."), fresh_form=True)

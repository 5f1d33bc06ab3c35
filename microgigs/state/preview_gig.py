"""Preview a draft before posting it: the gig as the board and its page will show it.

The gig's own page state loads it (a manager may see their draft); this state only adds
the one action, posting it, which the service checks again (manager, approved employer,
every field still valid: a draft's dates may have passed since it was saved)."""

import reflex as rx

from microgigs.i18n import gettext
from microgigs.services import gigs
from microgigs.services.gigs.cards import localize
from microgigs.services.statuses import GigStatus
from microgigs.state.gig_detail import GigDetailState
from microgigs.state.url_ids import id_in_path

ROUTE = "/gigs/[gig_id]/preview"


class PreviewGigState(GigDetailState):
    post_error: str = ""
    # Field messages when the draft is no longer valid (shown with a link to edit it).
    post_problems: list[str] = []
    posted_status: str = ""

    def _gig_id(self) -> int:
        return id_in_path(self.router.url.path, ROUTE)

    @rx.var
    def edit_href(self) -> str:
        return f"/gigs/{self.card.id}/edit"

    @rx.var
    def gig_href(self) -> str:
        return f"/gigs/{self.card.id}"

    @rx.var
    def can_post(self) -> bool:
        return self.viewer_manages and self.card.status == GigStatus.DRAFT and self.posted_status == ""

    @rx.event
    def load_preview(self):
        self.post_error = ""
        self.post_problems = []
        self.posted_status = ""
        gig_id = self._gig_id()
        self._reset_form()
        if self.loaded and self.card.id != gig_id:
            self.loaded = False  # do not show another gig meanwhile
            yield
        self._load_detail(gig_id)
        if self.found and not self.viewer_manages:
            # Only the gig's managers preview it; anyone else has its ordinary page.
            self.found = False
            self.not_found_message = gettext(self.language, "Only the gig's own managers can preview it.")

    @rx.event
    def post_draft(self):
        """Submit the previewed draft: open at once for a trusted employer, otherwise to review."""
        self.post_error = ""
        self.post_problems = []
        gig_id = self._gig_id()  # from the URL again, never from the client
        acted = self._act(lambda session, actor: gigs.post_draft(session, actor, gig_id))
        if acted.redirect is not None:
            return acted.redirect
        if acted.form_error:
            self.post_error = self._tr(acted.form_error)
            return None
        if not acted.ok:  # the draft is no longer valid: each field's message
            self.post_error = gettext(self.language, "This draft needs changes before it can be posted:")
            self.post_problems = [self._tr(problem) for problem in acted.errors.values()]
            return None
        if acted.value.status == GigStatus.OPEN:
            return rx.redirect(f"/gigs/{gig_id}")
        self.posted_status = acted.value.status
        self.card = localize(acted.value, self.language, None)
        return None

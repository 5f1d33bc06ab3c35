"""After the gig: try before you hire (interview, offer), and the two keys to showing the
approved deliverables publicly. A refusal shows above the buttons (errors["form"])."""

import reflex as rx

from microgigs.i18n import msg
from microgigs.services import evidence, hiring
from microgigs.state.workspace.form import WorkspaceForm
from microgigs.state.workspace.page import EngagementState

# What each side is told after turning its key: (closed, opened).
EMPLOYER_KEY = (
    msg("The deliverables are no longer allowed to be shown publicly."),
    msg("You allow the approved deliverables to be shown publicly."),
)
STUDENT_KEY = (
    msg("Your deliverables are hidden from the public."),
    msg("Your approved deliverables are shown wherever the employer allows it."),
)


class AfterGigForm(WorkspaceForm, EngagementState):
    def _after_gig(self, action, done):
        """Run one after-the-gig service call as action(session, actor, engagement_id)."""
        self._begin()
        acted = self._act(lambda session, actor: action(session, actor, self._engagement_id()))
        return self._finish(acted, done, errors={"form": acted.error})

    @rx.event
    def invite_to_interview(self):
        return self._after_gig(hiring.invite_to_interview, msg("Invitation to interview recorded. The student has been told."))

    @rx.event
    def record_offer(self):
        return self._after_gig(hiring.record_offer, msg("Offer recorded. The student has been told."))

    def _turn_key(self, turn, open_: bool, notices: tuple):
        """Turn one side's key to the public deliverables: `notices` = (closed, opened)."""
        return self._after_gig(lambda session, actor, engagement_id: turn(session, actor, engagement_id, open_), notices[open_])

    @rx.event
    def allow_public_evidence(self, allow: bool):
        """The manager's key (anything but True closes it)."""
        return self._turn_key(evidence.set_employer_permission, allow is True, EMPLOYER_KEY)

    @rx.event
    def show_public_evidence(self, show: bool):
        """The student's key: show the approved deliverables on the portfolio and credential."""
        return self._turn_key(evidence.set_student_choice, show is True, STUDENT_KEY)

"""The engagement workspace's states: the page state (the loaded view) and one substate per form.

Importing the package defines them all (Reflex registers a substate when its class is made).
"""

from microgigs.state.workspace.after_gig import AfterGigForm
from microgigs.state.workspace.cancel import CancelForm
from microgigs.state.workspace.deliverable import ACCEPTED_FILES, MAX_NOTE, UPLOAD_ID, SubmitForm
from microgigs.state.workspace.due_date import ExtensionForm
from microgigs.state.workspace.form import RELOAD, WorkspaceForm
from microgigs.state.workspace.messages import MessageForm
from microgigs.state.workspace.milestones import CheckInForm, MilestoneForm
from microgigs.state.workspace.page import EMPTY_VIEW, NOT_FOUND, ROUTE, EngagementState
from microgigs.state.workspace.review import ReviewForm

__all__ = [
    "ACCEPTED_FILES",
    "EMPTY_VIEW",
    "MAX_NOTE",
    "NOT_FOUND",
    "RELOAD",
    "ROUTE",
    "UPLOAD_ID",
    "AfterGigForm",
    "CancelForm",
    "CheckInForm",
    "EngagementState",
    "ExtensionForm",
    "MessageForm",
    "MilestoneForm",
    "ReviewForm",
    "SubmitForm",
    "WorkspaceForm",
]

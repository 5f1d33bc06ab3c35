"""The owner's team page: members, pending invitations, invite and remove managers."""

from typing import ClassVar

import reflex as rx

from microgigs.db import session_scope
from microgigs.services import organizations
from microgigs.services.errors import DomainError
from microgigs.services.organizations import MemberRow, OtherTeam, PendingInvitation
from microgigs.services.validation import ValidationFailed, parse_id
from microgigs.state.session import SessionState
from microgigs.state.url_object import ShownForUrl


class OrganizationState(ShownForUrl, SessionState):
    object_in_query: ClassVar[bool] = True  # ?organization=N, for people on several teams

    loaded: bool = False
    has_team: bool = False
    organization_name: str = ""
    organization_status: str = ""
    is_owner: bool = False
    members: list[MemberRow] = []
    invitations: list[PendingInvitation] = []
    other_teams: list[OtherTeam] = []
    error_email: str = ""
    row_errors: dict[str, str] = {}
    notice: str = ""
    form_key: int = 0

    def _reload(self):
        with session_scope() as session:
            actor = self._actor(session)
            if actor is None:
                return self._sign_in_redirect()
            team = organizations.team(session, actor, self._wanted_org())
        self.has_team = team is not None
        if team is not None:
            self.organization_name, self.organization_status, self.is_owner = team.name, team.status, team.is_owner
            self.members, self.invitations, self.other_teams = team.members, team.invitations, team.other_teams
        else:  # nobody's team: not the one this tab showed before
            self.organization_name, self.organization_status, self.is_owner = "", "", False
            self.members, self.invitations, self.other_teams = [], [], []
        self.loaded = True
        self._shown_for_this_url()
        return None

    def _wanted_org(self) -> int:
        """?organization=N picks which employer to show, for people on more than one team."""
        value = self.router.url.query_parameters.get("organization") or ""
        return parse_id(value) or 0

    def _org_id(self, session, actor) -> int:
        team = organizations.team(session, actor, self._wanted_org())
        if team is None:
            raise DomainError("You are not on an employer's team.")
        return team.organization_id

    @rx.event
    def load_organization(self):
        self.notice = (self.router.url.query_parameters.get("notice") or "")[:200]
        self.error_email, self.row_errors = "", {}
        return self._reload()

    @rx.event
    def invite(self, form_data: dict):
        email = str((form_data or {}).get("email", ""))[:300]
        self.error_email = self.notice = ""
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                message = organizations.invite_manager(session, actor, self._org_id(session, actor), email, self._client_address())
            self.notice = message
            self.form_key += 1
        except ValidationFailed as error:
            self.error_email = error.errors.get("email", error.message)
        except DomainError as error:
            self.error_email = error.message
        return self._reload()

    @rx.event
    def remove(self, form_data: dict):
        key = str((form_data or {}).get("user_id", ""))[:20]
        self.notice, self.row_errors = "", {}
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                user_id = parse_id(key)
                if user_id is None:
                    raise ValueError(key)
                organizations.remove_manager(session, actor, self._org_id(session, actor), user_id)
            self.notice = "Removed from the team."
        except ValueError:
            self.row_errors = {key: "That person was not found."}
        except DomainError as error:
            self.row_errors = {key: error.message}
        return self._reload()

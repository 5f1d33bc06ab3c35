"""The owner's team page: members, pending invitations, invite and remove managers."""

from typing import ClassVar

import reflex as rx

from microgigs.i18n import gettext
from microgigs.services import organizations
from microgigs.services.errors import DomainError
from microgigs.services.organizations import MemberRow, OtherTeam, PendingInvitation
from microgigs.services.validation import parse_id
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

    def _load(self, session, actor) -> None:
        team = organizations.team(session, actor, self._wanted_org(), self.language)
        self.has_team = team is not None
        if team is not None:
            self.organization_name, self.organization_status, self.is_owner = team.name, team.status, team.is_owner
            self.members, self.invitations, self.other_teams = team.members, team.invitations, team.other_teams
        else:  # nobody's team: not the one this tab showed before
            self.organization_name, self.organization_status, self.is_owner = "", "", False
            self.members, self.invitations, self.other_teams = [], [], []

    def _reload(self):
        redirect = self._read(self._load)
        if redirect is not None:
            return redirect
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
        address = self._client_address()  # invitations are throttled per client
        acted = self._act(lambda session, actor: organizations.invite_manager(session, actor, self._org_id(session, actor), email, address))
        if acted.redirect is not None:
            return acted.redirect
        if acted.ok:
            self.notice = self._tr(acted.value)
            self.form_key += 1
        else:
            self.error_email = self._tr(acted.errors.get("email", acted.error))
        return self._reload()

    @rx.event
    def remove(self, form_data: dict):
        key = str((form_data or {}).get("user_id", ""))[:20]
        self.notice, self.row_errors = "", {}
        user_id = parse_id(key)
        if user_id is None:
            self.row_errors = {key: gettext(self.language, "That person was not found.")}
            return self._reload()
        acted = self._act(lambda session, actor: organizations.remove_manager(session, actor, self._org_id(session, actor), user_id))
        if acted.redirect is not None:
            return acted.redirect
        if acted.ok:
            self.notice = gettext(self.language, "Removed from the team.")
        else:
            self.row_errors = {key: self._tr(acted.error)}
        return self._reload()

"""Career-center staff pages: the employer vetting queue, the skill list, the audit log.

Every handler resolves the signed-in person again and lets the service decide; a refused
action shows the service's message next to the row or field it is about.
"""

import reflex as rx

from microgigs.db import session_scope
from microgigs.services import audit_log, organizations, policy, profiles
from microgigs.services.audit_log import AuditRow
from microgigs.services.errors import DomainError
from microgigs.services.organizations import VettingRow
from microgigs.services.profiles import SkillRow
from microgigs.services.validation import ValidationFailed
from microgigs.state.session import SessionState

FILTERS = ("pending", "approved", "rejected", "suspended", "all")


class StaffEmployersState(SessionState):
    loaded: bool = False
    allowed: bool = False
    status_filter: str = "pending"
    rows: list[VettingRow] = []
    row_errors: dict[str, str] = {}
    notice: str = ""

    def _reload(self):
        with session_scope() as session:
            actor = self._actor(session)
            if actor is None:
                return self._sign_in_redirect()
            self.allowed = policy.may_vet_organizations(actor)
            self.rows = organizations.vetting_queue(session, actor, self.status_filter) if self.allowed else []
        self.loaded = True
        return None

    @rx.event
    def load_employers(self):
        self.row_errors, self.notice = {}, ""
        return self._reload()

    @rx.event
    def set_status_filter(self, value: str):
        self.status_filter = value if value in FILTERS else "pending"
        self.notice = ""
        return self._reload()

    def _act(self, form_data: dict, action, done: str):
        key = str((form_data or {}).get("organization_id", ""))
        reason = str((form_data or {}).get("reason", ""))[:2000]
        self.row_errors = {k: v for k, v in self.row_errors.items() if k != key}
        self.notice = ""
        try:
            org_id = int(key)
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                org = action(session, actor, org_id, reason)
                name = org.name
            self.notice = done.format(name=name)
        except ValueError:
            self.row_errors = {**self.row_errors, key: "That employer was not found."}
        except DomainError as error:
            self.row_errors = {**self.row_errors, key: error.message}
        return self._reload()

    @rx.event
    def approve(self, form_data: dict):
        return self._act(form_data, lambda s, a, i, _r: organizations.approve(s, a, i), "{name} is approved and has been told.")

    @rx.event
    def reject(self, form_data: dict):
        return self._act(form_data, organizations.reject, "{name} is rejected and has been told why.")

    @rx.event
    def suspend(self, form_data: dict):
        return self._act(form_data, organizations.suspend, "{name} is suspended; its open gigs are closed.")


class StaffSkillsState(SessionState):
    loaded: bool = False
    allowed: bool = False
    skills: list[SkillRow] = []
    error_skill_name: str = ""
    error_skill_category: str = ""
    row_errors: dict[str, str] = {}
    notice: str = ""
    form_key: int = 0

    def _reload(self):
        with session_scope() as session:
            actor = self._actor(session)
            if actor is None:
                return self._sign_in_redirect()
            self.allowed = policy.may_curate_skills(actor)
            self.skills = profiles.list_skills(session) if self.allowed else []
        self.loaded = True
        return None

    @rx.event
    def load_skills(self):
        self.notice, self.row_errors = "", {}
        self.error_skill_name = self.error_skill_category = ""
        return self._reload()

    @rx.event
    def add_skill(self, form_data: dict):
        name = str((form_data or {}).get("skill_name", ""))[:500]
        category = str((form_data or {}).get("skill_category", ""))[:500]
        self.error_skill_name = self.error_skill_category = self.notice = ""
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                profiles.add_skill(session, actor, name, category)
            self.notice = "Skill added."
            self.form_key += 1
        except ValidationFailed as error:
            self.error_skill_name = error.errors.get("skill_name", "")
            self.error_skill_category = error.errors.get("skill_category", "")
        except DomainError as error:
            self.error_skill_name = error.message
        return self._reload()

    @rx.event
    def remove_skill(self, form_data: dict):
        key = str((form_data or {}).get("skill_id", ""))
        self.notice = ""
        self.row_errors = {}
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                profiles.remove_skill(session, actor, int(key))
            self.notice = "Skill removed."
        except ValueError:
            self.row_errors = {key: "That skill was not found."}
        except DomainError as error:
            self.row_errors = {key: error.message}
        return self._reload()


class StaffAuditState(SessionState):
    loaded: bool = False
    allowed: bool = False
    subject_type: str = ""
    subject_id: str = ""
    actor_email: str = ""
    error_subject_id: str = ""
    rows: list[AuditRow] = []

    def _reload(self):
        self.error_subject_id = ""
        with session_scope() as session:
            actor = self._actor(session)
            if actor is None:
                return self._sign_in_redirect()
            self.allowed = policy.may_read_audit_log(actor)
            if self.allowed:
                try:
                    self.rows = audit_log.search(
                        session, actor, subject_type=self.subject_type, subject_id=self.subject_id, actor_email=self.actor_email
                    )
                except ValidationFailed as error:
                    self.error_subject_id = error.errors.get("subject_id", error.message)
                    self.rows = []
        self.loaded = True
        return None

    @rx.event
    def load_audit(self):
        return self._reload()

    @rx.event
    def search(self, form_data: dict):
        form_data = form_data or {}
        self.subject_type = str(form_data.get("subject_type", ""))[:30]
        self.subject_id = str(form_data.get("subject_id", ""))[:12]
        self.actor_email = str(form_data.get("actor_email", ""))[:254]
        return self._reload()

"""Career-center staff pages: the employer vetting queue, the skill list, the audit log.

Every handler resolves the signed-in person again and lets the service decide; a refused
action shows the service's message next to the row or field it is about.
"""

import dataclasses
from urllib.parse import urlencode

import reflex as rx

from microgigs.i18n import gettext, msg, ngettext
from microgigs.services import audit_log, organizations, policy, profiles
from microgigs.services.audit_log import AuditRow
from microgigs.services.organizations import VettingRow
from microgigs.services.profiles import SkillRow, StudentRecord
from microgigs.services.validation import ValidationFailed, clean_line, parse_id
from microgigs.state.auth_forms import values_key
from microgigs.state.session import SessionState
from microgigs.state.url_ids import id_in_path
from microgigs.state.url_object import ShownForUrl

STUDENT_ROUTE = "/staff/students/[user_id]"

FILTERS = ("pending", "approved", "rejected", "suspended", "all")


class StaffEmployersState(SessionState):
    loaded: bool = False
    allowed: bool = False
    status_filter: str = "pending"
    rows: list[VettingRow] = []
    row_errors: dict[str, str] = {}
    notice: str = ""

    def _load(self, session, actor) -> None:
        self.allowed = policy.may_vet_organizations(actor)
        rows = organizations.vetting_queue(session, actor, self.status_filter) if self.allowed else []
        self.rows = [dataclasses.replace(row, created_at=self._tr(row.created_at)) for row in rows]

    def _reload(self):
        return self._read_page()

    @rx.event
    def load_employers(self):
        self.row_errors, self.notice = {}, ""
        return self._reload()

    @rx.event
    def set_status_filter(self, value: str):
        self.status_filter = value if value in FILTERS else "pending"
        self.notice = ""
        return self._reload()

    def _act_on(self, form_data: dict, action, done):
        """Run one vetting action on the employer the form names; its error goes on that row.
        `done(name)`: the notice (a msg) when it went through."""
        key = str((form_data or {}).get("organization_id", ""))[:20]
        reason = str((form_data or {}).get("reason", ""))[:2000]
        self.row_errors = {k: v for k, v in self.row_errors.items() if k != key}
        self.notice = ""
        org_id = parse_id(key)
        if org_id is None:
            self.row_errors = {**self.row_errors, key: gettext(self.language, "That employer was not found.")}
            return self._reload()
        acted = self._act(lambda session, actor: action(session, actor, org_id, reason).name)
        if acted.redirect is not None:
            return acted.redirect
        if acted.ok:
            self.notice = self._tr(done(acted.value))
        else:
            self.row_errors = {**self.row_errors, key: self._tr(acted.error)}
        return self._reload()

    @rx.event
    def approve(self, form_data: dict):
        return self._act_on(
            form_data,
            lambda s, a, i, _r: organizations.approve(s, a, i),
            lambda name: msg("{name} is approved and has been told.", name=name),
        )

    @rx.event
    def reject(self, form_data: dict):
        return self._act_on(form_data, organizations.reject, lambda name: msg("{name} is rejected and has been told why.", name=name))

    @rx.event
    def suspend(self, form_data: dict):
        return self._act_on(form_data, organizations.suspend, lambda name: msg("{name} is suspended; its open gigs are closed.", name=name))


class StaffSkillsState(SessionState):
    loaded: bool = False
    allowed: bool = False
    skills: list[SkillRow] = []
    error_skill_name: str = ""
    error_skill_category: str = ""
    row_errors: dict[str, str] = {}
    notice: str = ""
    form_key: int = 0

    def _load(self, session, actor) -> None:
        self.allowed = policy.may_curate_skills(actor)
        self.skills = profiles.list_skills(session) if self.allowed else []

    def _reload(self):
        return self._read_page()

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
        acted = self._act(lambda session, actor: profiles.add_skill(session, actor, name, category))
        if acted.redirect is not None:
            return acted.redirect
        if acted.ok:
            self.notice = gettext(self.language, "Skill added.")
            self.form_key += 1
        else:
            self.error_skill_name = self._tr(acted.errors.get("skill_name", acted.form_error))
            self.error_skill_category = self._tr(acted.errors.get("skill_category", ""))
        return self._reload()

    @rx.event
    def remove_skill(self, form_data: dict):
        key = str((form_data or {}).get("skill_id", ""))[:20]
        self.notice = ""
        self.row_errors = {}
        skill_id = parse_id(key)
        if skill_id is None:
            self.row_errors = {key: gettext(self.language, "That skill was not found.")}
            return self._reload()
        acted = self._act(lambda session, actor: profiles.remove_skill(session, actor, skill_id))
        if acted.redirect is not None:
            return acted.redirect
        if acted.ok:
            self.notice = gettext(self.language, "Skill removed.")
        else:
            self.row_errors = {key: self._tr(acted.error)}
        return self._reload()


# The audit log's filters, as the page's URL carries them (so a search can be shared or bookmarked).
AUDIT_PARAMS = ("kind", "subject_email", "subject_type", "subject_id", "actor_email")
AUDIT_PARAM_LIMITS = {"kind": 40, "subject_email": 254, "subject_type": 30, "subject_id": 12, "actor_email": 254}


def audit_url(values: dict) -> str:
    """/staff/audit/ with the filters that are set (the default kind "all" is left out)."""
    # clean_line: what a URL can carry (no lone surrogate, which urlencode cannot encode).
    cleaned = {name: clean_line(str(values.get(name, "")), limit=AUDIT_PARAM_LIMITS[name]) for name in AUDIT_PARAMS}
    params = {name: value for name, value in cleaned.items() if value and not (name == "kind" and value == audit_log.KIND_ALL)}
    return "/staff/audit/" + (f"?{urlencode(params)}" if params else "")


class StaffAuditState(SessionState):
    loaded: bool = False
    allowed: bool = False
    kind: str = audit_log.KIND_ALL
    subject_email: str = ""
    subject_type: str = ""
    subject_id: str = ""
    actor_email: str = ""
    errors: dict[str, str] = {}
    rows: list[AuditRow] = []
    results_text: str = ""
    # The kind filter's options ({"value", "text"}) in the viewer's language.
    kind_options: list[dict[str, str]] = []
    form_key: str = ""

    # Typed `dict`, not dict[str, str]: Reflex then skips checking every key and value each time it
    # computes it (a new tab's snapshot computes it: a twentieth of its state work, issue 17); the
    # page reads it through `.to(dict[str, str])`.
    @rx.var
    def field_errors(self) -> dict:
        """Every filter's error ("" when fine), so the page can index any of them."""
        return {name: self.errors.get(name, "") for name in AUDIT_PARAMS}

    def _results_text(self) -> str:
        n = len(self.rows)
        if n >= audit_log.PAGE_SIZE:
            return ngettext(self.language, "{count} event (the newest shown)", "{count} events (the newest shown)", n)
        return ngettext(self.language, "{count} event", "{count} events", n)

    def _load(self, session, actor) -> None:
        self.allowed = policy.may_read_audit_log(actor)
        self.kind_options = [{"value": kind, "text": self._tr(audit_log.kind_label(kind))} for kind in audit_log.KINDS]
        self.rows = []  # read again below, or none: never what the tab showed before
        self.results_text = ""
        if not self.allowed:
            return
        try:
            rows = audit_log.search(
                session,
                actor,
                kind=self.kind,
                subject_type=self.subject_type,
                subject_id=self.subject_id,
                subject_email=self.subject_email,
                actor_email=self.actor_email,
            )
        except ValidationFailed as error:
            self.errors = self._tr_all(error.errors)
            rows = []
        # "system" (no actor) in the viewer's language; a person's name and address as they are.
        self.rows = [dataclasses.replace(row, actor=self._tr(row.actor)) for row in rows]
        self.results_text = self._results_text()

    def _reload(self):
        self.errors = {}
        return self._read_page()

    @rx.event
    def load_audit(self):
        """on_load: the filters come from the URL."""
        query = self.router.url.query_parameters
        for name in AUDIT_PARAMS:
            setattr(self, name, str(query.get(name) or "")[: AUDIT_PARAM_LIMITS[name]])
        self.kind = self.kind or audit_log.KIND_ALL
        # Remount the (uncontrolled) form only when the URL's filters differ from what it shows.
        self.form_key = values_key(
            *(getattr(self, name) for name in AUDIT_PARAMS if name != "kind"), self.kind.replace(audit_log.KIND_ALL, "")
        )
        return self._reload()

    @rx.event
    def search(self, form_data: dict):
        """Put the filters in the URL; loading that URL runs the search."""
        return rx.redirect(audit_url(form_data or {}))


EMPTY_STUDENT = StudentRecord(0, "", "", False, "", [], "", 0, [], "", "", "", False)


class StaffStudentState(ShownForUrl, SessionState):
    """/staff/students/N: one student's profile for career-center staff (a recorded view)."""

    loaded: bool = False
    found: bool = False
    message: str = ""
    student: StudentRecord = EMPTY_STUDENT

    @rx.event
    def load_student(self):
        self.found, self.message, self.student = False, "", EMPTY_STUDENT
        student_id = id_in_path(self.router.url.path, STUDENT_ROUTE)
        # Opening the page is the view (recorded, so an act); nothing else here re-reads the profile.
        acted = self._act(lambda session, actor: profiles.student_for_staff(session, actor, student_id))
        if acted.redirect is not None:
            return acted.redirect
        if acted.ok:
            self.student, self.found = acted.value, True
        else:
            self.message = self._tr(acted.error)
        self.loaded = True
        self._shown_for_this_url()
        return None


class StaffHubState(SessionState):
    """The staff hub (/staff): nothing to load but whether the viewer is staff (admins are)."""

    loaded: bool = False
    allowed: bool = False

    def _load(self, session, actor) -> None:
        self.allowed = policy.is_staff(actor)

    @rx.event
    def load_hub(self):
        return self._read_page()

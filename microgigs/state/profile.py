"""The profile page: a student's skills, availability, links and pedigree; a manager's name
and title; everyone's photo (uploaded through Reflex, stored outside its public folder)."""

import reflex as rx
from reflex_base.utils.form import FormData

from microgigs.db import session_scope
from microgigs.services import gigs, profiles
from microgigs.services.errors import DomainError
from microgigs.services.profiles import StudentProfileInput
from microgigs.services.validation import ValidationFailed
from microgigs.state.session import SessionState
from microgigs.state.upload_refusals import first_refusal

PHOTO_UPLOAD_ID = "profile-photo"
# The time-zone picker's choices (the service validates against the same list).
TIMEZONE_GROUPS = profiles.timezone_groups()
PROFILE_FIELDS = (
    "skills",
    "interests",
    "hours_per_week",
    "timezone",
    "links",
    "school",
    "major",
    "graduation_year",
    "display_name",
    "title",
    "photo",
)


class ProfileState(SessionState):
    loaded: bool = False
    role: str = ""
    display_name: str = ""
    title: str = ""
    timezone: str = "UTC"
    has_photo: bool = False
    photo_version: int = 0
    skills: list[str] = []
    all_skills: list[str] = []
    interests: str = ""
    hours_per_week: str = ""
    links: str = ""
    school: str = ""
    major: str = ""
    graduation_year: str = ""
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    form_key: int = 0

    @rx.var
    def photo_src(self) -> str:
        return f"/photos/{self.user_id}?v={self.photo_version}"

    @rx.var
    def is_student_profile(self) -> bool:
        return self.role == "student"

    @rx.var
    def is_manager_profile(self) -> bool:
        return self.role == "manager"

    @rx.var
    def field_errors(self) -> dict[str, str]:
        """Every field's message, "" when none (so a missing key never reads as an error)."""
        return {name: self.errors.get(name, "") for name in PROFILE_FIELDS}

    def _reload(self):
        with session_scope() as session:
            actor = self._actor(session)
            if actor is None:
                return self._sign_in_redirect()
            view = profiles.profile_view(session, actor)
            self.all_skills = gigs.all_skill_names(session)
        self.role, self.display_name, self.title, self.timezone = view.role, view.display_name, view.title, view.timezone
        self.has_photo, self.skills, self.interests = view.has_photo, view.skills, view.interests
        self.hours_per_week, self.links = str(view.hours_per_week), view.links
        self.school, self.major, self.graduation_year = view.school, view.major, view.graduation_year
        self.loaded = True
        return None

    @rx.event
    def load_profile(self):
        self.errors, self.error, self.notice = {}, "", ""
        return self._reload()

    def _save(self, action):
        self.errors, self.error, self.notice = {}, "", ""
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                action(session, actor)
            self.notice = "Your profile is saved."
            self.form_key += 1
        except ValidationFailed as error:
            self.errors = dict(error.errors)
            self.error = "Check the fields marked below."
            return None
        except DomainError as error:
            self.error = error.message
            return None
        return self._reload()

    @rx.event
    def save_student(self, form_data: FormData):
        form_data = form_data or {}
        values = {
            k: str(form_data.get(k, ""))[:2000]
            for k in ("interests", "hours_per_week", "timezone", "links", "school", "major", "graduation_year")
        }
        chosen = form_data.getlist("skills") if isinstance(form_data, FormData) else form_data.get("skills", [])
        if isinstance(chosen, str):
            chosen = [part.strip() for part in chosen.split(",") if part.strip()]
        chosen = [str(v)[:100] for v in chosen][:50]
        return self._save(lambda s, a: profiles.update_student_profile(s, a, StudentProfileInput(skills=chosen, **values)))

    @rx.event
    def save_manager(self, form_data: dict):
        name = str((form_data or {}).get("display_name", ""))[:1000]
        title = str((form_data or {}).get("title", ""))[:1000]
        return self._save(lambda s, a: profiles.update_manager_profile(s, a, name, title))

    @rx.event
    def photo_rejected(self, rejected: list):
        """The picker refused the chosen photo (size, type or count) before anything was sent."""
        _, codes = first_refusal(rejected)
        self.notice = ""
        if "file-too-large" in codes:
            self.errors = {"photo": profiles.PHOTO_TOO_LARGE}
        elif "too-many-files" in codes:
            self.errors = {"photo": "Choose one photo."}
        else:
            self.errors = {"photo": profiles.PHOTO_WRONG_TYPE}

    @rx.event
    async def upload_photo(self, files: list[rx.UploadFile], form_data: dict):
        self.errors, self.error, self.notice = {}, "", ""
        if not files:
            self.errors = {"photo": "Choose a photo first."}
            return None
        upload = files[0]
        if upload.size is not None and upload.size > profiles.MAX_PHOTO_BYTES:
            self.errors = {"photo": profiles.PHOTO_TOO_LARGE}  # not even read
            return None
        data = await upload.read(profiles.MAX_PHOTO_BYTES + 1)  # the service refuses one byte past the limit
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                profiles.set_photo(session, actor, upload.name or upload.filename or "", data)
            self.notice = "Your photo is saved."
            self.photo_version += 1
        except DomainError as error:
            self.errors = dict(error.errors) if isinstance(error, ValidationFailed) else {"photo": error.message}
            return None
        return self._reload()

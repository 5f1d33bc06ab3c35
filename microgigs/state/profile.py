"""The profile page: a student's skills, availability, links and pedigree; a manager's name
and title; everyone's photo (uploaded through Reflex, stored outside its public folder)."""

import reflex as rx
from reflex_base.utils.form import FormData

from microgigs.i18n import gettext
from microgigs.services import gigs, profiles
from microgigs.services.profiles import StudentProfileInput
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
    "language",
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

    # Typed `dict`, not dict[str, str]: Reflex then skips checking every key and value each time it
    # computes it (a new tab's snapshot computes it: a twentieth of its state work, issue 17); the
    # page reads it through `.to(dict[str, str])`.
    @rx.var
    def field_errors(self) -> dict:
        """Every field's message, "" when none (so a missing key never reads as an error)."""
        return {name: self.errors.get(name, "") for name in PROFILE_FIELDS}

    def _load(self, session, actor) -> None:
        view = profiles.profile_view(session, actor)
        self.all_skills = gigs.all_skill_names(session)
        self.role, self.display_name, self.title, self.timezone = view.role, view.display_name, view.title, view.timezone
        self.has_photo, self.skills, self.interests = view.has_photo, view.skills, view.interests
        self.hours_per_week, self.links = str(view.hours_per_week), view.links
        self.school, self.major, self.graduation_year = view.school, view.major, view.graduation_year

    def _reload(self):
        return self._read_page()

    @rx.event
    def load_profile(self):
        self.errors, self.error, self.notice = {}, "", ""
        return self._reload()

    def _show_saved(self, acted):
        """What the page shows once a form was sent: each field's message, or the notice."""
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.errors = self._tr_all(acted.field_messages)
            self.error = self._tr(acted.form_error) or gettext(self.language, "Check the fields marked below.")
            return None
        self.form_key += 1
        redirect = self._reload()
        # After the reload: a new language choice is the one the notice is in.
        self.notice = gettext(self.language, "Your profile is saved.")
        return redirect

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
        self.errors, self.error, self.notice = {}, "", ""
        data = StudentProfileInput(skills=chosen, **values)
        return self._show_saved(self._act(lambda session, actor: profiles.update_student_profile(session, actor, data)))

    @rx.event
    def save_language(self, form_data: dict):
        """Everyone's language choice (its own small form: students and managers alike)."""
        language = str((form_data or {}).get("language", ""))[:8]
        self.errors, self.error, self.notice = {}, "", ""
        return self._show_saved(self._act(lambda session, actor: profiles.set_language(session, actor, language)))

    @rx.event
    def save_manager(self, form_data: dict):
        name = str((form_data or {}).get("display_name", ""))[:1000]
        title = str((form_data or {}).get("title", ""))[:1000]
        self.errors, self.error, self.notice = {}, "", ""
        return self._show_saved(self._act(lambda session, actor: profiles.update_manager_profile(session, actor, name, title)))

    @rx.event
    def photo_rejected(self, rejected: list):
        """The picker refused the chosen photo (size, type or count) before anything was sent."""
        _, codes = first_refusal(rejected)
        self.notice = ""
        if "file-too-large" in codes:
            self.errors = {"photo": self._tr(profiles.PHOTO_TOO_LARGE)}
        elif "too-many-files" in codes:
            self.errors = {"photo": gettext(self.language, "Choose one photo.")}
        else:
            self.errors = {"photo": self._tr(profiles.PHOTO_WRONG_TYPE)}

    @rx.event
    async def upload_photo(self, files: list[rx.UploadFile], form_data: dict):
        self.errors, self.error, self.notice = {}, "", ""
        if not files:
            self.errors = {"photo": gettext(self.language, "Choose a photo first.")}
            return None
        upload = files[0]
        if upload.size is not None and upload.size > profiles.MAX_PHOTO_BYTES:
            self.errors = {"photo": self._tr(profiles.PHOTO_TOO_LARGE)}  # not even read
            return None
        data = await upload.read(profiles.MAX_PHOTO_BYTES + 1)  # the service refuses one byte past the limit
        name = upload.name or upload.filename or ""
        acted = self._act(lambda session, actor: profiles.set_photo(session, actor, name, data))
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.errors = self._tr_all(acted.field_messages or {"photo": acted.error})
            return None
        self.notice = gettext(self.language, "Your photo is saved.")
        self.photo_version += 1
        return self._reload()

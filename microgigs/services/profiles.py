"""Profiles: a student's skills, interests, availability, links and pedigree fields;
a manager's name and title; everyone's photo; the shared skill vocabulary staff curate."""

import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import available_timezones

from sqlmodel import Session, select

from microgigs import i18n
from microgigs.data_folder import write_private_file
from microgigs.i18n import Number, _, msg
from microgigs.integrations.storage import FileStore, clean_display_name, extension_of
from microgigs.models import GigSkill, Skill, StudentProfile, StudentSkill, User
from microgigs.services import audit, images, policy, view_log
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.validation import ValidationFailed, check_length, clean_line, clean_text, fold_lookalikes, is_http_url
from microgigs.settings import get_settings

PHOTO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}
# What each photo type's bytes start with; a name alone is never trusted.
MAX_PHOTO_BYTES = 2 * 1024 * 1024
PHOTO_TOO_LARGE = msg("That photo is too large: at most {count} MB.", count=MAX_PHOTO_BYTES // (1024 * 1024))
PHOTO_WRONG_TYPE = msg("Choose a PNG, JPEG or WebP image.")
MAX_SKILLS = 15
MAX_LINKS = 5
MAX_LINKS_TEXT = 1000  # StudentProfile.links, one link a line
_TIMEZONES = frozenset(available_timezones()) | {"UTC"}


def timezone_groups() -> list[tuple[str, list[str]]]:
    """Every IANA zone this server knows, grouped by area ("Europe", "America", ...) for a picker;
    names without an area (UTC, EST5EDT) go under "Other"."""
    groups: dict[str, list[str]] = {}
    for zone in sorted(_TIMEZONES):
        area = zone.split("/", 1)[0] if "/" in zone else "Other"
        groups.setdefault(area, []).append(zone)
    return sorted(groups.items(), key=lambda item: (item[0] == "Other", item[0]))


def photo_store() -> FileStore:
    return FileStore(get_settings().photos_dir)


@dataclass
class StudentProfileInput:
    skills: list[str] = field(default_factory=list)
    interests: str = ""
    hours_per_week: str = "10"
    timezone: str = "UTC"
    links: str = ""
    school: str = ""
    major: str = ""
    graduation_year: str = ""


@dataclass
class ProfileView:
    display_name: str
    title: str
    role: str
    timezone: str
    has_photo: bool
    skills: list[str]
    interests: str
    hours_per_week: int
    links: str
    school: str
    major: str
    graduation_year: str


def profile_view(session: Session, actor: User | None) -> ProfileView:
    policy.require(policy.is_active_user(actor), _("Sign in to see your profile."))
    profile = session.get(StudentProfile, actor.id) if actor.role == "student" else None
    skills = sorted(
        session.exec(select(Skill.name).join(StudentSkill, StudentSkill.skill_id == Skill.id).where(StudentSkill.user_id == actor.id))
    )
    return ProfileView(
        display_name=actor.display_name,
        title=actor.title,
        role=actor.role,
        timezone=actor.timezone,
        has_photo=bool(actor.photo_name),
        skills=skills,
        interests=profile.interests if profile else "",
        hours_per_week=profile.hours_per_week if profile else 0,
        links=profile.links if profile else "",
        school=profile.school if profile else "",
        major=profile.major if profile else "",
        graduation_year=str(profile.graduation_year or "") if profile else "",
    )


@dataclass
class StudentRecord:
    """A student's profile as career-center staff see it (everything, pedigree included)."""

    user_id: int
    display_name: str
    email: str
    active: bool
    timezone: str
    skills: list[str]
    interests: str
    hours_per_week: int
    links: list[str]
    school: str
    major: str
    graduation_year: str
    has_photo: bool


def student_for_staff(session: Session, actor: User | None, user_id: int) -> StudentRecord:
    """Staff open a student's profile; each opening is a view in the audit log."""
    policy.require(policy.is_staff(actor), _("Only career-center staff can open a student's profile."))
    user = session.get(User, user_id)
    if user is None or user.role != "student" or user.deleted_at is not None:
        raise NotFound("That student")
    profile = session.get(StudentProfile, user.id) or StudentProfile(user_id=user.id)
    skills = sorted(
        session.exec(select(Skill.name).join(StudentSkill, StudentSkill.skill_id == Skill.id).where(StudentSkill.user_id == user.id))
    )
    view_log.record_view(session, actor, "profile", "user", user.id)
    return StudentRecord(
        user_id=user.id,
        display_name=user.display_name,
        email=user.email,
        active=user.is_active,
        timezone=user.timezone,
        skills=skills,
        interests=profile.interests,
        hours_per_week=profile.hours_per_week,
        links=[link for link in profile.links.splitlines() if link],
        school=profile.school,
        major=profile.major,
        graduation_year=str(profile.graduation_year or ""),
        has_photo=bool(user.photo_name),
    )


def set_language(session: Session, actor: User | None, language: str) -> None:
    """The language `actor` reads MicroGigs in, pages and mail (a key of i18n.LANGUAGES)."""
    policy.require(policy.is_active_user(actor), _("Sign in to choose your language."))
    if language not in i18n.LANGUAGES:
        raise ValidationFailed({"language": msg("Choose a language from the list.")})
    if actor.language != language:
        actor.language = language
        session.add(actor)
        audit.record(session, actor, "profile.language_changed", "user", actor.id)
        session.flush()


def update_student_profile(session: Session, actor: User | None, data: StudentProfileInput, today: date | None = None) -> StudentProfile:
    policy.require(policy.is_student(actor), _("Only students keep a student profile."))
    today = today or date.today()
    errors: dict[str, str] = {}
    interests = clean_text(data.interests)
    check_length(errors, "interests", interests, label=msg("your interests"), max_len=500, required=False)
    hours = None
    try:
        hours = int(clean_text(data.hours_per_week) or "0")
        if not 0 <= hours <= 80:
            errors["hours_per_week"] = msg("Enter a number of hours from 0 to 80.")
    except ValueError:
        errors["hours_per_week"] = msg("Enter a whole number of hours, like 10.")
    tz = clean_text(data.timezone) or "UTC"
    if tz not in _TIMEZONES:
        errors["timezone"] = msg(
            "“{zone}” is not a time zone we know. Choose one from the list, like Europe/Paris or America/New_York.", zone=tz[:60]
        )
    links = [clean_line(line) for line in (data.links or "").splitlines() if clean_line(line)]
    if len(links) > MAX_LINKS:
        errors["links"] = msg("Add at most {count} links.", count=MAX_LINKS)
    elif bad := next((link for link in links if not is_http_url(link) or len(link) > 300), None):
        errors["links"] = msg("“{link}” is not a web address; start each link with https://.", link=bad[:60])
    elif len("\n".join(links)) > MAX_LINKS_TEXT:
        errors["links"] = msg("Use at most {count} characters for your links in all.", count=Number(MAX_LINKS_TEXT))
    school, major = clean_line(data.school), clean_line(data.major)
    check_length(errors, "school", school, label=msg("your school"), max_len=160, required=False)
    check_length(errors, "major", major, label=msg("your major"), max_len=120, required=False)
    year = None
    if clean_text(data.graduation_year):
        try:
            year = int(clean_text(data.graduation_year))
            if not today.year - 60 <= year <= today.year + 8:
                errors["graduation_year"] = msg("Enter a year between {first} and {last}.", first=today.year - 60, last=today.year + 8)
        except ValueError:
            errors["graduation_year"] = msg("Enter a year, like 2027.")
    names = list(dict.fromkeys(clean_line(s) for s in data.skills if clean_line(s)))
    skills = list(session.exec(select(Skill).where(Skill.name.in_(names)))) if names else []
    if len(names) > MAX_SKILLS:
        errors["skills"] = msg("Choose at most {count} skills.", count=MAX_SKILLS)
    elif len(skills) != len(names):
        unknown = sorted(set(names) - {s.name for s in skills})
        errors["skills"] = msg("Choose skills from the list; not known: {names}.", names=", ".join(unknown)[:120])
    if errors:
        raise ValidationFailed(errors)

    profile = session.get(StudentProfile, actor.id) or StudentProfile(user_id=actor.id)
    profile.interests, profile.hours_per_week, profile.links = interests, hours, "\n".join(links)
    profile.school, profile.major, profile.graduation_year = school, major, year
    session.add(profile)
    actor.timezone = tz
    session.add(actor)
    for link in session.exec(select(StudentSkill).where(StudentSkill.user_id == actor.id)):
        session.delete(link)
    session.flush()
    session.add_all([StudentSkill(user_id=actor.id, skill_id=s.id) for s in skills])
    audit.record(session, actor, "profile.updated", "user", actor.id)
    session.flush()
    return profile


def update_manager_profile(session: Session, actor: User | None, display_name: str, title: str) -> User:
    policy.require(policy.is_active_user(actor) and actor.role == "manager", _("Only employer managers keep a manager profile."))
    errors: dict[str, str] = {}
    name, job = clean_line(display_name), clean_line(title)
    check_length(errors, "display_name", name, label=msg("your name"), max_len=100)
    check_length(errors, "title", job, label=msg("your job title"), max_len=100, required=False)
    if errors:
        raise ValidationFailed(errors)
    actor.display_name, actor.title = name, job
    session.add(actor)
    audit.record(session, actor, "profile.updated", "user", actor.id)
    session.flush()
    return actor


def set_photo(session: Session, actor: User | None, filename: str, data: bytes) -> User:
    """Replace the actor's photo after checking its type (name and bytes) and size."""
    policy.require(policy.is_active_user(actor), _("Sign in to add a photo."))
    name = clean_display_name(filename)
    ext = extension_of(name)
    if ext not in PHOTO_TYPES:
        raise ValidationFailed({"photo": PHOTO_WRONG_TYPE})
    if not data:
        raise ValidationFailed({"photo": msg("That file is empty.")})
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationFailed({"photo": PHOTO_TOO_LARGE})
    if not images.starts_as(ext, data):
        raise ValidationFailed({"photo": msg("That file is not the image its name says it is.")})
    store = photo_store()
    stored = f"{secrets.token_hex(16)}{ext}"
    write_private_file(store.root / stored, data)  # 0600 in a 0700 folder
    old = actor.photo_name
    actor.photo_name = stored
    session.add(actor)
    audit.record(session, actor, "profile.photo_changed", "user", actor.id)
    session.flush()
    if old:
        store.delete(old)
    return actor


def photo_for(session: Session, actor: User | None, user_id: int) -> tuple[Path, str]:
    """The stored photo of `user_id` and its content type, for someone allowed to see it."""
    user = session.get(User, user_id)
    if user is None or not user.photo_name or not policy.may_view_photo(actor, user):
        raise NotFound("That photo")
    if user.role == "student":
        # Only staff see another student's face; that is a view worth a line in the audit log.
        view_log.record_view(session, actor, "photo", "user", user.id)
    path = photo_store().path_of(user.photo_name)
    return path, PHOTO_TYPES[extension_of(user.photo_name)]


# --- the shared skill vocabulary ----------------------------------------------------


@dataclass
class SkillRow:
    id: int
    name: str
    category: str
    used_by: int


def list_skills(session: Session) -> list[SkillRow]:
    rows = []
    for skill in session.exec(select(Skill).order_by(Skill.name)):
        used = len(session.exec(select(StudentSkill.user_id).where(StudentSkill.skill_id == skill.id)).all()) + len(
            session.exec(select(GigSkill.gig_id).where(GigSkill.skill_id == skill.id)).all()
        )
        rows.append(SkillRow(id=skill.id, name=skill.name, category=skill.category, used_by=used))
    return rows


def add_skill(session: Session, actor: User | None, name: str, category: str = "") -> Skill:
    policy.require(policy.may_curate_skills(actor), _("Only career-center staff can change the skill list."))
    errors: dict[str, str] = {}
    name, category = clean_line(name), clean_line(category)
    check_length(errors, "skill_name", name, label=msg("the skill's name"), max_len=60)
    check_length(errors, "skill_category", category, label=msg("a category"), max_len=60, required=False)
    # Compared without case and look-alikes: "ＰＹＴＨＯＮ" is "Python" under another guise.
    if not errors and fold_lookalikes(name) in {fold_lookalikes(n) for n in session.exec(select(Skill.name))}:
        errors["skill_name"] = msg("“{name}” is already on the list.", name=name)
    if errors:
        raise ValidationFailed(errors)
    skill = Skill(name=name, category=category)
    session.add(skill)
    session.flush()
    audit.record(session, actor, "skill.added", "skill", skill.id, name=name)
    return skill


def remove_skill(session: Session, actor: User | None, skill_id: int) -> None:
    policy.require(policy.may_curate_skills(actor), _("Only career-center staff can change the skill list."))
    skill = session.get(Skill, skill_id)
    if skill is None:
        raise NotFound("That skill")
    in_use = session.exec(select(StudentSkill.user_id).where(StudentSkill.skill_id == skill.id)).first() is not None or (
        session.exec(select(GigSkill.gig_id).where(GigSkill.skill_id == skill.id)).first() is not None
    )
    if in_use:
        raise DomainError(msg("“{name}” is used by students or gigs; it cannot be removed.", name=skill.name))
    session.delete(skill)
    audit.record(session, actor, "skill.removed", "skill", skill_id, name=skill.name)
    session.flush()

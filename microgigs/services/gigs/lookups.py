"""Reading stored gigs and skills: the small look-ups the rest of the package builds on."""

from sqlmodel import Session, select

from microgigs.models import Gig, GigSkill, Skill, StudentSkill, User
from microgigs.services import policy
from microgigs.services.errors import NotFound


def get_gig(session: Session, gig_id: int) -> Gig:
    gig = session.get(Gig, gig_id)
    if gig is None:
        raise NotFound("That gig")
    return gig


def skill_names_by_gig(session: Session, gig_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {gid: [] for gid in gig_ids}
    if gig_ids:
        # Core, not the ORM: the board calls this on every page, and rows are all it needs.
        rows = session.connection().execute(
            select(GigSkill.gig_id, Skill.name)
            .join(Skill, Skill.id == GigSkill.skill_id)
            .where(GigSkill.gig_id.in_(gig_ids))
            .order_by(Skill.name)
        )
        for gig_id, name in rows:
            names[gig_id].append(name)
    return names


def all_skill_names(session: Session) -> list[str]:
    return list(session.exec(select(Skill.name).order_by(Skill.name)))


def student_skill_ids(session: Session, actor: User | None) -> list[int]:
    if not policy.is_student(actor):
        return []
    return list(session.exec(select(StudentSkill.skill_id).where(StudentSkill.user_id == actor.id)))

"""Verifiable credentials: an Open Badges 3.0 credential (a W3C Verifiable Credential,
signed as a VC-JWT with RS256) for every approved engagement; verification; revocation.
"""

import base64
import json
import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import date

from sqlmodel import Session, select

from microgigs.i18n import DEFAULT, Day, Text, _, format_date, msg, translate
from microgigs.integrations.signing import KeyStore
from microgigs.models import Credential, Engagement, Gig, GigSkill, Organization, Skill, User, utcnow
from microgigs.services import audit, policy, throttle
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.statuses import EngagementStatus
from microgigs.services.validation import clean_line
from microgigs.settings import get_settings

VC_CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
MAX_CREDENTIAL_CHARS = 20_000


def key_store() -> KeyStore:
    return KeyStore(get_settings().keys_dir)


def _base_url() -> str:
    return get_settings().public_url.rstrip("/")


def verification_url(public_id: str) -> str:
    return f"{_base_url()}/verify?id={public_id}"


def _issuer(session: Session) -> dict:
    center = session.exec(select(Organization).where(Organization.kind == "career_center")).first()
    return {
        "id": f"{_base_url()}/issuer",
        "type": ["Profile"],
        "name": center.name if center else "MicroGigs career center",
        "url": _base_url(),
    }


def issue_for_engagement(session: Session, engagement: Engagement) -> Credential:
    """Sign the credential of an approved engagement (once: a repeat returns the first)."""
    existing = session.exec(select(Credential).where(Credential.engagement_id == engagement.id)).first()
    if existing is not None:
        return existing
    if engagement.status not in (EngagementStatus.APPROVED, EngagementStatus.PAID):
        raise DomainError("A credential is issued only for approved work.")
    gig = session.get(Gig, engagement.gig_id)
    employer = session.get(Organization, gig.organization_id)
    student = session.get(User, engagement.student_id)
    skills = list(
        session.exec(select(Skill.name).join(GigSkill, GigSkill.skill_id == Skill.id).where(GigSkill.gig_id == gig.id).order_by(Skill.name))
    )
    public_id = secrets.token_urlsafe(16)
    issued = utcnow()
    credential_id = f"{_base_url()}/credentials/{public_id}"
    vc = {
        "@context": VC_CONTEXTS,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": _issuer(session),
        "validFrom": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": gig.title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": student.display_name}],
            "achievement": {
                "id": f"{_base_url()}/gigs/{gig.id}",
                "type": ["Achievement"],
                "achievementType": "Assignment",
                "name": gig.title,
                "description": gig.summary,
                "criteria": {"narrative": engagement.scope_snapshot},
                "tag": skills,
                "creator": {"id": f"{_base_url()}/employers/{employer.id}", "type": ["Profile"], "name": employer.name},
            },
            "result": [{"type": ["Result"], "value": f"{gig.estimated_hours} hours"}],
            "activityStartDate": engagement.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "activityEndDate": (engagement.approved_at or issued).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        "evidence": [
            {
                # A public page that shows the deliverables only when the employer and the
                # student both allowed it (services/evidence.py); otherwise just the approval.
                "id": f"{_base_url()}/evidence/{public_id}",
                "type": ["Evidence"],
                "name": f"Deliverables for {gig.title}",
                "description": f"Approved by {employer.name} on {(engagement.approved_at or issued):%Y-%m-%d}.",
            }
        ],
    }
    claims = {
        "iss": vc["issuer"]["id"],
        "jti": credential_id,
        "sub": f"{_base_url()}/students/{student.id}",
        "nbf": int(issued.timestamp()),
        "iat": int(issued.timestamp()),
        "vc": vc,
    }
    token, kid = key_store().sign(claims)
    credential = Credential(
        engagement_id=engagement.id, student_id=student.id, public_id=public_id, jwt=token, key_id=kid, issued_at=issued
    )
    session.add(credential)
    session.flush()
    audit.record(session, None, "credential.issued", "credential", credential.id, engagement_id=engagement.id, key_id=kid)
    return credential


def issue_missing(session: Session, now=None) -> int:
    """Job: sign the credential of every approved or paid engagement that has none yet (approval
    signs it right after its commit; this completes what an interrupted process left). Idempotent."""
    missing = session.exec(
        select(Engagement)
        .outerjoin(Credential, Credential.engagement_id == Engagement.id)
        .where(Engagement.status.in_((EngagementStatus.APPROVED, EngagementStatus.PAID)), Credential.id.is_(None))
    ).all()
    for engagement in missing:
        issue_for_engagement(session, engagement)
    session.flush()
    return len(missing)


@dataclass
class Verification:
    status: str  # valid | invalid | revoked
    message: str
    title: str = ""
    student: str = ""
    employer: str = ""
    issuer: str = ""
    issued_on: str = ""
    skills: list[str] = field(default_factory=list)
    hours: str = ""
    revoked_reason: str = ""
    public_id: str = ""
    # False when no credential could be read out of what was given at all (nothing, text far
    # too long, or JSON that cannot be parsed); the API answers that with a 400.
    readable: bool = True


def _invalid(reason: str, *, readable: bool = True) -> Verification:
    """`reason` is a Text (msg) where we wrote it, so a reader's page can translate it."""
    return Verification(status="invalid", message=msg("Not valid: {reason}.", reason=reason), readable=readable)


_HOURS = re.compile(r"^(\d+) hours?$")


def for_viewer(result: Verification, language: str) -> Verification:
    """`result` as a page shows it to a reader of `language`: its message translated, the
    issue date written their way, "10 hours" in their words. The credential itself (what is
    signed, and what the API answers) never changes with the reader."""
    hours = _HOURS.match(result.hours)
    issued = result.issued_on
    if language != DEFAULT and re.fullmatch(r"\d{4}-\d{2}-\d{2}", issued):
        issued = format_date(date.fromisoformat(issued), language)
    message = result.message
    if isinstance(message, Text) and language != DEFAULT and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(message.values.get("date", ""))):
        message = Text(message.msgid, **{**message.values, "date": format_date(date.fromisoformat(message.values["date"]), language)})
    return replace(
        result,
        message=str(translate(language, message)),
        issued_on=issued,
        hours=str(translate(language, msg("{count} hours", count=int(hours[1])))) if hours else result.hours,
    )


class _Unreadable(ValueError):
    """What was given holds no credential we could even read; says why."""


def _count_public_check(session: Session, client: str) -> None:
    """Anyone may ask, and each answer costs an RSA check: per client, a Throttled past the limit."""
    throttle.hit(session, [(throttle.CREDENTIAL_CHECK_PER_CLIENT, client)])


def verify(session: Session, text: str, *, client: str = "") -> Verification:
    """Check a pasted or uploaded credential: the JWT itself, or its JSON with a `jwt`/`proof` field.
    `client`: the address of a public check (counted; raises throttle.Throttled past the limit)."""
    _count_public_check(session, client)
    try:
        token = _token_from(text)
    except _Unreadable as error:
        return _invalid(_reason(error), readable=False)
    try:
        claims = key_store().verify(token)
    except ValueError as error:
        return _invalid(_reason(error))
    vc = claims.get("vc")
    jti = claims.get("jti", "")
    if not isinstance(vc, dict) or not isinstance(jti, str):
        return _invalid(msg("it is signed by us but is not a credential"))
    public_id = jti.rsplit("/", 1)[-1]
    row = session.exec(select(Credential).where(Credential.public_id == public_id)).first()
    if row is None or row.jwt != token:
        return _invalid(msg("this career center has no record of issuing it"))
    subject = vc.get("credentialSubject", {})
    achievement = subject.get("achievement", {})
    details = dict(
        title=str(achievement.get("name", "")),
        student=str((subject.get("identifier") or [{}])[0].get("identityHash", "")),
        employer=str(achievement.get("creator", {}).get("name", "")),
        issuer=str(vc.get("issuer", {}).get("name", "")),
        issued_on=str(vc.get("validFrom", ""))[:10],
        skills=[str(s) for s in achievement.get("tag", [])],
        hours=str((subject.get("result") or [{}])[0].get("value", "")),
        public_id=public_id,
    )
    if row.revoked_at is not None:
        return Verification(
            status="revoked",
            message=msg("Revoked on {date}: {reason}", date=Day(row.revoked_at.date()), reason=row.revoked_reason),
            revoked_reason=row.revoked_reason,
            **details,
        )
    return Verification(status="valid", message=msg("Valid: signed by this career center and not revoked."), **details)


def _reason(error: Exception) -> str:
    """Why a check failed: the error's own message (a Text where we wrote it, kept as such)."""
    return error.args[0] if error.args and isinstance(error.args[0], str) else str(error)


def _token_from(text: str) -> str:
    """The JWT in what was given (itself, or the `jwt` of its JSON download); _Unreadable if none."""
    text = (text or "").strip()
    if not text:
        raise _Unreadable(msg("nothing that looks like a credential was given"))
    if len(text) > MAX_CREDENTIAL_CHARS:
        raise _Unreadable(msg("that is far too long to be a credential"))
    if not text.startswith("{"):
        return text
    try:
        data = json.loads(text)
    except ValueError as error:
        raise _Unreadable(msg("that JSON cannot be read ({problem})", problem=_json_problem(error))) from error
    except RecursionError as error:  # "[[[[..." nested thousands deep
        raise _Unreadable(msg("that JSON is nested far too deeply to be a credential")) from error
    if not isinstance(data, dict):
        raise _Unreadable(msg("nothing that looks like a credential was given"))
    proof = data.get("proof") if isinstance(data.get("proof"), dict) else {}
    candidate = data.get("jwt") or proof.get("jwt")
    if not isinstance(candidate, str) or not candidate.strip():
        raise _Unreadable(msg('that JSON has no "jwt" field holding the signed credential'))
    return candidate.strip()


def _json_problem(error: ValueError) -> str:
    """json's own words, without the character offsets a person cannot use."""
    if isinstance(error, json.JSONDecodeError):
        return msg("{problem} on line {line}", problem=error.msg.lower(), line=error.lineno)
    return str(error)


def verify_public_id(session: Session, public_id: str, *, client: str = "") -> Verification:
    """Verify by the link printed on a certificate (`client` as for verify)."""
    _count_public_check(session, client)
    row = session.exec(select(Credential).where(Credential.public_id == (public_id or "")[:40])).first()
    if row is None:
        return _invalid(msg("there is no credential with this link"))
    return verify(session, row.jwt)


def get_by_public_id(session: Session, public_id: str) -> Credential:
    """A credential for sharing: its link is the capability (like a certificate number)."""
    row = session.exec(select(Credential).where(Credential.public_id == (public_id or "")[:40])).first()
    if row is None:
        raise NotFound("That credential")
    return row


def revoke(session: Session, actor: User, public_id: str, reason: str) -> Credential:
    policy.require(policy.is_staff(actor), _("Only career-center staff can revoke credentials."))
    row = get_by_public_id(session, public_id)
    reason = clean_line(reason)
    if not reason:
        raise DomainError("Say why the credential is revoked.", "reason")
    if len(reason) > 300:
        raise DomainError("Use at most 300 characters.", "reason")
    if row.revoked_at is not None:
        raise DomainError("This credential is already revoked.")
    row.revoked_at = utcnow()
    row.revoked_reason = reason
    session.add(row)
    audit.record(session, actor, "credential.revoked", "credential", row.id, reason=reason)
    return row


def credential_json(row: Credential) -> dict:
    """The download: the signed JWT plus its decoded credential for people to read."""
    payload = row.jwt.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return {"jwt": row.jwt, "verify": verification_url(row.public_id), "credential": claims["vc"]}


def credentials_of_student(session: Session, actor: User) -> list[Credential]:
    policy.require(policy.is_student(actor), _("Only students have credentials."))
    return list(session.exec(select(Credential).where(Credential.student_id == actor.id).order_by(Credential.issued_at.desc())))


def engagement_credential(session: Session, engagement_id: int) -> Credential | None:
    return session.exec(select(Credential).where(Credential.engagement_id == engagement_id)).first()

"""Rows the demo seed and the tests' factories both make: accounts whose owner has confirmed their
address, the organization a manager's sign-up created, an employer the career center has vetted,
a student's profile filled in.

Accounts are made by the sign-up service; what has no service yet (following the mailed link,
vetting an employer) or would take a whole form (a profile) is written here, once, for every caller.
"""

from sqlmodel import Session, select

from microgigs.models import Membership, Organization, StudentProfile, User
from microgigs.services import accounts


def confirm_address(session: Session, user: User, confirmed: bool = True) -> User:
    """The owner followed the confirmation mail (that flow has its own tests): stands in for their mailbox."""
    user.email_verified = confirmed
    session.add(user)
    return user


def signed_up(session: Session, data: accounts.SignUp, *, confirmed: bool = True) -> User:
    """A new account through the sign-up service (a manager's comes with their new, pending
    organization), its address confirmed unless told otherwise."""
    user = accounts.sign_up(session, data)
    if user is None:  # the service's silent answer for a taken address
        raise ValueError(f"{data.email} already has an account")
    return confirm_address(session, user, confirmed)


def own_organization(session: Session, manager: User) -> Organization:
    """The organization a manager's sign-up created (their only membership)."""
    organization_id = session.exec(select(Membership.organization_id).where(Membership.user_id == manager.id)).one()
    return session.get(Organization, organization_id)


def vet(session: Session, organization: Organization, *, status: str = "approved", trusted: bool = True, **details) -> Organization:
    """The career center's verdict on an employer (no service for vetting employers yet);
    `details`: other columns to set with it (e.g. its description)."""
    organization.status, organization.trusted = status, trusted
    for name, value in details.items():
        setattr(organization, name, value)
    session.add(organization)
    return organization


def vetted_employer(
    session: Session, data: accounts.SignUp, *, status: str = "approved", trusted: bool = True, **details
) -> tuple[User, Organization]:
    """A manager signed up (address confirmed) whose new organization the career center has vetted."""
    manager = signed_up(session, data)
    return manager, vet(session, own_organization(session, manager), status=status, trusted=trusted, **details)


def fill_profile(session: Session, student: User, **fields) -> StudentProfile:
    """Set some fields of a student's profile as given (profiles.update_student_profile takes and
    checks the whole form; the seed and the tests' factories only want a few fields set)."""
    profile = session.get(StudentProfile, student.id)
    for name, value in fields.items():
        setattr(profile, name, value)
    session.add(profile)
    return profile

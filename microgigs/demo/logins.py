"""The demo accounts people sign in as: one published password, addresses on the demo domain
(which only a demo-mode install accepts), and the list the CLI and the sign-in page show."""

from dataclasses import dataclass

from microgigs.demo.content import EMPLOYERS, STAFF, STUDENT_NAMES
from microgigs.services import accounts

DEMO_PASSWORD = "demo-password-2026"
DEMO_DOMAIN = accounts.DEMO_EMAIL_DOMAIN
SIGN_IN_HINT = f"Demo: student1@{DEMO_DOMAIN} or manager1@{DEMO_DOMAIN}, password {DEMO_PASSWORD}"
STUDENT_COUNT = len(STUDENT_NAMES)


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class DemoLogin:
    role: str  # student | manager | staff
    email: str
    who: str  # a few words on what this account shows


def demo_logins() -> list[DemoLogin]:
    """Every demo account, in the order people are most likely to want them."""
    logins = [DemoLogin("staff", demo_email(STAFF["local"]), "career-center staff")]
    for number, employer in enumerate(EMPLOYERS, start=1):
        logins.append(DemoLogin("manager", demo_email(f"manager{number}"), f"manager, {employer['name']}"))
    for number in range(1, STUDENT_COUNT + 1):
        who = {1: "student with work under way", STUDENT_COUNT: "student, nothing applied to yet"}.get(number, "student")
        logins.append(DemoLogin("student", demo_email(f"student{number}"), who))
    return logins


DEMO_LOGINS = tuple(demo_logins())

"""The demo data's names where callers have always imported them; the demo lives in microgigs/demo/."""

from microgigs.demo.content import EMPLOYERS, STAFF
from microgigs.demo.logins import DEMO_DOMAIN, DEMO_LOGINS, DEMO_PASSWORD, SIGN_IN_HINT, STUDENT_COUNT, DemoLogin, demo_email, demo_logins
from microgigs.demo.seed import NOT_IN_DEMO_MODE, DemoSummary, seed_demo

__all__ = [
    "DEMO_DOMAIN",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "EMPLOYERS",
    "NOT_IN_DEMO_MODE",
    "SIGN_IN_HINT",
    "STAFF",
    "STUDENT_COUNT",
    "DemoLogin",
    "DemoSummary",
    "demo_email",
    "demo_logins",
    "seed_demo",
]

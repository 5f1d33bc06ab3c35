"""App assembly: the Reflex app, our HTTP routes, and every page. Nothing else."""

import reflex as rx

from microgigs import jobs
from microgigs.http.app import build_api
from microgigs.http.limits import limit_request_size
from microgigs.pages import (
    certificate,
    dashboard,
    disputes,
    engagement,
    gig_detail,
    home,
    insights,
    login,
    manage_gig,
    my_credentials,
    post_gig,
    review,
    signup,
    verify,
)
from microgigs.pages import account, join, organization, password_reset, profile, staff_audit, staff_employers, staff_skills, verify_email
from microgigs.pages import moderation as moderation_pages
from microgigs.pages import saved as saved_pages

app = rx.App(
    stylesheets=["/styles.css"],
    # Our Starlette routes (auth, files, health) around Reflex; the size limit wraps both.
    api_transformer=[build_api(), limit_request_size],
)

for page in (home, login, signup, gig_detail, post_gig, dashboard, manage_gig, engagement, verify, certificate, my_credentials, review, insights, disputes):
    page.register(app)
# Accounts, employer onboarding, profiles and privacy (issue 3).
for page in (moderation_pages, saved_pages):
    page.register(app)
for page in (account, password_reset, verify_email, join, organization, profile, staff_employers, staff_skills, staff_audit):
    page.register(app)

# Expiring gigs, reminders and other timed rules run inside this one process.
app.register_lifespan_task(jobs.scheduler)

"""App assembly: the Reflex app, our HTTP routes, and every page. Nothing else."""

import reflex as rx

from microgigs import jobs
from microgigs.http.app import build_api
from microgigs.http.limits import limit_request_size
from microgigs.pages import admin_outbox, dashboard, engagement, gig_detail, home, login, manage_gig, post_gig, signup

app = rx.App(
    stylesheets=["/styles.css"],
    # Our Starlette routes (auth, files, health) around Reflex; the size limit wraps both.
    api_transformer=[build_api(), limit_request_size],
)

for page in (home, login, signup, gig_detail, post_gig, dashboard, manage_gig, engagement, admin_outbox):
    page.register(app)

# Expiring gigs, reminders and other timed rules run inside this one process.
app.register_lifespan_task(jobs.scheduler)

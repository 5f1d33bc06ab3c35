"""App assembly: the Reflex app, our HTTP routes, and every page. Nothing else."""

import reflex as rx

# `metrics` chooses prometheus_client's multiprocess folder as it is imported: it must come before
# anything else of ours imports prometheus_client (Reflex itself does not).
from microgigs import gc_tuning, jobs, live, logs, mail_worker, metrics
from microgigs.components.installable_head import installable_head
from microgigs.http.app import build_api
from microgigs.http.assets import serve_built_assets
from microgigs.http.board_first_page import serve_board_first_page
from microgigs.http.forwarded_scheme import trust_forwarded_scheme
from microgigs.http.i18n import CATALOG_PATH
from microgigs.http.limits import limit_request_size
from microgigs.http.observe import observe_requests
from microgigs.http.public_address import accept_own_origin_in_demo, explain_wrong_host
from microgigs.http.security_headers import add_security_headers
from microgigs.http.sign_in_mark import BROWSER_SCRIPT as SIGN_IN_MARK_SCRIPT
from microgigs.pages import (
    account,
    admin_outbox,
    admin_settings,
    center_pages,
    certificate,
    check_email,
    dashboard,
    disputes,
    earnings,
    evidence,
    gig_detail,
    home,
    insights,
    join,
    login,
    manage_gig,
    moderation,
    my_credentials,
    not_found,
    notifications,
    organization,
    password_reset,
    payments,
    portfolio,
    post_gig,
    preview_gig,
    profile,
    public_portfolio,
    receipt,
    review,
    saved,
    signup,
    staff_audit,
    staff_employers,
    staff_hub,
    staff_money,
    staff_skills,
    staff_student,
    verify,
    verify_email,
    workspace,
)
from microgigs.state import client_storage_reset, fresh_snapshot
from microgigs.state.event_observer import EventObserver
from microgigs.state.field_defaults import copy_defaults_cheaply
from microgigs.state.session import SessionState
from microgigs.state.tab_identity import TabIdentityMiddleware

app = rx.App(
    stylesheets=["/styles.css"],
    # Runs before Reflex's scripts on every page load: after a sign-in or sign-out the tab takes a
    # new Reflex token, and the browser's other tabs reload (microgigs/http/sign_in_mark.py).
    head_components=[
        rx.el.script(SIGN_IN_MARK_SCRIPT),
        # mgT(): every page's texts in the viewer's language (http/i18n.py, components/i18n.py).
        rx.el.script(src=CATALOG_PATH),
        # The web app manifest, theme colour, iOS icon and the service worker (components/installable_head.py).
        *installable_head(),
    ],
    # Our Starlette routes (auth, files, health, credentials, exports) around Reflex; the size limit
    # wraps both; the built frontend's hashed /assets/ files are answered before any of it, and
    # the board's page is sent with its first page of gigs in the HTML; the security headers go
    # on every response of all of these (the last wrapper is the outermost). A page asked for by
    # another host name than the public URL's says which address to open (http/public_address.py).
    # Behind a trusted proxy the scheme is the one people used (http/forwarded_scheme.py).
    # Outermost of all: each request's id on its log lines and its time (http/observe.py).
    api_transformer=[
        build_api(),
        limit_request_size,
        serve_board_first_page,
        serve_built_assets,
        explain_wrong_host,
        add_security_headers,
        trust_forwarded_scheme,
        observe_requests,
    ],
)
accept_own_origin_in_demo(app)

PAGES = (
    # gigs and the board
    home,
    gig_detail,
    post_gig,
    preview_gig,
    saved,
    moderation,
    # accounts
    login,
    signup,
    check_email,
    account,
    password_reset,
    verify_email,
    join,
    profile,
    organization,
    # the work
    dashboard,
    manage_gig,
    workspace,
    notifications,
    review,
    disputes,
    # credentials
    my_credentials,
    certificate,
    verify,
    # portfolio and public evidence
    portfolio,
    public_portfolio,
    evidence,
    # money
    payments,
    receipt,
    earnings,
    staff_money,
    # career-center staff
    staff_hub,
    staff_employers,
    staff_skills,
    staff_audit,
    staff_student,
    insights,
    admin_outbox,
    admin_settings,
    # the center's help, terms and privacy pages
    center_pages,
    # any other address
    not_found,
)
for page in PAGES:
    page.register(app)
# Every state is defined by now: give their empty-list and similar defaults cheap copies per tab.
copy_defaults_cheaply(rx.State)
# A new tab's snapshot skips the page states it never used (state/fresh_snapshot.py).
fresh_snapshot.install(SessionState)
# Hydrate's reset of browser-stored vars knows which those are per state class.
client_storage_reset.install()

# Log lines as JSON when MICROGIGS_LOG_FORMAT=json, set once the server has set up its own (logs.py).
app.register_lifespan_task(logs.configure)
# Once loaded, each worker keeps the garbage collector off what it loaded (gc_tuning.py).
app.register_lifespan_task(gc_tuning.tune_when_serving)
# Expiring gigs, reminders and other timed rules run inside this one process.
app.register_lifespan_task(jobs.scheduler)
# Queued mail leaves from here (with retries), never from the action that wrote it.
app.register_lifespan_task(mail_worker.worker)
# Each worker's count of open tabs for /metrics (metrics.py).
app.register_lifespan_task(metrics.keep_counting_tabs)

# Committed changes -> pushes to the open pages that show them (microgigs/live.py).
live.install(app)

# A tab's state is reset before any event when someone else is behind the cookie (shared computers).
app.add_middleware(TabIdentityMiddleware())
# First of all: each event's time (the others' work included) and its id on its log lines.
app.add_middleware(EventObserver(), index=0)
app.add_middleware(fresh_snapshot.FreshSnapshotMiddleware())

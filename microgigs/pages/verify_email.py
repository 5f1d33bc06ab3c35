"""The answer to a clicked email-confirmation link (the route has already done the work)."""

import reflex as rx

from microgigs.components.forms import form_alert
from microgigs.components.layout import page_layout
from microgigs.components.panels import notice
from microgigs.state.account import VerifyEmailState as S


def verify_email() -> rx.Component:
    return page_layout(
        notice(S.notice),
        form_alert(S.error),
        rx.text(
            rx.cond(S.signed_in, rx.link("Go to your account", href="/account"), rx.link("Sign in", href="/login")),
            size="2",
        ),
        heading="Email confirmation",
    )


def register(app: rx.App) -> None:
    app.add_page(verify_email, route="/verify-email", title="Email confirmation · MicroGigs", on_load=S.load_verify)

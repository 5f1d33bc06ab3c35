"""Where every sign-up lands: the same words whether the address was new or already had an
account, so the page never tells which (the mail sent there does)."""

import reflex as rx

from microgigs.components.layout import page_layout
from microgigs.components.panels import callout
from microgigs.components.titles import page_title
from microgigs.services.account_security import SIGN_UP_SENT, VERIFY_HOURS


def check_email() -> rx.Component:
    return page_layout(
        callout("mail", SIGN_UP_SENT, color="green", role="status"),
        rx.text(
            f"The link works for {VERIFY_HOURS} hours and signs you in. No mail after a few minutes? Check your spam folder.", size="2"
        ),
        rx.text(
            "Already have an account? ",
            rx.link("Sign in", href="/login", underline="always"),
            " or ",
            rx.link("reset your password", href="/forgot-password", underline="always"),
            ".",
            size="2",
        ),
        heading="Check your email",
    )


def register(app: rx.App) -> None:
    app.add_page(check_email, route="/check-email", title=page_title("Check your email"))

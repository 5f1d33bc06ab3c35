"""Where every sign-up lands: the same words whether the address was new or already had an
account, so the page never tells which (the mail sent there does)."""

import reflex as rx

from microgigs.components.i18n import t, translated
from microgigs.components.layout import page_layout
from microgigs.components.panels import callout
from microgigs.components.titles import page_title
from microgigs.services.account_security import SIGN_UP_SENT, VERIFY_HOURS
from microgigs.state.shell import ShellState


def check_email() -> rx.Component:
    return page_layout(
        # SIGN_UP_SENT is marked with _() where it is defined (the catalogue holds it).
        callout("mail", translated(SIGN_UP_SENT), color="green", role="status"),
        rx.text(
            t(
                "The link works for {hours} hours and signs you in. No mail after a few minutes? Check your spam folder.",
                hours=VERIFY_HOURS,
            ),
            size="2",
        ),
        rx.text(
            t("Already have an account?"),
            " ",
            rx.link(t("Sign in"), href="/login", underline="always"),
            " · ",
            rx.link(t("Reset your password"), href="/forgot-password", underline="always"),
            size="2",
        ),
        heading=t("Check your email"),
    )


def register(app: rx.App) -> None:
    app.add_page(check_email, route="/check-email", title=page_title("Check your email"), on_load=ShellState.load_shell)

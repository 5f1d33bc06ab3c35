"""Forgot password (ask for an emailed link) and reset password (choose a new one from it)."""

import reflex as rx

from microgigs.components.forms import email_input, form_alert, password_input, post_form_column, submit_button
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import loading_note, narrow_card, notice, stack
from microgigs.components.titles import page_title
from microgigs.components.url_object import shows_this_url
from microgigs.state.account import ForgotPasswordState as F
from microgigs.state.account import ResetPasswordState as R


def forgot_password() -> rx.Component:
    return page_layout(
        narrow_card(
            notice(F.notice),
            rx.text(
                t("Enter the email address of your account. We will mail you a link to choose a new password."),
                as_="p",
                size="2",
            ),
            post_form_column(
                email_input(t("Email address"), default_value=F.email, error=F.error_email),
                submit_button(t("Send me a link"), width="100%"),
                action="/auth/forgot-password",
                key=F.form_key,
                aria_label=t("Reset your password"),
            ),
            rx.text(rx.link(t("Back to sign in"), href="/login"), size="2"),
        ),
        heading=t("Forgot your password?"),
    )


def reset_password() -> rx.Component:
    return page_layout(
        narrow_card(
            rx.cond(
                # Never the form of another reset link (its hidden token) while this one is checked.
                shows_this_url(R),
                rx.cond(
                    R.link_error != "",
                    stack(form_alert(R.link_error), rx.text(rx.link(t("Ask for a new link"), href="/forgot-password"), size="2")),
                    post_form_column(
                        password_input(
                            t("New password"),
                            "password",
                            new=True,
                            hint=t("At least 10 characters, not a common password."),
                            error=R.error_password,
                        ),
                        rx.el.input(type="hidden", name="token", value=R.token),
                        submit_button(t("Set new password"), width="100%"),
                        action="/auth/reset-password",
                        key=R.form_key,
                        aria_label=t("Choose a new password"),
                    ),
                ),
                loading_note(t("Checking your link…")),
            ),
        ),
        heading=t("Choose a new password"),
    )


def register(app: rx.App) -> None:
    app.add_page(forgot_password, route="/forgot-password", title=page_title("Forgot password"), on_load=F.load_forgot)
    app.add_page(reset_password, route="/reset-password", title=page_title("New password"), on_load=R.load_reset)

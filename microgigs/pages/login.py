"""Sign in: a plain form post to /auth/login, which sets the HttpOnly session cookie."""

import reflex as rx

from microgigs.components.forms import email_input, form_alert, password_input, post_form_column, submit_button
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import narrow_card, notice, stack
from microgigs.components.titles import page_title
from microgigs.state.auth_forms import LoginState
from microgigs.state.session import SessionState


def login_form() -> rx.Component:
    return post_form_column(
        notice(LoginState.notice),
        form_alert(LoginState.error),
        email_input(t("Email address"), default_value=LoginState.email),
        password_input(t("Password"), "password"),
        rx.el.input(type="hidden", name="next", value=LoginState.next_path),
        submit_button(t("Sign in"), width="100%"),
        action="/auth/login",
        key=LoginState.form_key,
        aria_label=t("Sign in"),
    )


def campus_sign_in() -> rx.Component:
    """One button per configured campus provider: plain links to our OIDC start route."""
    return rx.cond(
        LoginState.sso_options.length() > 0,
        stack(
            rx.foreach(
                LoginState.sso_options,
                lambda option: rx.button(
                    # reload_document: rx.el.a is React Router's Link; our route needs a real page load.
                    rx.el.a(option["label"], href=option["href"] + "?next=" + LoginState.next_path, reload_document=True),
                    as_child=True,
                    size="3",
                    variant="outline",
                    width="100%",
                ),
            ),
            rx.text(t("or sign in with your email and password"), size="2", color_scheme="gray", align="center", width="100%"),
        ),
    )


def login() -> rx.Component:
    return page_layout(
        narrow_card(
            rx.cond(
                LoginState.signed_in,
                rx.callout(
                    rx.text(
                        t("You are signed in as {name}.", name=LoginState.user_name),
                        " ",
                        rx.link(t("Go to your dashboard"), href="/dashboard", underline="always"),
                    ),
                    icon="info",
                    width="100%",
                ),
            ),
            campus_sign_in(),
            login_form(),
            rx.text(rx.link(t("Forgot your password?"), href="/forgot-password", underline="always"), size="2"),
            rx.text(
                t("New to {name}?", name=SessionState.center_name),
                " ",
                rx.link(t("Create an account"), href="/signup", underline="always"),
                size="2",
            ),
            rx.cond(LoginState.demo_hint != "", rx.text(LoginState.demo_hint, size="1", color_scheme="gray")),
        ),
        heading=t("Sign in"),
    )


def register(app: rx.App) -> None:
    app.add_page(login, route="/login", title=page_title("Sign in"), on_load=LoginState.load_login)

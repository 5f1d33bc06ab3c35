"""Sign up as a student or as an employer's manager: a plain form post to /auth/signup."""

import reflex as rx

from microgigs.components.forms import (
    email_input,
    error_id,
    field_error,
    form_alert,
    password_input,
    post_form_column,
    submit_button,
    text_input,
)
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import narrow_card, stack
from microgigs.components.titles import page_title
from microgigs.state.auth_forms import SignupState

ROLE_LEGEND_ID = "signup-role-legend"


def _err(name: str) -> rx.Var:
    return SignupState.errors.get(name, "")


def role_choice() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.text(t("I am…"), size="2", weight="medium"), id=ROLE_LEGEND_ID, style={"margin_bottom": "var(--space-2)"}),
        rx.radio_group.root(
            rx.flex(
                rx.radio_group.item(t("a student looking for gigs"), value="student"),
                rx.radio_group.item(t("hiring for an employer"), value="manager"),
                direction="column",
                spacing="2",
            ),
            name="role",
            # Uncontrolled, so a click shows at once; the state only learns the choice
            # to show or hide the employer fields.
            default_value=SignupState.role,
            on_change=SignupState.set_role,
            size="3",
            aria_labelledby=ROLE_LEGEND_ID,
            aria_describedby=error_id("role"),
        ),
        field_error("role", _err("role")),
        style={"border": "none", "padding": "0", "margin": "0", "min_width": "0"},
        width="100%",
    )


def employer_fields() -> rx.Component:
    return stack(
        text_input(
            t("Organization name"),
            "organization_name",
            error=_err("organization_name"),
            hint=t("Your organization is reviewed by the career center before it can post gigs."),
            default_value=SignupState.organization_name,
            auto_complete="organization",
            max_length=120,
        ),
        text_input(
            t("Organization website"),
            "organization_website",
            type="url",
            optional=True,
            error=_err("organization_website"),
            default_value=SignupState.organization_website,
            auto_complete="url",
            placeholder="https://",
            max_length=300,
        ),
        spacing="4",
    )


def signup_form() -> rx.Component:
    return post_form_column(
        form_alert(SignupState.error),
        form_alert(SignupState.error_count_text),
        role_choice(),
        text_input(
            t("Your name"),
            "display_name",
            error=_err("display_name"),
            default_value=SignupState.display_name,
            auto_complete="name",
            max_length=100,
        ),
        # Not marked required: our own messages, listed above the form and under each field, say what is missing.
        email_input(t("Email address"), required=None, error=_err("email"), default_value=SignupState.email),
        password_input(
            t("Password"),
            "password",
            new=True,
            required=None,
            error=_err("password"),
            hint=t("At least 10 characters. A short sentence is easy to remember and hard to guess."),
        ),
        rx.cond(SignupState.is_employer, employer_fields()),
        rx.text(
            # Two sentences whose link ends each: the same order in Spanish.
            t("By creating an account you agree to the"),
            " ",
            rx.link(t("terms of use"), href="/terms", underline="always"),
            ". ",
            t("What is kept about you is in the"),
            " ",
            rx.link(t("privacy notice"), href="/privacy", underline="always"),
            ".",
            as_="p",
            size="2",
        ),
        submit_button(t("Create account"), width="100%"),
        action="/auth/signup",
        key=SignupState.form_key,
        aria_label=t("Create an account"),
    )


def signup() -> rx.Component:
    return page_layout(
        narrow_card(
            signup_form(),
            rx.text(t("Already have an account?"), " ", rx.link(t("Sign in"), href="/login", underline="always"), size="2"),
            max_width="32rem",
        ),
        heading=t("Create an account"),
    )


def register(app: rx.App) -> None:
    app.add_page(signup, route="/signup", title=page_title("Create an account"), on_load=SignupState.load_signup)

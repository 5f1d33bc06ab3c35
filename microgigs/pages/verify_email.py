"""Confirming an email address: the mailed link opens this page, whose button posts the token
to /auth/verify (confirming and signing in on a plain GET would let any page sign a visitor in
as someone else). The route comes back here with the outcome."""

import reflex as rx

from microgigs.components.forms import post_form_column, submit_button
from microgigs.components.i18n import t
from microgigs.components.layout import form_page
from microgigs.components.titles import page_title
from microgigs.state.account import VerifyEmailState as S


def confirm_form() -> rx.Component:
    return post_form_column(
        rx.text(t("Confirm that this email address is yours to finish signing up. You will be signed in."), as_="p", size="2"),
        rx.el.input(type="hidden", name="token", value=S.token),
        submit_button(t("Confirm my email address")),
        action="/auth/verify",
        spacing="3",
        aria_label=t("Confirm your email address"),
    )


def verify_email() -> rx.Component:
    return form_page(
        S,
        rx.cond((S.token != "") & (S.notice == ""), confirm_form()),
        rx.cond(
            S.token == "",
            rx.text(
                rx.cond(S.signed_in, rx.link(t("Go to your account"), href="/account"), rx.link(t("Sign in"), href="/login")), size="2"
            ),
        ),
        heading=t("Email confirmation"),
        loading=t("Checking your link…"),
    )


def register(app: rx.App) -> None:
    app.add_page(verify_email, route="/verify-email", title=page_title("Email confirmation"), on_load=S.load_verify)

"""Confirming an email address: the mailed link opens this page, whose button posts the token
to /auth/verify (confirming and signing in on a plain GET would let any page sign a visitor in
as someone else). The route comes back here with the outcome."""

import reflex as rx

from microgigs.components.forms import form_alert, post_form, submit_button
from microgigs.components.layout import page_layout
from microgigs.components.panels import loading_note, notice
from microgigs.state.account import VerifyEmailState as S


def confirm_form() -> rx.Component:
    return post_form(
        rx.vstack(
            rx.text("Confirm that this email address is yours to finish signing up. You will be signed in.", as_="p", size="2"),
            rx.el.input(type="hidden", name="token", value=S.token),
            submit_button("Confirm my email address"),
            spacing="3",
            width="100%",
        ),
        action="/auth/verify",
        aria_label="Confirm your email address",
        width="100%",
    )


def verify_email() -> rx.Component:
    return page_layout(
        rx.cond(
            S.loaded,
            rx.vstack(
                notice(S.notice),
                form_alert(S.error),
                rx.cond((S.token != "") & (S.notice == ""), confirm_form()),
                rx.cond(
                    S.token == "",
                    rx.text(
                        rx.cond(S.signed_in, rx.link("Go to your account", href="/account"), rx.link("Sign in", href="/login")),
                        size="2",
                    ),
                ),
                spacing="4",
                width="100%",
            ),
            loading_note("Checking your link…"),
        ),
        heading="Email confirmation",
    )


def register(app: rx.App) -> None:
    app.add_page(verify_email, route="/verify-email", title="Email confirmation · MicroGigs", on_load=S.load_verify)

"""Join an organization from an emailed invitation: as the signed-in account, or a new one."""

import reflex as rx

from microgigs.components.forms import form_alert, password_input, post_form_column, submit_button, text_input
from microgigs.components.i18n import t
from microgigs.components.layout import link_button, page_layout
from microgigs.components.panels import loading_note, stack
from microgigs.components.titles import page_title
from microgigs.components.url_object import shows_this_url
from microgigs.state.account import JoinState as S
from microgigs.state.session import SessionState


def sign_in_first() -> rx.Component:
    """The invited address has an account: accepting happens signed in as it."""
    return stack(
        rx.text(t("You are invited to manage gigs for {organization}.", organization=S.organization), as_="p", size="2"),
        rx.text(t("Sign in as {email} to accept. Nothing changes until you do.", email=S.invited_email), as_="p", size="2"),
        link_button(t("Sign in to accept"), S.sign_in_href, size="3", width="100%"),
        spacing="4",
    )


def join_form() -> rx.Component:
    return post_form_column(
        form_alert(S.error),
        rx.text(
            t("You are invited to manage gigs for {organization} as {email}.", organization=S.organization, email=S.invited_email),
            as_="p",
            size="2",
        ),
        rx.cond(
            S.signed_in,
            rx.fragment(),
            stack(
                text_input(
                    t("Your name"),
                    "display_name",
                    auto_complete="name",
                    required=True,
                    max_length=100,
                    default_value=S.display_name,
                    error=S.error_display_name,
                ),
                password_input(t("Choose a password"), "password", new=True, hint=t("At least 10 characters."), error=S.error_password),
            ),
        ),
        rx.el.input(type="hidden", name="token", value=S.token),
        rx.el.input(type="hidden", name="invitation_id", value=S.invitation_id),
        submit_button(t("Join the team"), width="100%"),
        action="/auth/join",
        key=S.form_key,
        aria_label=t("Join the team"),
    )


def join() -> rx.Component:
    return page_layout(
        rx.card(
            rx.cond(
                shows_this_url(S),
                rx.cond(
                    S.link_error != "",
                    form_alert(S.link_error),
                    rx.cond(S.has_account & ~S.signed_in, sign_in_first(), join_form()),
                ),
                loading_note(t("Checking your invitation…")),
            ),
            size="3",
            width="100%",
            max_width="28rem",
        ),
        heading=t("Join your team on {center}", center=SessionState.center_name),
    )


def register(app: rx.App) -> None:
    app.add_page(join, route="/join", title=page_title("Join your team"), on_load=S.load_join)

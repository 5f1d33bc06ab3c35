"""Account settings: confirm the email address, change the password, choose your emails, sign
out everywhere, download your data, delete your account. Each form is a plain post to our routes."""

import reflex as rx

from microgigs.components.forms import password_input, post_form, post_form_column, submit_button
from microgigs.components.layout import form_page
from microgigs.components.panels import inline_error, notice, section
from microgigs.state.account import AccountState as S
from microgigs.state.saved_searches import MailChoicesState as Choices


def email_section() -> rx.Component:
    return section(
        "Email address",
        rx.text(rx.text("Your email: ", as_="span", color="var(--gray-11)"), S.email, as_="p", size="2"),
        rx.cond(
            S.email_verified,
            rx.text("Confirmed.", as_="p", size="2", weight="medium"),
            rx.vstack(
                rx.text(
                    "Not confirmed yet: open the link we mailed you. Until then this account can do nothing else: "
                    "no applying, posting, joining a team or payouts.",
                    as_="p",
                    size="2",
                ),
                post_form(
                    rx.button("Send a new confirmation link", type="submit", variant="soft"),
                    action="/auth/resend-verification",
                    aria_label="Send a new confirmation link",
                ),
                spacing="2",
            ),
        ),
    )


def password_section() -> rx.Component:
    return section(
        "Change your password",
        post_form_column(
            password_input("Current password", "current_password", error=S.error_current_password),
            password_input(
                "New password",
                "new_password",
                new=True,
                hint="At least 10 characters. Your other devices will be signed out.",
                error=S.error_new_password,
            ),
            submit_button("Change password"),
            action="/auth/change-password",
            spacing="3",
            max_width="28rem",
            aria_label="Change your password",
        ),
    )


def devices_section() -> rx.Component:
    return section(
        "Signed-in devices",
        rx.text("Lost a phone or used a shared computer? Sign out on every device, this one included.", as_="p", size="2"),
        post_form(
            rx.button("Sign out everywhere", type="submit", variant="soft", color_scheme="red", high_contrast=True),
            action="/auth/logout-everywhere",
            aria_label="Sign out everywhere",
        ),
    )


def data_section() -> rx.Component:
    return section(
        "Your data",
        rx.cond(
            S.email_verified,
            rx.text(
                "Download everything MicroGigs keeps about you as a JSON file. ",
                rx.el.a(
                    "Download my data (JSON)",
                    href="/account/export.json",
                    reload_document=True,
                    download="microgigs-my-data.json",
                    class_name="rt-Text rt-Link",
                ),
                as_="p",
                size="2",
            ),
        ),
        rx.cond(
            S.may_delete,
            post_form_column(
                rx.heading("Delete your account", as_="h3", size="3"),
                rx.text(
                    "Your name, email, profile, photo and school details are erased and you are signed out everywhere. "
                    "Finished work and payments stay on record without your name.",
                    as_="p",
                    size="2",
                ),
                password_input("Your password, to confirm", "delete_password", error=S.error_delete_password),
                rx.button("Delete my account", type="submit", color_scheme="red", variant="soft", high_contrast=True),
                action="/account/delete",
                spacing="3",
                max_width="28rem",
                aria_label="Delete your account",
            ),
        ),
    )


def _choice(label: str, kind: str, checked) -> rx.Component:
    label_id = f"mail-choice-{kind}-label"
    return rx.text(
        rx.flex(
            # Radix's checkbox is a button: a wrapping <label> does not name it, aria-labelledby does.
            rx.checkbox(checked=checked, on_change=lambda on: Choices.set_choice(kind, on), size="2", aria_labelledby=label_id),
            rx.el.span(label, id=label_id),
            spacing="2",
            align="center",
        ),
        as_="label",
        size="2",
    )


def emails_section() -> rx.Component:
    return rx.cond(
        Choices.shown,
        section(
            "Emails",
            notice(Choices.choices_notice),
            inline_error(Choices.choices_error),
            rx.cond(
                Choices.student,
                rx.fragment(
                    _choice("Weekly email of gigs recommended for my skills", "digest", Choices.weekly_digest),
                    _choice("Email me about new gigs matching my saved searches", "alerts", Choices.alert_mail),
                ),
            ),
            _choice("Email me a copy of my notifications", "notifications", Choices.notification_mail),
        ),
    )


def account() -> rx.Component:
    return form_page(
        S,
        rx.cond(S.email_verified, rx.text(rx.link("Edit your profile", href="/profile"), as_="p", size="2")),
        email_section(),
        rx.cond(S.email_verified, password_section()),
        emails_section(),
        devices_section(),
        data_section(),
        heading="Your account",
        loading="Loading your account…",
        spacing="6",
        key=S.form_key,
    )


def register(app: rx.App) -> None:
    app.add_page(account, route="/account", title="Your account · MicroGigs", on_load=[S.load_account, Choices.load_choices])

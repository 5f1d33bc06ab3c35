"""Account settings: confirm the email address, change the password, choose your emails, sign
out everywhere, your private calendar link, download your data, delete your account. Each form is
a plain post to our routes; the calendar link's buttons are events (the link is shown once, in this tab)."""

import reflex as rx

from microgigs.components.forms import form_alert, password_input, post_form, post_form_column, submit_button
from microgigs.components.i18n import t
from microgigs.components.layout import form_page
from microgigs.components.panels import inline_error, notice, section
from microgigs.components.titles import page_title
from microgigs.state.account import AccountState as S
from microgigs.state.calendar_link import CalendarLinkState as C
from microgigs.state.saved_searches import MailChoicesState as Choices
from microgigs.state.session import SessionState

CALENDAR_URL_ID = "calendar-feed-url"


def email_section() -> rx.Component:
    return section(
        t("Email address"),
        rx.text(rx.text(t("Your email:"), as_="span", color="var(--gray-11)"), " ", S.email, as_="p", size="2"),
        rx.cond(
            S.email_verified,
            rx.text(t("Confirmed."), as_="p", size="2", weight="medium"),
            rx.vstack(
                rx.text(
                    t(
                        "Not confirmed yet: open the link we mailed you. Until then this account can do nothing else: "
                        "no applying, posting, joining a team or payouts."
                    ),
                    as_="p",
                    size="2",
                ),
                post_form(
                    rx.button(t("Send a new confirmation link"), type="submit", variant="soft"),
                    action="/auth/resend-verification",
                    aria_label=t("Send a new confirmation link"),
                ),
                spacing="2",
            ),
        ),
    )


def password_section() -> rx.Component:
    return section(
        t("Change your password"),
        post_form_column(
            password_input(t("Current password"), "current_password", error=S.error_current_password),
            password_input(
                t("New password"),
                "new_password",
                new=True,
                hint=t("At least 10 characters. Your other devices will be signed out."),
                error=S.error_new_password,
            ),
            submit_button(t("Change password")),
            action="/auth/change-password",
            spacing="3",
            max_width="28rem",
            aria_label=t("Change your password"),
        ),
    )


def devices_section() -> rx.Component:
    return section(
        t("Signed-in devices"),
        rx.text(t("Lost a phone or used a shared computer? Sign out on every device, this one included."), as_="p", size="2"),
        post_form(
            rx.button(t("Sign out everywhere"), type="submit", variant="soft", color_scheme="red", high_contrast=True),
            action="/auth/logout-everywhere",
            aria_label=t("Sign out everywhere"),
        ),
    )


def _revoke_calendar_link() -> rx.Component:
    """ "Revoke link" behind a confirmation: calendars subscribed to it get nothing more."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button(t("Revoke link"), type="button", color_scheme="red", variant="outline", size="2")),
        rx.alert_dialog.content(
            rx.alert_dialog.title(t("Revoke your calendar link?")),
            rx.alert_dialog.description(
                t("Calendars subscribed to it stop getting your dates at once. You can make a new link later."), size="2"
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(t("Keep it"), variant="soft", color_scheme="gray", type="button")),
                rx.alert_dialog.action(
                    rx.button(t("Yes, revoke it"), color_scheme="red", high_contrast=True, type="button", on_click=C.revoke_calendar_link)
                ),
                spacing="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
    )


def _calendar_url_box() -> rx.Component:
    """The link, right after it was made: read-only, with a Copy button and how to subscribe."""
    return rx.vstack(
        rx.el.label(t("Your calendar link"), html_for=CALENDAR_URL_ID, style={"font_size": "var(--font-size-2)", "font_weight": "500"}),
        rx.input(id=CALENDAR_URL_ID, value=C.link_url, read_only=True, width="100%", size="3"),
        # Written by the page itself (a clipboard write sent by the server is refused by the CSP).
        rx.button(
            t("Copy calendar link"), type="button", on_click=[rx.set_clipboard(C.link_url), C.copy_calendar_link], variant="soft", size="2"
        ),
        rx.text(
            t(
                "To subscribe: in Google Calendar, choose Other calendars, then From URL; on an iPhone or Mac, "
                "File or Settings, then New Calendar Subscription; in Outlook, Add calendar, then Subscribe from web. "
                "Paste the link. Anyone who has it can see these dates, so keep it to yourself."
            ),
            as_="p",
            size="2",
        ),
        spacing="2",
        width="100%",
    )


def calendar_section() -> rx.Component:
    return section(
        t("Calendar feed"),
        rx.text(
            rx.cond(
                C.is_student,
                t(
                    "Follow your dates in your own calendar app: application deadlines of the gigs you saved, "
                    "due dates of your work and its milestones."
                ),
                t(
                    "Follow your dates in your own calendar app: application deadlines of your gigs, "
                    "due dates of your engagements and their milestones."
                ),
            ),
            as_="p",
            size="2",
        ),
        notice(C.notice),
        form_alert(C.error),
        rx.cond(
            C.link_url != "",
            _calendar_url_box(),
            rx.cond(
                C.has_link,
                rx.text(
                    t(
                        "You have a calendar link, made on {date}. It is shown only when made: "
                        "to see a link again, replace it (the old one stops working).",
                        date=C.made_on,
                    ),
                    as_="p",
                    size="2",
                ),
            ),
        ),
        rx.cond(
            C.has_link,
            rx.flex(
                rx.button(t("Replace link"), type="button", variant="soft", size="2", on_click=C.replace_calendar_link),
                _revoke_calendar_link(),
                spacing="3",
                wrap="wrap",
            ),
            rx.button(t("Create calendar link"), type="button", size="2", on_click=C.create_calendar_link),
        ),
        id="calendar",
    )


def data_section() -> rx.Component:
    return section(
        t("Your data"),
        rx.cond(
            S.email_verified,
            rx.text(
                t("Download everything {center} keeps about you as a JSON file.", center=SessionState.center_name),
                " ",
                rx.el.a(
                    t("Download my data (JSON)"),
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
                rx.heading(t("Delete your account"), as_="h3", size="3"),
                rx.text(
                    t(
                        "Your name, email, profile, photo and school details are erased and you are signed out everywhere. "
                        "Finished work and payments stay on record without your name."
                    ),
                    as_="p",
                    size="2",
                ),
                password_input(t("Your password, to confirm"), "delete_password", error=S.error_delete_password),
                rx.button(t("Delete my account"), type="submit", color_scheme="red", variant="soft", high_contrast=True),
                action="/account/delete",
                spacing="3",
                max_width="28rem",
                aria_label=t("Delete your account"),
            ),
        ),
    )


def _choice(label: rx.Var, kind: str, checked) -> rx.Component:
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
            t("Emails"),
            notice(Choices.choices_notice),
            inline_error(Choices.choices_error),
            rx.cond(
                Choices.student,
                rx.fragment(
                    _choice(t("Weekly email of gigs recommended for my skills"), "digest", Choices.weekly_digest),
                    _choice(t("Email me about new gigs matching my saved searches"), "alerts", Choices.alert_mail),
                ),
            ),
            _choice(t("Email me a copy of my notifications"), "notifications", Choices.notification_mail),
        ),
    )


def account() -> rx.Component:
    return form_page(
        S,
        rx.cond(S.email_verified, rx.text(rx.link(t("Edit your profile"), href="/profile"), as_="p", size="2")),
        email_section(),
        rx.cond(S.email_verified, password_section()),
        emails_section(),
        devices_section(),
        rx.cond(C.allowed, calendar_section()),
        data_section(),
        heading=t("Your account"),
        loading=t("Loading your account…"),
        spacing="6",
        key=S.form_key,
    )


def register(app: rx.App) -> None:
    app.add_page(
        account, route="/account", title=page_title("Your account"), on_load=[S.load_account, C.load_calendar_link, Choices.load_choices]
    )

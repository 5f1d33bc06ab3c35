"""The frame of every page: a skip link, the header with navigation, the main area."""

import reflex as rx

from microgigs.components.forms import form_alert
from microgigs.components.i18n import t
from microgigs.components.language_switch import language_switch
from microgigs.components.panels import callout, demo_payments_badge, notice, stack, when_loaded
from microgigs.state.session import SessionState


def _nav_link(text: str | rx.Var, href: str) -> rx.Component:
    return rx.link(text, href=href, size="3", weight="medium")


def link_button(text: str | rx.Var, href: str | rx.Var, **props) -> rx.Component:
    """A link that looks like a button (no nested interactive elements).

    A plain <a> under as_child takes the button's classes; an rx.link there would
    keep its own text color, which fails contrast on a solid button.
    """
    props.setdefault("size", "2")
    return rx.button(rx.el.a(text, href=href), as_child=True, **props)


def notifications_link() -> rx.Component:
    """The notification center, with the unread count (kept live by `microgigs.live`)."""
    count = SessionState.unread_notifications
    return rx.link(
        t("Notifications"),
        rx.cond(
            count > 0,
            rx.badge(
                count, color_scheme="red", variant="soft", high_contrast=True, radius="full", margin_left="0.35rem", aria_hidden="true"
            ),
        ),
        href="/notifications",
        size="3",
        weight="medium",
        aria_label=rx.cond(count > 0, t("Notifications, {count} unread", count=count), t("Notifications")),
    )


def sign_out_form() -> rx.Component:
    # A real form post: our route revokes the session row and clears the HttpOnly cookie.
    return rx.el.form(
        rx.button(t("Sign out"), type="submit", variant="soft", size="2"),
        action="/auth/logout",
        method="post",
        # Reflex 0.10's rx.el.form adds on_submit=prevent_default unless told otherwise,
        # which would stop the browser from posting; None keeps the real form post.
        on_submit=None,
    )


def home_link() -> rx.Component:
    """The center's name (its logo before it, when it has one), leading home. The name is the
    link's text, so the logo's alt is empty; a long name wraps on wide screens and ends in an
    ellipsis on a phone (its accessible name stays whole), so the phone's header stays one line."""
    return rx.link(
        rx.cond(SessionState.center_logo_url != "", rx.el.img(src=SessionState.center_logo_url, alt="", class_name="center-logo")),
        # Text, not a heading: Radix Heading ignores as_="p" and renders an h1, and each page has its own h1.
        rx.text(SessionState.center_name, size="5", weight="bold", as_="span", class_name="center-name"),
        href="/",
        underline="none",
        aria_label=t("{center} home", center=SessionState.center_name),
        class_name="center-home",
    )


def _nav_entries(link, notifications: rx.Component, sign_up: rx.Component) -> list[rx.Component]:
    """Where a person can go, in the header's order; `link(text, href)` draws each one, so the
    wide header and the phone menu list the same places. Staff get one link to their hub (/staff)."""
    return [
        link(t("Gigs"), "/"),
        # Signed in, address not confirmed: nothing to go to but the account page.
        rx.cond(SessionState.awaiting_confirmation, link(t("Account"), "/account")),
        rx.cond(
            SessionState.signed_in & SessionState.email_confirmed,
            rx.fragment(
                link(t("Dashboard"), "/dashboard"),
                notifications,
                rx.cond(SessionState.is_manager, link(t("Post a gig"), "/gigs/new")),
                rx.cond(SessionState.is_student, link(t("Saved"), "/saved")),
                rx.cond(SessionState.is_student, link(t("Credentials"), "/credentials")),
                rx.cond(SessionState.is_student, link(t("Portfolio"), "/portfolio")),
                rx.cond(SessionState.is_manager, link(t("Team"), "/organization")),
                rx.cond(SessionState.is_manager, link(t("Payments"), "/payments")),
                rx.cond(SessionState.is_student, link(t("Earnings"), "/earnings")),
                rx.cond(SessionState.is_staff, link(t("Staff"), "/staff")),
                link(t("Account"), "/account"),
            ),
        ),
        rx.cond(~SessionState.signed_in, rx.fragment(link(t("Sign in"), "/login"), sign_up)),
    ]


def _who_is_signed_in() -> rx.Component:
    """The account's name and the Sign out button, for anyone signed in."""
    return rx.cond(
        SessionState.signed_in,
        rx.fragment(rx.text(SessionState.user_name, size="2", color_scheme="gray", class_name="nav-user-name"), sign_out_form()),
    )


def wide_nav() -> rx.Component:
    """The header's links on screens 768 px and wider (styles.css hides them below)."""
    return rx.el.nav(
        rx.flex(
            *_nav_entries(_nav_link, notifications_link(), link_button(t("Sign up"), "/signup")),
            _who_is_signed_in(),
            spacing="4",
            align="center",
            wrap="wrap",
        ),
        aria_label=t("Main"),
        class_name="nav-wide",
    )


def _menu_link(text: str | rx.Var, href: str) -> rx.Component:
    # Radix's Close takes the link as its own element: following a link also closes the menu.
    return rx.dialog.close(rx.link(text, href=href, size="4", weight="medium", class_name="menu-link"))


def notifications_bell() -> rx.Component:
    """The phone header's way to the notification center: a bell and the unread count."""
    count = SessionState.unread_notifications
    return rx.link(
        rx.icon("bell", size=22, aria_hidden="true"),
        # Soft and high-contrast: white on Radix's solid red is 3.9:1, below AA for small text.
        rx.cond(count > 0, rx.badge(count, color_scheme="red", variant="soft", high_contrast=True, radius="full", aria_hidden="true")),
        href="/notifications",
        aria_label=rx.cond(count > 0, t("Notifications, {count} unread", count=count), t("Notifications")),
        class_name="notifications-bell",
    )


def phone_menu() -> rx.Component:
    """Below 768 px: a "Menu" button opening a Radix dialog (focus kept inside while open, Escape
    closes, focus back on the button) with the same places as the wide header, one per line."""
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("menu", size=18, aria_hidden="true"), t("Menu"), variant="soft", size="2")),
        rx.dialog.content(
            rx.flex(
                # An h2: the page's own heading is its one h1.
                rx.dialog.title(t("Menu"), margin="0", custom_attrs={"as": "h2"}),
                rx.dialog.close(rx.button(rx.icon("x", size=18, aria_hidden="true"), variant="ghost", aria_label=t("Close the menu"))),
                justify="between",
                align="center",
            ),
            rx.dialog.description(t("Pages you can open, and your account."), class_name="visually-hidden"),
            rx.el.nav(
                rx.flex(
                    *_nav_entries(_menu_link, _menu_link(t("Notifications"), "/notifications"), _menu_link(t("Sign up"), "/signup")),
                    direction="column",
                    spacing="3",
                ),
                aria_label=t("Main"),
            ),
            rx.cond(
                SessionState.signed_in,
                rx.flex(_who_is_signed_in(), direction="column", align="start", spacing="2", class_name="menu-account"),
            ),
            max_width="22rem",
        ),
    )


def narrow_nav() -> rx.Component:
    """The phone header's right end (styles.css shows it below 768 px only)."""
    return rx.el.div(
        rx.cond(SessionState.signed_in & SessionState.email_confirmed, notifications_bell()),
        phone_menu(),
        class_name="nav-narrow",
    )


def header() -> rx.Component:
    """One line on a phone (name, bell, Menu); the links themselves from 768 px up."""
    return rx.el.header(
        rx.flex(
            home_link(),
            wide_nav(),
            narrow_nav(),
            justify="between",
            align="center",
            wrap="wrap",
            spacing="3",
            padding_y="var(--space-3)",
            # Same width as the main column, so the header lines up with the page.
            max_width="960px",
            margin_x="auto",
            class_name="site-header-bar",
        ),
        style={"border_bottom": "1px solid var(--gray-a5)"},
        padding_x="var(--space-4)",
        class_name="site-header",
    )


def confirm_address_banner() -> rx.Component:
    """On every page while the signed-in account's address is not confirmed."""
    return rx.cond(
        SessionState.awaiting_confirmation,
        callout(
            "mail",
            t("Confirm your email address to apply, post gigs, join a team or get paid: open the link we mailed you."),
            " ",
            rx.link(t("Send a new link or delete this account"), href="/account", underline="always", high_contrast=True),
            ".",
            color="amber",
        ),
    )


def form_page(state, *children: rx.Component, heading: str | rx.Var, loading: str, spacing: str = "4", **props) -> rx.Component:
    """A page of forms whose state loads first: once `state.loaded`, its `notice` (good news)
    and `error` (about the whole page) above `children`; a "Loading…" note until then."""
    return page_layout(
        when_loaded(state.loaded, stack(notice(state.notice), form_alert(state.error), *children, spacing=spacing, **props), loading),
        heading=heading,
    )


def money_page_layout(state, content: rx.Component, *, heading: str, loading: str, loaded: rx.Var | None = None) -> rx.Component:
    """A page about money: the demo-payments label, the page's notice (when its state has one)
    and error, then `content` once loaded, or why it could not load."""
    return page_layout(
        demo_payments_badge(state.gateway_notice),
        *([notice(state.notice)] if hasattr(state, "notice") else []),
        form_alert(state.error),
        rx.cond(
            state.load_error != "",
            form_alert(state.load_error),
            when_loaded(state.loaded if loaded is None else loaded, content, loading),
        ),
        heading=heading,
    )


def footer() -> rx.Component:
    """Every page's foot: the center's help, terms and privacy pages, its contact address, and
    the language switch."""
    contact = SessionState.center_contact_email
    return rx.el.footer(
        rx.el.nav(
            rx.flex(
                rx.link(t("Help"), href="/help", size="2"),
                rx.link(t("Terms"), href="/terms", size="2"),
                rx.link(t("Privacy"), href="/privacy", size="2"),
                rx.cond(
                    contact != "",
                    rx.text(t("Contact:"), " ", rx.link(contact, href="mailto:" + contact), size="2", class_name="footer-contact"),
                ),
                language_switch(),
                spacing="4",
                wrap="wrap",
                align="center",
            ),
            aria_label=t("About {center}", center=SessionState.center_name),
            style={"max_width": "960px", "margin": "0 auto"},
        ),
        class_name="site-footer",
    )


def live_announcer() -> rx.Component:
    """The page's one polite live region: what arrived from someone else, read out once by screen
    readers without moving the focus (SessionState.announcement). In the DOM, empty, from the first
    render, since a region must exist before its text changes; empty until the page has loaded, so
    the text a reloaded tab's state still holds is not read out again."""
    return rx.el.div(
        rx.cond(rx.State.is_hydrated, SessionState.announcement, ""),
        role="status",
        aria_live="polite",
        aria_atomic="true",
        class_name="visually-hidden",
        id="live-announcer",
    )


def page_layout(*children: rx.Component, heading: str | rx.Var | None = None) -> rx.Component:
    """Every page: skip link, header, one h1, content, footer; readable from 375 px up. With a
    brand colour, solid buttons and the header's top edge take it (styles.css `.branded`: white
    text on it, which the settings page makes sure passes WCAG AA)."""
    return rx.box(
        rx.link(t("Skip to content"), href="#main", class_name="skip-link"),
        header(),
        rx.el.main(
            rx.vstack(
                confirm_address_banner(),
                *([rx.heading(heading, as_="h1", size="7")] if heading is not None else []),
                *children,
                spacing="4",
                width="100%",
            ),
            # In <main>, so its text is in a landmark too (axe "region"); hidden, so no layout.
            live_announcer(),
            id="main",
            tab_index=-1,
            style={"max_width": "960px", "margin": "0 auto", "padding": "1rem", "width": "100%"},
        ),
        footer(),
        class_name=rx.cond(SessionState.center_brand_color != "", "branded", ""),
        style={"--brand": SessionState.center_brand_color},
    )

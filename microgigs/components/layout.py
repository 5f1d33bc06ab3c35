"""The frame of every page: a skip link, the header with navigation, the main area."""

import reflex as rx

from microgigs.components.forms import form_alert
from microgigs.components.panels import callout, demo_payments_badge, notice, stack, when_loaded
from microgigs.state.session import SessionState


def _nav_link(text: str, href: str) -> rx.Component:
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
        "Notifications",
        rx.cond(
            count > 0,
            rx.badge(
                count, color_scheme="red", variant="soft", high_contrast=True, radius="full", margin_left="0.35rem", aria_hidden="true"
            ),
        ),
        href="/notifications",
        size="3",
        weight="medium",
        aria_label=rx.cond(count > 0, "Notifications, " + count.to_string() + " unread", "Notifications"),
    )


def sign_out_form() -> rx.Component:
    # A real form post: our route revokes the session row and clears the HttpOnly cookie.
    return rx.el.form(
        rx.button("Sign out", type="submit", variant="soft", size="2"),
        action="/auth/logout",
        method="post",
        # Reflex 0.10's rx.el.form adds on_submit=prevent_default unless told otherwise,
        # which would stop the browser from posting; None keeps the real form post.
        on_submit=None,
    )


def home_link() -> rx.Component:
    """The center's name (its logo before it, when it has one), leading home. The name is the
    link's text, so the logo's alt is empty; a long name wraps rather than widen a phone's page."""
    return rx.link(
        rx.cond(SessionState.center_logo_url != "", rx.el.img(src=SessionState.center_logo_url, alt="", class_name="center-logo")),
        # Text, not a heading: Radix Heading ignores as_="p" and renders an h1, and each page has its own h1.
        rx.text(SessionState.center_name, size="5", weight="bold", as_="span"),
        href="/",
        underline="none",
        aria_label=SessionState.center_name + " home",
        class_name="center-home",
    )


def header() -> rx.Component:
    return rx.el.header(
        rx.flex(
            home_link(),
            rx.el.nav(
                rx.flex(
                    _nav_link("Gigs", "/"),
                    rx.cond(
                        SessionState.awaiting_confirmation,
                        # Signed in, address not confirmed: nothing to go to but the account page.
                        rx.fragment(
                            _nav_link("Account", "/account"),
                            rx.text(SessionState.user_name, size="2", color_scheme="gray"),
                            sign_out_form(),
                        ),
                    ),
                    rx.cond(
                        SessionState.signed_in & SessionState.email_confirmed,
                        rx.fragment(
                            _nav_link("Dashboard", "/dashboard"),
                            notifications_link(),
                            rx.cond(SessionState.is_manager, _nav_link("Post a gig", "/gigs/new")),
                            rx.cond(SessionState.is_student, _nav_link("Saved", "/saved")),
                            rx.cond(SessionState.is_student, _nav_link("Credentials", "/credentials")),
                            rx.cond(SessionState.is_student, _nav_link("Portfolio", "/portfolio")),
                            rx.cond(SessionState.is_manager, _nav_link("Team", "/organization")),
                            rx.cond(SessionState.is_manager, _nav_link("Payments", "/payments")),
                            rx.cond(SessionState.is_student, _nav_link("Earnings", "/earnings")),
                            rx.cond(
                                SessionState.is_staff,
                                rx.fragment(
                                    _nav_link("Insights", "/staff/insights"),
                                    _nav_link("Money", "/staff/money"),
                                    _nav_link("Moderation", "/staff/gigs"),
                                    _nav_link("Employers", "/staff/employers"),
                                    _nav_link("Disputes", "/staff/disputes"),
                                    _nav_link("Skills", "/staff/skills"),
                                    _nav_link("Audit", "/staff/audit"),
                                    _nav_link("Outbox", "/admin/outbox"),
                                    rx.cond(SessionState.is_admin, _nav_link("Settings", "/admin/settings")),
                                ),
                            ),
                            _nav_link("Account", "/account"),
                            rx.text(SessionState.user_name, size="2", color_scheme="gray"),
                            sign_out_form(),
                        ),
                        rx.cond(
                            ~SessionState.signed_in,
                            rx.fragment(
                                _nav_link("Sign in", "/login"),
                                link_button("Sign up", "/signup"),
                            ),
                        ),
                    ),
                    spacing="4",
                    align="center",
                    wrap="wrap",
                ),
                aria_label="Main",
            ),
            justify="between",
            align="center",
            wrap="wrap",
            spacing="3",
            padding_y="var(--space-3)",
            # Same width as the main column, so the header lines up with the page.
            max_width="960px",
            margin_x="auto",
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
            "Confirm your email address to apply, post gigs, join a team or get paid: open the link we mailed you. ",
            rx.link("Send a new link or delete this account", href="/account", underline="always", high_contrast=True),
            ".",
            color="amber",
        ),
    )


def form_page(state, *children: rx.Component, heading: str, loading: str, spacing: str = "4", **props) -> rx.Component:
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
    """Every page's foot: the center's help, terms and privacy pages, and its contact address."""
    contact = SessionState.center_contact_email
    return rx.el.footer(
        rx.el.nav(
            rx.flex(
                rx.link("Help", href="/help", size="2"),
                rx.link("Terms", href="/terms", size="2"),
                rx.link("Privacy", href="/privacy", size="2"),
                rx.cond(
                    contact != "",
                    rx.text("Contact: ", rx.link(contact, href="mailto:" + contact), size="2", class_name="footer-contact"),
                ),
                spacing="4",
                wrap="wrap",
                align="center",
            ),
            aria_label="About " + SessionState.center_name,
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
        rx.link("Skip to content", href="#main", class_name="skip-link"),
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

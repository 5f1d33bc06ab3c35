"""The frame of every page: a skip link, the header with navigation, the main area."""

import reflex as rx

from microgigs.state.session import SessionState


def _nav_link(text: str, href: str) -> rx.Component:
    return rx.link(text, href=href, size="3", weight="medium")


def sign_out_form() -> rx.Component:
    # A real form post: our route revokes the session row and clears the HttpOnly cookie.
    return rx.el.form(
        rx.button("Sign out", type="submit", variant="soft", size="2"),
        action="/auth/logout",
        method="post",
    )


def header() -> rx.Component:
    return rx.el.header(
        rx.flex(
            rx.link(rx.heading("MicroGigs", size="5", as_="p"), href="/", underline="none", aria_label="MicroGigs home"),
            rx.el.nav(
                rx.flex(
                    _nav_link("Gigs", "/"),
                    rx.cond(
                        SessionState.signed_in,
                        rx.fragment(
                            _nav_link("Dashboard", "/dashboard"),
                            rx.cond(SessionState.is_manager, _nav_link("Post a gig", "/gigs/new")),
                            rx.text(SessionState.user_name, size="2", color_scheme="gray"),
                            sign_out_form(),
                        ),
                        rx.fragment(
                            _nav_link("Sign in", "/login"),
                            rx.button(rx.link("Sign up", href="/signup", color="inherit", underline="none"), as_child=True, size="2"),
                        ),
                    ),
                    gap="4",
                    align="center",
                    wrap="wrap",
                ),
                aria_label="Main",
            ),
            justify="between",
            align="center",
            wrap="wrap",
            gap="3",
            padding_y="3",
        ),
        style={"border_bottom": "1px solid var(--gray-a5)"},
        padding_x="4",
    )


def page_layout(*children: rx.Component, heading: str | rx.Var | None = None) -> rx.Component:
    """Every page: skip link, header, one h1, content; readable from 375 px up."""
    return rx.box(
        rx.link("Skip to content", href="#main", class_name="skip-link"),
        header(),
        rx.el.main(
            rx.vstack(
                *([rx.heading(heading, as_="h1", size="7")] if heading is not None else []),
                *children,
                spacing="4",
                width="100%",
            ),
            id="main",
            tab_index=-1,
            style={"max_width": "960px", "margin": "0 auto", "padding": "1rem", "width": "100%"},
        ),
    )

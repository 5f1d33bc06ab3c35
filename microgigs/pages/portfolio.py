"""/portfolio: the student chooses a handle, publishes or hides the public page, and
copies its share link; the finished gigs it lists, with whether their deliverables show."""

import reflex as rx

from microgigs.components.forms import checkbox_input, form_alert, form_column, submit_button, text_input
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import fact, facts, notice, row_card, rows_or_empty, section, stack, when_allowed
from microgigs.components.titles import page_title
from microgigs.state.portfolio import PortfolioSettingsState as S


def settings_form() -> rx.Component:
    return form_column(
        text_input(
            t("Handle"),
            "handle",
            hint=t("3 to 30 lower-case letters, digits and hyphens. Your page's address ends with /p/ and your handle."),
            default_value=S.handle,
            max_length=30,
            auto_complete="off",
            spell_check=False,
            error=S.handle_error,
        ),
        checkbox_input(
            t("Show my portfolio publicly"),
            "is_public",
            default_checked=S.is_public,
            hint=t(
                "Anyone with the link can see your finished gigs, credentials, endorsements and ratings. Never your email or school details."
            ),
        ),
        submit_button(t("Save portfolio settings")),
        on_submit=S.save,
        spacing="4",
        key=S.form_key.to_string(),
        reset_on_submit=False,
        no_validate=True,
        aria_label=t("Portfolio settings"),
    )


def share_box() -> rx.Component:
    return rx.cond(
        S.share_url != "",
        section(
            t("Share link"),
            rx.cond(
                S.is_public,
                rx.text(t("Your portfolio is public."), size="2"),
                rx.text(t("Your portfolio is private: visitors to this link see “not found” until you show it publicly."), size="2"),
            ),
            rx.el.label(
                t("Your portfolio's address"),
                html_for="portfolio-share-url",
                style={"font_size": "var(--font-size-2)", "font_weight": "500"},
            ),
            rx.input(id="portfolio-share-url", value=S.share_url, read_only=True, width="100%", size="3"),
            rx.flex(
                # Written by the page itself: a clipboard write sent back by the server would be
                # a string for the browser to eval, which the Content-Security-Policy refuses.
                rx.button(
                    t("Copy share link"),
                    type="button",
                    on_click=[rx.set_clipboard(S.share_url), S.copy_share_link],
                    variant="soft",
                    size="2",
                ),
                rx.cond(S.is_public, rx.link(t("Open my public portfolio"), href="/p/" + S.handle, size="2")),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
        ),
    )


def work_row(item) -> rx.Component:
    shown = item.employer_allows & item.student_shows
    return row_card(
        rx.heading(item.title, as_="h3", size="3"),
        facts(
            fact(t("Employer"), item.employer),
            fact(
                t("Deliverables"),
                rx.cond(
                    shown,
                    t("shown publicly"),
                    rx.cond(
                        item.employer_allows,
                        t("private: you have not chosen to show them"),
                        t("private: the employer has not allowed showing them"),
                    ),
                ),
            ),
        ),
        rx.flex(
            rx.link(
                t("Verify credential"),
                href=item.credential_url,
                as_child=False,
                aria_label=t("Verify credential: {title}", title=item.title),
            ),
            rx.link(
                t("Choose in the workspace"),
                href="/engagements/" + item.engagement_id.to_string(),
                aria_label=t("Choose what to show in the workspace: {title}", title=item.title),
            ),
            spacing="4",
            wrap="wrap",
        ),
        aria_label=item.title,
    )


def body() -> rx.Component:
    return stack(
        rx.text(t("An opt-in public page of your finished gigs and their credentials. It is private until you choose to show it.")),
        notice(S.notice),
        form_alert(S.error),
        section(t("Settings"), settings_form()),
        share_box(),
        section(
            t("What your portfolio lists"),
            rows_or_empty(S.work, work_row, t("Nothing yet: each gig a manager approves is listed here with its credential.")),
        ),
        spacing="5",
        max_width="40rem",
    )


def portfolio_settings() -> rx.Component:
    return page_layout(when_allowed(S, body(), t("Portfolios are for students."), t("Loading your portfolio…")), heading=t("My portfolio"))


def register(app: rx.App) -> None:
    app.add_page(portfolio_settings, route="/portfolio", title=page_title("My portfolio"), on_load=S.load)

"""An employer's team: its managers; the owner invites and removes them."""

import reflex as rx

from microgigs.components.forms import REMOVE_BUTTON, form_column, text_input
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import badge, fact, named_row, not_found_card, notice, section, stack
from microgigs.components.titles import page_title
from microgigs.components.url_object import for_this_url
from microgigs.state.organization import OrganizationState as S


def member_row(member) -> rx.Component:
    key = member.user_id.to_string()
    return named_row(
        member.name,
        rx.text(member.email, size="2"),
        rx.badge(rx.cond(member.role == "owner", t("owner"), t("manager")), variant="soft", high_contrast=True),
        rx.cond(
            S.is_owner & (member.role != "owner"),
            # As forms.row_button_form, its button named in the viewer's language ("Remove Ada").
            rx.form(
                rx.el.input(type="hidden", name="user_id", value=key),
                rx.button(t("Remove"), type="submit", aria_label=t("Remove {name}", name=member.name), **REMOVE_BUTTON),
                on_submit=S.remove,
            ),
        ),
        error=S.row_errors.get(key, ""),
    )


def invite_form() -> rx.Component:
    return form_column(
        text_input(
            t("Email address of the new manager"),
            "email",
            type="email",
            required=True,
            max_length=254,
            auto_complete="off",
            error=S.error_email,
        ),
        rx.button(t("Send invitation"), type="submit", size="3"),
        on_submit=S.invite,
        align=None,
        max_width="28rem",
        key=S.form_key.to_string(),
        aria_label=t("Invite a manager"),
    )


def organization() -> rx.Component:
    return page_layout(
        for_this_url(
            S,
            rx.cond(
                S.has_team,
                stack(
                    notice(S.notice),
                    rx.flex(
                        rx.text(S.organization_name, size="4", weight="bold"),
                        badge(S.organization_status),
                        spacing="3",
                        align="center",
                        wrap="wrap",
                    ),
                    rx.cond(
                        S.organization_status == "pending",
                        rx.text(
                            t("The career center is still vetting your organization: you can publish gigs once it is approved."),
                            as_="p",
                            size="2",
                        ),
                    ),
                    rx.cond(
                        S.other_teams.length() > 0,
                        rx.text(
                            t("You also manage gigs for:"),
                            " ",
                            rx.foreach(
                                S.other_teams,
                                lambda other: rx.link(
                                    other.name,
                                    href="/organization?organization=" + other.organization_id.to_string(),
                                    underline="always",
                                    margin_right="var(--space-2)",
                                ),
                            ),
                            as_="p",
                            size="2",
                        ),
                    ),
                    section(t("Managers"), stack(rx.foreach(S.members, member_row), spacing="2")),
                    rx.cond(
                        S.is_owner,
                        stack(
                            section(t("Invite a manager"), invite_form()),
                            rx.cond(
                                S.invitations.length() > 0,
                                section(
                                    t("Invitations waiting"),
                                    rx.el.ul(
                                        rx.foreach(
                                            S.invitations,
                                            lambda i: rx.el.li(fact(i.email, rx.text(t("until {date}", date=i.expires_at), as_="span"))),
                                        ),
                                        style={"margin": "0", "padding_left": "1.25rem"},
                                    ),
                                ),
                            ),
                            spacing="5",
                        ),
                        rx.text(t("Only the owner can invite or remove managers."), as_="p", size="2"),
                    ),
                    spacing="5",
                ),
                not_found_card(t("You are not on an employer's team."), link_text=t("Go to your dashboard")),
            ),
            t("Loading your team…"),
        ),
        heading=t("Your organization"),
    )


def register(app: rx.App) -> None:
    app.add_page(organization, route="/organization", title=page_title("Your organization"), on_load=S.load_organization)

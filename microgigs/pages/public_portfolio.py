"""/p/<handle>: a student's public portfolio (opt-in). Readable at 375 px, no email, no pedigree."""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.markdown import markdown_block
from microgigs.components.panels import PRE_WRAP, empty_note, fact, facts, not_found_card, row_card, rows_or_empty, section, stack
from microgigs.components.titles import page_title
from microgigs.components.url_object import for_this_url, text_for_this_url
from microgigs.state.portfolio import PublicPortfolioState as S

P = S.page


def _heading() -> rx.Var:
    return text_for_this_url(S, rx.cond(S.found, P.name, t("Portfolio not found")), t("Loading portfolio…"))


def _file(f) -> rx.Component:
    # A plain <a>: the file comes from our own route, not the client router.
    return rx.el.li(rx.link(f.name, href=f.href, as_child=False, download=f.name, size="2"))


def deliverables(item) -> rx.Component:
    return rx.cond(
        item.deliverables_shown,
        rx.box(
            rx.text(t("Deliverables (shown with the employer's permission)"), size="2", weight="medium"),
            markdown_block(item.deliverable_note_html),
            rx.cond(
                item.deliverable_link != "",
                fact(
                    t("Link"),
                    rx.link(
                        item.deliverable_link,
                        href=item.deliverable_link,
                        is_external=True,
                        rel="noopener noreferrer nofollow",
                        style=PRE_WRAP,
                    ),
                ),
            ),
            rx.cond(item.files.length() > 0, rx.el.ul(rx.foreach(item.files, _file), style={"margin": "0", "padding_left": "1.25rem"})),
            width="100%",
        ),
    )


def gig_card(item) -> rx.Component:
    return row_card(
        rx.heading(item.title, as_="h3", size="4"),
        facts(
            fact(t("Employer"), item.employer),
            fact(t("Completed"), item.completed_on),
            fact(t("Work"), t("{hours} hours", hours=item.hours)),
            rx.cond(item.rating != "", fact(t("Employer's rating"), item.rating)),
        ),
        rx.cond(item.skills.length() > 0, fact(t("Skills"), item.skills.join(", "))),
        deliverables(item),
        rx.flex(
            rx.link(
                t("Verify credential"),
                href=item.credential_url,
                as_child=False,
                aria_label=t("Verify credential: {title}", title=item.title),
            ),
            rx.link(t("Evidence"), href=item.evidence_url, as_child=False, aria_label=t("Evidence: {title}", title=item.title)),
            spacing="4",
            wrap="wrap",
        ),
        aria_label=item.title,
    )


def endorsement(e) -> rx.Component:
    return rx.el.li(
        rx.badge(e.skill, " × ", e.count.to_string(), variant="soft", high_contrast=True, size="2"), style={"list_style": "none"}
    )


def body() -> rx.Component:
    return stack(
        rx.cond(P.headline != "", rx.text(P.headline, size="4")),
        rx.cond(P.average_rating != "", rx.text(t("Rated {rating} by employers.", rating=P.average_rating), size="3")),
        section(
            t("Endorsed skills"),
            rx.cond(
                P.endorsements.length() > 0,
                rx.el.ul(
                    rx.foreach(P.endorsements, endorsement),
                    aria_label=t("Skills endorsed by employers (how many times)"),
                    style={"display": "flex", "flex_wrap": "wrap", "gap": "0.5rem", "margin": "0", "padding": "0"},
                ),
                empty_note(t("No endorsements yet.")),
            ),
        ),
        section(
            t("Completed gigs"),
            rows_or_empty(P.gigs, gig_card, t("No completed gigs yet.")),
        ),
        rx.text(t("Each credential is signed by the career center; anyone can verify it."), size="2", color="var(--gray-11)"),
        spacing="5",
    )


def public_portfolio() -> rx.Component:
    return page_layout(
        for_this_url(
            S,
            rx.cond(S.found, body(), not_found_card(t("There is no public portfolio at this address."), t("Browse open gigs"), "/")),
            t("Loading portfolio…"),
        ),
        heading=_heading(),
    )


def register(app: rx.App) -> None:
    app.add_page(
        public_portfolio,
        route="/p/[handle]",
        title=page_title(text_for_this_url(S, rx.cond(S.found, P.name, t("Portfolio not found")), t("Portfolio"))),
        on_load=S.load,
    )

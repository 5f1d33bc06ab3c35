"""/evidence/<public_id>: where a credential's evidence link leads. The approved deliverables
are shown only when the employer allowed it and the student chose to show them."""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.markdown import markdown_block
from microgigs.components.panels import PRE_WRAP, fact, facts, not_found_card, section, stack
from microgigs.components.titles import page_title
from microgigs.components.url_object import for_this_url, text_for_this_url
from microgigs.state.portfolio import EvidenceState as S

V = S.view


def _file(f) -> rx.Component:
    return rx.el.li(rx.link(f.name, href=f.href, as_child=False, download=f.name, size="2"))


def shown() -> rx.Component:
    return section(
        t("Approved deliverables"),
        markdown_block(V.note_html),
        rx.cond(
            V.link != "",
            fact(t("Link"), rx.link(V.link, href=V.link, is_external=True, rel="noopener noreferrer nofollow", style=PRE_WRAP)),
        ),
        rx.cond(
            V.files.length() > 0,
            rx.el.ul(rx.foreach(V.files, _file), aria_label=t("Files"), style={"margin": "0", "padding_left": "1.25rem"}),
        ),
    )


def body() -> rx.Component:
    return stack(
        facts(fact(t("Employer"), V.employer), fact(t("Approved on"), V.approved_on)),
        rx.cond(
            V.revoked,
            rx.text(t("The career center revoked this credential."), weight="bold"),
            rx.cond(
                V.shown,
                shown(),
                rx.text(t("The employer approved this work. Its deliverables are private."), size="2"),
            ),
        ),
        rx.link(t("Verify the credential"), href="/verify?id=" + V.public_id, as_child=False),
        spacing="4",
    )


def evidence_page() -> rx.Component:
    return page_layout(
        for_this_url(
            S,
            rx.cond(S.found, body(), not_found_card(t("There is no evidence at this address."), t("Verify a credential"), "/verify")),
            t("Loading…"),
        ),
        heading=text_for_this_url(S, rx.cond(S.found, t("Evidence: {title}", title=V.title), t("Evidence")), t("Evidence")),
    )


def register(app: rx.App) -> None:
    app.add_page(evidence_page, route="/evidence/[public_id]", title=page_title("Evidence"), on_load=S.load)

"""Every version handed in, newest first, with the manager's decision on each."""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.markdown import markdown_block
from microgigs.components.panels import PRE_WRAP, card_title_row, empty_note, fact, row_card, section, tag
from microgigs.state.workspace import EngagementState as S

V = S.view


def _decision(sub) -> rx.Component:
    return rx.match(
        sub.decision,
        ("approved", tag(t("Approved"), "green")),
        ("changes_requested", tag(t("Changes requested"), "orange")),
        tag(t("Waiting for review"), "blue"),
    )


def _file_link(f) -> rx.Component:
    # as_child=False: a plain <a>, so the browser fetches our /files route instead of client routing.
    return rx.el.li(
        rx.link(f.name, href="/files/" + f.id.to_string(), as_child=False, size="2", download=f.name),
        rx.text(" (", f.size, ")", as_="span", size="2", color="var(--gray-11)"),
    )


def submission_card(sub) -> rx.Component:
    return row_card(
        card_title_row(rx.heading(t("Version {version}", version=sub.version), as_="h3", size="3"), _decision(sub)),
        rx.text(t("Submitted {when}", when=sub.submitted_at), size="2", color="var(--gray-11)"),
        markdown_block(sub.note_html),
        rx.cond(
            sub.link != "",
            fact(t("Link"), rx.link(sub.link, href=sub.link, is_external=True, rel="noopener noreferrer nofollow", style=PRE_WRAP)),
        ),
        rx.cond(
            sub.files.length() > 0,
            rx.box(
                rx.text(t("Files"), size="2", weight="medium"),
                rx.el.ul(rx.foreach(sub.files, _file_link), style={"margin": "0", "padding_left": "1.25rem"}),
                width="100%",
            ),
        ),
        rx.cond(
            sub.decision_comment != "",
            rx.callout.root(
                # A block, not callout.text (a <p>): the comment's markdown has paragraphs and lists.
                rx.box(rx.text(t("Manager's comment"), as_="p", size="2", weight="bold"), markdown_block(sub.decision_comment_html)),
                color_scheme="orange",
                high_contrast=True,
                size="1",
                width="100%",
            ),
        ),
    )


def history() -> rx.Component:
    return section(
        t("Submissions"),
        rx.cond(
            V.submissions.length() > 0,
            rx.vstack(rx.foreach(V.submissions, submission_card), spacing="3", width="100%"),
            empty_note(rx.cond(V.viewer_is_student, t("Nothing submitted yet."), t("The student has not submitted anything yet."))),
        ),
    )

"""After the gig: try before you hire (interview, offer) and the public deliverables' two keys."""

import reflex as rx

from microgigs.components.forms import form_alert
from microgigs.components.i18n import t
from microgigs.components.panels import callout_note, section
from microgigs.state.workspace import AfterGigForm
from microgigs.state.workspace import EngagementState as S

V = S.view


def _news(text, icon: str = "info") -> rx.Component:
    return callout_note(text, icon, color_scheme="blue")


def hiring_box() -> rx.Component:
    """The manager marks "invited to interview", then "offer made"; the student sees both."""
    invited, offered = V.interview_invited_on != "", V.offer_made_on != ""
    return section(
        t("Try before you hire"),
        rx.cond(
            offered,
            _news(rx.text(t("{employer} made an offer on {date}.", employer=V.employer, date=V.offer_made_on), as_="span"), "circle-check"),
        ),
        rx.cond(
            invited,
            _news(
                rx.text(
                    t(
                        "{employer} invited {student} to interview on {date}.",
                        employer=V.employer,
                        student=V.student_name,
                        date=V.interview_invited_on,
                    ),
                    as_="span",
                )
            ),
        ),
        rx.cond(
            V.viewer_manages,
            rx.cond(
                ~invited,
                rx.vstack(
                    rx.text(
                        t("Liked working with {student}? Invite them to interview; they are told at once.", student=V.student_name),
                        size="2",
                    ),
                    rx.button(t("Invite to interview"), on_click=AfterGigForm.invite_to_interview, size="2"),
                    spacing="2",
                    align="start",
                ),
                rx.cond(~offered, rx.button(t("Record offer made"), on_click=AfterGigForm.record_offer, size="2", variant="outline")),
            ),
            rx.cond(
                ~invited,
                rx.text(t("If the employer invites you to interview, you will see it here and in your notifications."), size="2"),
            ),
        ),
    )


def _key_button(turned: rx.Var, close: rx.Var, open_: rx.Var, handler) -> rx.Component:
    """One side's key: close it when it is turned, else open it."""
    return rx.cond(
        turned,
        rx.button(close, on_click=handler(False), size="2", variant="outline"),
        rx.button(open_, on_click=handler(True), size="2"),
    )


def evidence_box() -> rx.Component:
    """Both keys to showing the approved deliverables publicly, and the viewer's own key."""
    employer_says = rx.cond(
        V.evidence_employer_allows, t("The employer allows showing them."), t("The employer has not allowed showing them.")
    )
    student_says = rx.cond(V.evidence_student_shows, t("The student chose to show them."), t("The student keeps them hidden."))
    return section(
        t("Public deliverables"),
        rx.text(
            t(
                "The approved version is shown on the credential's evidence page and the student's portfolio only when "
                "the employer allows it and the student chooses to show it."
            ),
            size="2",
        ),
        rx.text(employer_says, " ", student_says, size="2", weight="medium"),
        rx.cond(
            S.evidence_public,
            rx.text(t("The deliverables are public."), size="2"),
            rx.text(t("The deliverables are private."), size="2"),
        ),
        rx.cond(
            V.viewer_manages,
            _key_button(
                V.evidence_employer_allows,
                t("Stop showing the deliverables publicly"),
                t("Allow showing the deliverables publicly"),
                AfterGigForm.allow_public_evidence,
            ),
        ),
        rx.cond(
            V.viewer_is_student,
            _key_button(
                V.evidence_student_shows,
                t("Hide my deliverables from the public"),
                t("Show my deliverables publicly"),
                AfterGigForm.show_public_evidence,
            ),
        ),
    )


def after_the_gig() -> rx.Component:
    return rx.vstack(
        form_alert(AfterGigForm.errors.get("form", "")),
        hiring_box(),
        evidence_box(),
        spacing="5",
        width="100%",
    )

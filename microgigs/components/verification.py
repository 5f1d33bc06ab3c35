"""How a verification answer looks: valid (green), revoked or invalid (red), with the details."""

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.panels import fact, facts

STATUS_TEXT = {
    "valid": t("Valid credential"),
    "revoked": t("Revoked credential"),
    "invalid": t("Not a valid credential"),
    "throttled": t("Too many checks"),
}


def verification_result(result) -> rx.Component:
    """`result` is a Verification var; nothing is drawn until there is an answer."""
    return rx.cond(
        result.status != "",
        rx.callout.root(
            rx.callout.icon(
                rx.cond(
                    result.status == "valid",
                    rx.icon("badge-check", aria_hidden="true"),
                    rx.icon("circle-x", aria_hidden="true"),
                )
            ),
            rx.vstack(
                rx.heading(rx.match(result.status, *STATUS_TEXT.items(), t("Result")), as_="h2", size="4"),
                rx.text(result.message),
                rx.cond(
                    result.title != "",
                    facts(
                        fact(t("Gig"), result.title),
                        fact(t("Student"), result.student),
                        fact(t("Employer"), result.employer),
                        fact(t("Issued by"), result.issuer),
                        fact(t("Issued on"), result.issued_on),
                        fact(t("Work"), result.hours),
                        fact(t("Skills"), rx.cond(result.skills.length() > 0, result.skills.join(", "), "—")),
                    ),
                ),
                spacing="2",
                align="start",
            ),
            color_scheme=rx.match(result.status, ("valid", "green"), ("throttled", "amber"), "red"),
            high_contrast=True,
            role="status",
            width="100%",
        ),
    )

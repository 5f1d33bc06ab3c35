"""How a verification answer looks: valid (green), revoked or invalid (red), with the details."""

import reflex as rx

from microgigs.components.panels import fact, facts

STATUS_TEXT = {
    "valid": "Valid credential",
    "revoked": "Revoked credential",
    "invalid": "Not a valid credential",
    "throttled": "Too many checks",
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
                rx.heading(rx.match(result.status, *STATUS_TEXT.items(), "Result"), as_="h2", size="4"),
                rx.text(result.message),
                rx.cond(
                    result.title != "",
                    facts(
                        fact("Gig", result.title),
                        fact("Student", result.student),
                        fact("Employer", result.employer),
                        fact("Issued by", result.issuer),
                        fact("Issued on", result.issued_on),
                        fact("Work", result.hours),
                        fact("Skills", rx.cond(result.skills.length() > 0, result.skills.join(", "), "—")),
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

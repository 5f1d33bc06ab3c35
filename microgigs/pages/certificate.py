"""/credentials/<id>: a printable certificate with a QR code to its verification link."""

import reflex as rx

from microgigs.components.forms import form_column, submit_button, text_input
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import button_link, inline_error, not_found_card, stack
from microgigs.components.titles import page_title
from microgigs.components.url_object import for_this_url, text_for_this_url
from microgigs.components.verification import verification_result
from microgigs.state.credentials import CertificateState as S

R = S.result


def certificate_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(t("Certificate of completed work"), size="2", weight="medium", color="var(--gray-11)"),
            rx.heading(R.title, as_="h2", size="6"),
            rx.text(t("Awarded to {student} for a paid micro-internship with {employer}.", student=R.student, employer=R.employer)),
            rx.text(t("Issued by {issuer} on {date}. {hours} of work.", issuer=R.issuer, date=R.issued_on, hours=R.hours)),
            rx.cond(R.skills.length() > 0, rx.text(t("Skills: {skills}", skills=R.skills.join(", ")))),
            rx.flex(
                rx.image(src=S.qr_code, alt=t("QR code linking to this credential's verification page"), width="9rem", height="9rem"),
                rx.vstack(
                    rx.text(t("Verify at"), size="2", color="var(--gray-11)"),
                    rx.el.a(S.verify_link, href=S.verify_link, reload_document=True, style={"overflow_wrap": "anywhere"}),
                    spacing="1",
                ),
                spacing="4",
                align="center",
                wrap="wrap",
            ),
            spacing="3",
            align="start",
        ),
        width="100%",
        size="4",
    )


def revoke_form() -> rx.Component:
    return rx.cond(
        S.is_staff & (R.status == "valid"),
        form_column(
            rx.heading(t("Revoke this credential"), as_="h2", size="4"),
            text_input(t("Reason for revoking"), "reason", error=S.revoke_error, max_length=300),
            inline_error(S.revoke_error),
            submit_button(t("Revoke credential"), color_scheme="red", variant="soft", high_contrast=True),
            on_submit=S.revoke,
            spacing="2",
            reset_on_submit=True,
            class_name="no-print",
        ),
    )


def certificate() -> rx.Component:
    return page_layout(
        for_this_url(
            S,
            rx.cond(
                S.found,
                stack(
                    verification_result(R),
                    certificate_card(),
                    rx.flex(
                        button_link(t("Download credential (JSON)"), S.download_link, variant="soft"),
                        rx.button(
                            t("Print certificate"), type="button", variant="soft", size="2", on_click=rx.run_script("window.print()")
                        ),
                        spacing="3",
                        wrap="wrap",
                        class_name="no-print",
                    ),
                    revoke_form(),
                    spacing="4",
                ),
                not_found_card(t("There is no credential at this address."), t("Verify a credential"), "/verify"),
            ),
            t("Loading…"),
        ),
        heading=t("Credential"),
    )


def register(app: rx.App) -> None:
    app.add_page(
        certificate,
        route="/credentials/[public_id]",
        title=page_title(text_for_this_url(S, rx.cond(S.found, R.title, t("Credential not found")), t("Credential"))),
        on_load=S.load,
    )

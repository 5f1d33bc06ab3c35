"""/verify: anyone checks a credential by its link, by pasting it, or by uploading its file."""

import reflex as rx

from microgigs.components.forms import form_column, submit_button, textarea_input
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import stack
from microgigs.components.titles import page_title
from microgigs.components.upload_field import named_upload
from microgigs.components.url_object import shows_this_url
from microgigs.components.verification import verification_result
from microgigs.state.credentials import VerifyState as S

UPLOAD_ID = "credential-file"


def verify() -> rx.Component:
    return page_layout(
        rx.text(
            t(
                "Check that a MicroGigs credential was issued by this career center, has not been changed, "
                "and has not been revoked. Open the link printed on a certificate, paste the credential, or upload its file."
            ),
        ),
        # The result of another link (/verify?id=...) is never drawn under this one.
        rx.cond(shows_this_url(S), verification_result(S.result)),
        form_column(
            textarea_input(
                t("Credential"),
                "credential",
                hint=t("Paste the credential text (it starts with eyJ) or the whole downloaded JSON file."),
                value=S.pasted,
                on_change=S.set_pasted,
                rows="6",
            ),
            submit_button(t("Verify pasted credential")),
            on_submit=S.check_pasted,
        ),
        stack(
            rx.text(t("Or upload the downloaded file"), as_="div", size="2", weight="medium"),
            named_upload(
                rx.button(t("Choose a credential file"), type="button", variant="soft", size="2"),
                input_label=t("Credential file"),
                id=UPLOAD_ID,
                accept={"application/json": [".json"], "text/plain": [".txt", ".jwt"]},
                max_files=1,
                no_keyboard=True,
            ),
            rx.text(rx.selected_files(UPLOAD_ID).join(", "), size="2"),
            rx.button(
                t("Verify uploaded file"),
                type="button",
                size="3",
                on_click=S.check_upload(rx.upload_files(upload_id=UPLOAD_ID)),
            ),
            spacing="2",
            align="start",
        ),
        heading=t("Verify a credential"),
    )


def register(app: rx.App) -> None:
    app.add_page(verify, route="/verify", title=page_title("Verify a credential"), on_load=S.load)

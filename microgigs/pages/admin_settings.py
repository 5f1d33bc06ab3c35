"""/admin/settings: the center's own settings, for admins. Sections: identity (name, logo,
brand colour, contact address), pages (help, terms, privacy), money, work, sign-up."""

import reflex as rx

from microgigs.components.forms import (
    error_id,
    field_error,
    field_hint,
    form_alert,
    form_column,
    hint_id,
    submit_button,
    text_input,
    textarea_input,
)
from microgigs.components.i18n import t
from microgigs.components.layout import page_layout
from microgigs.components.panels import notice, section, stack, when_loaded
from microgigs.components.titles import page_title
from microgigs.components.upload_field import named_upload, rejection_summaries
from microgigs.services.center_settings import MAX_LOGO_BYTES, MAX_NAME, MAX_PAGE_TEXT
from microgigs.state.center_settings import LOGO_UPLOAD_ID
from microgigs.state.center_settings import CenterSettingsState as S

E = S.field_errors.to(dict[str, str])
H = S.field_hints.to(dict[str, str])
V = S.values.to(dict[str, str])


def _text(label, name: str, **props) -> rx.Component:
    return text_input(label, name, default_value=V[name], error=E[name], hint=H[name], **props)


def _page_text(label: rx.Var, name: str) -> rx.Component:
    return textarea_input(label, name, rows="8", max_length=MAX_PAGE_TEXT, default_value=V[name], error=E[name], hint=H[name])


def logo_field() -> rx.Component:
    """The logo's preview, its upload (sent on its own, nothing else of the form) and its removal."""
    return stack(
        rx.text(t("Logo"), as_="div", size="2", weight="medium"),
        rx.cond(
            S.logo_url != "",
            rx.flex(
                rx.image(
                    src=S.logo_url,
                    alt=t("The center's logo"),
                    max_height="64px",
                    max_width="100%",
                    style={"object_fit": "contain"},
                ),
                rx.button(t("Remove logo"), type="button", on_click=S.remove_logo, variant="soft", color_scheme="red", high_contrast=True),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.text(t("No logo yet: the header shows the center's name alone."), size="2"),
        ),
        field_hint("logo", t("PNG, JPEG or WebP, at most {size} KB and 2048 × 2048 pixels.", size=MAX_LOGO_BYTES // 1024)),
        named_upload(
            rx.button(t("Choose an image"), type="button", variant="soft", aria_describedby=f"{hint_id('logo')} {error_id('logo')}"),
            input_label=t("Logo"),
            id=LOGO_UPLOAD_ID,
            accept={"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"], "image/webp": [".webp"]},
            max_files=1,
            max_size=MAX_LOGO_BYTES,
            on_drop_rejected=lambda rejected: S.logo_rejected(rejection_summaries(rejected)),
            no_keyboard=True,
            border="1px dashed var(--gray-a8)",
            border_radius="var(--radius-3)",
            padding="0.75rem",
            width="100%",
        ),
        rx.foreach(rx.selected_files(LOGO_UPLOAD_ID), lambda name: rx.text(t("Selected: {name}", name=name), size="2")),
        field_error("logo", E["logo"], live=True),
        # A button, not a form of its own: the logo sits inside the settings form (forms do not nest).
        rx.button(t("Upload logo"), type="button", on_click=S.upload_logo(rx.upload_files(upload_id=LOGO_UPLOAD_ID))),
        spacing="2",
    )


def brand_color_field() -> rx.Component:
    """A text field and a colour picker for the same colour, and a swatch of white text on it."""
    # A sample of white text on the colour, drawn by CSS (a picture of the colour, hidden from
    # screen readers): while a too-light colour is typed, the sample is meant to be hard to read,
    # and the words below say so for everyone.
    swatch = rx.box(
        aria_hidden="true",
        # The sample's words in the viewer's language, drawn by CSS from this attribute (a text
        # node would be checked for contrast: a too-light colour is meant to fail it).
        custom_attrs={"data-sample": t("White text on your colour")},
        id="brand-color-swatch",
        background=S.swatch_color,
        padding="0.75rem",
        border_radius="var(--radius-3)",
        width="100%",
        style={"&::after": {"content": "attr(data-sample)", "color": "white", "font_weight": "bold"}},
    )
    note = rx.text(S.contrast_note, size="2", aria_live="polite", id="brand-color-contrast")
    # The label wraps the picker (no id: a form control with an id would be sent with the form).
    picker = rx.el.label(
        rx.text(t("Pick a colour"), as_="span", size="2"),
        rx.el.input(
            type="color",
            value=S.swatch_color,
            on_change=S.set_brand_color,
            style={"width": "3rem", "height": "2.25rem", "padding": "0", "border": "1px solid var(--gray-a8)"},
        ),
        style={"display": "flex", "gap": "var(--space-2)", "align_items": "center"},
    )
    return text_input(
        t("Brand colour"),
        "brand_color",
        value=S.brand_color,
        on_change=S.set_brand_color,
        max_length=7,
        spell_check=False,
        auto_complete="off",
        error=E["brand_color"],
        hint=H["brand_color"],
        extra=stack(picker, swatch, note, spacing="2"),
    )


def settings_form() -> rx.Component:
    return form_column(
        section(
            t("Identity"),
            _text(t("Center name"), "name", max_length=MAX_NAME),
            logo_field(),
            brand_color_field(),
            _text(t("Contact address"), "contact_email", type="email", auto_complete="off", spell_check=False, max_length=254),
        ),
        section(
            t("Pages"),
            _page_text(t("Help page"), "help_text"),
            _page_text(t("Terms of use"), "terms_text"),
            _page_text(t("Privacy notice"), "privacy_text"),
        ),
        section(
            t("Money"),
            _text(t("Currency"), "currency", max_length=3, auto_complete="off", spell_check=False, style={"text_transform": "uppercase"}),
            rx.text(t("In effect: {currency}", currency=S.currency_name), size="2"),
            _text(t("Platform fee (percent)"), "platform_fee_percent", input_mode="decimal"),
            _text(t("Fixed platform fee ({currency})", currency=S.currency_code), "platform_fee_fixed_cents", input_mode="decimal"),
            _text(t("Pay floor per hour ({currency})", currency=S.currency_code), "pay_floor_cents_per_hour", input_mode="decimal"),
        ),
        section(
            t("Work"),
            _text(t("Days before automatic approval"), "auto_approve_days", input_mode="numeric"),
            _text(t("Revision rounds"), "revision_rounds", input_mode="numeric"),
        ),
        section(
            t("Sign-up"),
            _text(t("Student email domains"), "student_email_domains", auto_complete="off", spell_check=False),
        ),
        submit_button(t("Save settings")),
        on_submit=S.save,
        spacing="6",
        key=S.form_key.to_string(),
        reset_on_submit=False,
        no_validate=True,
        aria_label=t("The center's settings"),
    )


def admin_settings() -> rx.Component:
    return page_layout(
        rx.cond(
            S.load_error != "",
            form_alert(S.load_error),
            when_loaded(
                S.loaded,
                stack(
                    rx.text(
                        t("Saved settings apply at once. A blank field goes back to its default from the server's environment."), size="2"
                    ),
                    notice(S.notice),
                    form_alert(S.error),
                    settings_form(),
                    spacing="6",
                    max_width="44rem",
                ),
                t("Loading the settings…"),
            ),
        ),
        heading=t("Center settings"),
    )


def register(app: rx.App) -> None:
    app.add_page(admin_settings, route="/admin/settings", title=page_title("Center settings"), on_load=S.load_settings)

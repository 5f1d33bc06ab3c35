"""Form pieces: every input with a visible label, an optional hint and its error.

Each field gets stable ids so the input points at its hint and error text with
aria-describedby, and says aria-invalid when its error is not empty. The error
element is always in the page (empty when there is no error) so the reference
never dangles; GOV.UK-style, the message sits right under the field.

`error`, `default_value`, `value` and the like may be plain values or state Vars.
"""

from collections.abc import Sequence

import reflex as rx

from microgigs.components.i18n import t
from microgigs.components.panels import callout, stack

Text = str | rx.Var


def field_id(name: str) -> str:
    return f"field-{name.replace('_', '-')}"


def error_id(name: str) -> str:
    return f"{field_id(name)}-error"


def hint_id(name: str) -> str:
    return f"{field_id(name)}-hint"


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def _aria(name: str, error: Text, hint: Text) -> dict:
    """aria-describedby / aria-invalid props for a control."""
    described = " ".join([*([hint_id(name)] if not _is_empty(hint) else []), error_id(name)])
    props = {"aria_describedby": described}
    if isinstance(error, rx.Var):
        props["aria_invalid"] = rx.cond(error != "", "true", "false")
    elif error:
        props["aria_invalid"] = "true"
    return props


def field_label(label: Text, name: str, *, optional: bool = False, html_for: str | None = None) -> rx.Component:
    return rx.text(
        rx.el.label(
            label,
            *([rx.text(" ", t("(optional)"), as_="span", weight="regular", color_scheme="gray")] if optional else []),
            html_for=html_for or field_id(name),
        ),
        as_="div",
        size="2",
        weight="medium",
    )


def field_hint(name: str, hint: Text) -> rx.Component:
    return rx.text(hint, id=hint_id(name), as_="p", size="2", color_scheme="gray")


def field_error(name: str, error: Text, *, live: bool = False) -> rx.Component:
    """The message for one field (an empty paragraph when there is none). `live`: announced
    by screen readers when it appears without a submit (e.g. a file picker refusing a file)."""
    live_props = {"aria_live": "polite"} if live else {}
    return rx.text(error, id=error_id(name), as_="p", size="2", color_scheme="red", weight="medium", class_name="field-error", **live_props)


def form_field(
    label: Text,
    name: str,
    control: rx.Component,
    *,
    error: Text = "",
    hint: Text = "",
    optional: bool = False,
    extra: rx.Component | None = None,
) -> rx.Component:
    """Label, hint, the control, then its error; `extra` goes after the control (e.g. a counter)."""
    return rx.vstack(
        field_label(label, name, optional=optional),
        *([field_hint(name, hint)] if not _is_empty(hint) else []),
        control,
        *([extra] if extra is not None else []),
        field_error(name, error),
        spacing="1",
        width="100%",
        align="stretch",
    )


def _control_props(name: str, error: Text, hint: Text, props: dict) -> dict:
    props = {k: v for k, v in props.items() if v is not None}
    return {"id": field_id(name), "name": name, **_aria(name, error, hint), **props}


def text_input(
    label: Text,
    name: str,
    *,
    error: Text = "",
    hint: Text = "",
    optional: bool = False,
    type: str = "text",
    extra: rx.Component | None = None,
    **props,
) -> rx.Component:
    """A labelled single-line input; `props` go to the input (default_value, auto_complete, ...)."""
    props.setdefault("size", "3")
    control = rx.input(type=type, width="100%", **_control_props(name, error, hint, props))
    return form_field(label, name, control, error=error, hint=hint, optional=optional, extra=extra)


def password_input(label: Text, name: str, *, new: bool = False, required: bool | None = True, **kwargs) -> rx.Component:
    """A password field; `new` lets password managers offer a fresh one instead of filling the saved one."""
    return text_input(
        label, name, type="password", auto_complete="new-password" if new else "current-password", required=required, **kwargs
    )


def email_input(label: Text | None = None, name: str = "email", *, required: bool | None = True, **kwargs) -> rx.Component:
    """The address a person signs in with: the browser may fill it in, and never "corrects" it.
    `label`: "Email address" (in the viewer's language) unless given."""
    return text_input(
        t("Email address") if label is None else label,
        name,
        type="email",
        auto_complete="email",
        required=required,
        max_length=254,
        spell_check=False,
        **kwargs,
    )


def date_input(label: Text, name: str, **kwargs) -> rx.Component:
    return text_input(label, name, type="date", **kwargs)


def number_input(label: Text, name: str, **kwargs) -> rx.Component:
    kwargs.setdefault("input_mode", "numeric")
    return text_input(label, name, type="text", **kwargs)


def textarea_input(
    label: Text,
    name: str,
    *,
    error: Text = "",
    hint: Text = "",
    optional: bool = False,
    extra: rx.Component | None = None,
    **props,
) -> rx.Component:
    props.setdefault("rows", "5")
    props.setdefault("size", "3")
    props.setdefault("resize", "vertical")
    control = rx.text_area(width="100%", **_control_props(name, error, hint, props))
    return form_field(label, name, control, error=error, hint=hint, optional=optional, extra=extra)


def select_input(
    label: Text,
    name: str,
    options: Sequence[tuple[str, str]] | Sequence[str],
    *,
    error: Text = "",
    hint: Text = "",
    optional: bool = False,
    placeholder: Text | None = None,
    default_value: Text | None = None,
    value: Text | None = None,
    on_change=None,
    dynamic_options: rx.Var | None = None,
) -> rx.Component:
    """A Radix select; its hidden native select carries `name` in a form post.

    dynamic_options: a state list of {"value", "text"} dicts, drawn after the fixed options.

    Options are (value, text) pairs or plain strings (value = text). Radix does not
    allow an empty value, so use a word such as "all" for "no choice".
    """
    pairs = [(o, o) if isinstance(o, str) else o for o in options]
    root_props = {"name": name}
    if default_value is not None:
        root_props["default_value"] = default_value
    if value is not None:
        root_props["value"] = value
    if on_change is not None:
        root_props["on_change"] = on_change
    control = rx.select.root(
        rx.select.trigger(
            placeholder=t("Choose…") if placeholder is None else placeholder,
            width="100%",
            # Radix draws the placeholder in gray-a10 (3.8:1); gray-11 passes WCAG AA.
            style={"&[data-placeholder] .rt-SelectTriggerInner": {"color": "var(--gray-11)"}},
            **{"id": field_id(name), **_aria(name, error, hint)},
        ),
        rx.select.content(
            *[rx.select.item(text, value=val) for val, text in pairs],
            *([rx.foreach(dynamic_options, lambda o: rx.select.item(o["text"], value=o["value"]))] if dynamic_options is not None else []),
            position="popper",
        ),
        size="3",
        **root_props,
    )
    return form_field(label, name, control, error=error, hint=hint, optional=optional)


def checkbox_input(label: Text, name: str, *, default_checked: bool = False, hint: Text = "", error: Text = "") -> rx.Component:
    """A checkbox with its label beside it (clicking the text toggles it)."""
    label_id = f"{field_id(name)}-label"
    return rx.vstack(
        rx.text(
            rx.flex(
                # Radix's checkbox is a button: a wrapping <label> does not name it, aria-labelledby does.
                rx.checkbox(
                    name=name,
                    default_checked=default_checked,
                    **{"id": field_id(name), "aria_labelledby": label_id, **_aria(name, error, hint)},
                ),
                rx.el.span(label, id=label_id),
                spacing="2",
                align="center",
            ),
            as_="label",
            size="2",
            weight="medium",
        ),
        *([field_hint(name, hint)] if not _is_empty(hint) else []),
        field_error(name, error),
        spacing="1",
        width="100%",
    )


# A fieldset that draws no box of its own: its legend and choices look like any other field.
PLAIN_FIELDSET = {
    "border": "none",
    "padding": "0",
    "margin": "0",
    "min_width": "0",
    "display": "flex",
    "flex_direction": "column",
    "gap": "var(--space-1)",
}


def checkbox_group_input(
    label: Text,
    name: str,
    choices: rx.Var,
    *,
    legend_id: str,
    default_value: rx.Var,
    hint: Text = "",
    error: Text = "",
    optional: bool = False,
    when_none: rx.Component | None = None,
) -> rx.Component:
    """Several checkboxes, one per item of the state list `choices`, under a legend that names
    the group; a form post carries every checked item under `name`. `when_none` replaces the
    boxes while `choices` is empty."""
    group = rx.checkbox_group.root(
        rx.grid(
            rx.foreach(choices, lambda name: rx.checkbox_group.item(name, value=name)),
            columns=rx.breakpoints(initial="2", md="3"),
            spacing="2",
            width="100%",
        ),
        name=name,
        default_value=default_value,
        aria_labelledby=legend_id,
        aria_describedby=f"{hint_id(name)} {error_id(name)}",
        size="2",
        width="100%",
    )
    return rx.el.fieldset(
        rx.el.legend(
            rx.text(label, as_="span", size="2", weight="medium"),
            *([rx.text(" ", t("(optional)"), as_="span", size="2", color_scheme="gray")] if optional else []),
            id=legend_id,
        ),
        field_hint(name, hint),
        group if when_none is None else rx.cond(choices.length() > 0, group, when_none),
        field_error(name, error),
        style=PLAIN_FIELDSET,
        width="100%",
    )


def form_alert(message: Text) -> rx.Component:
    """A message about the whole form (e.g. "That email and password do not match").

    Always in the page with role="alert" so screen readers announce it when it fills.
    """
    body = callout("circle-alert", message, color="red", high_contrast=False, role="alert")
    if isinstance(message, rx.Var):
        return rx.cond(message != "", body)
    return body if message else rx.fragment()


def success_note(message: Text) -> rx.Component:
    # Green text on green (accent-11 on accent-3) is 4.3:1; high contrast (callout's default) passes AA.
    return callout("circle-check", message, color="green", role="status")


def post_form(*children: rx.Component, action: str, **props) -> rx.Component:
    """A real browser form post (no websocket event).

    Reflex 0.10's rx.el.form adds on_submit=prevent_default when no on_submit is
    given, which silently stops the browser from posting; on_submit=None keeps the
    native behaviour. Our HTTP routes answer with a 303 and set cookies.
    """
    return rx.el.form(*children, action=action, method="post", on_submit=None, **props)


def form_column(*fields: rx.Component, on_submit, spacing: str = "3", align: str | None = "start", max_width: str | None = None, **props):
    """A form sent as a Reflex event: its fields one under the other, full width.

    `props` go to the form (aria_label, key, reset_on_submit, ...)."""
    column = {k: v for k, v in {"align": align, "max_width": max_width}.items() if v is not None}
    return rx.form(stack(*fields, spacing=spacing, **column), on_submit=on_submit, width="100%", **props)


def post_form_column(*fields: rx.Component, action: str, spacing: str = "4", max_width: str | None = None, **props) -> rx.Component:
    """A real browser post (see post_form) with its fields one under the other, full width."""
    column = {"max_width": max_width} if max_width else {}
    return post_form(stack(*fields, spacing=spacing, **column), action=action, width="100%", **props)


def fields_row_form(*fields: rx.Component, submit: Text, on_submit, **props) -> rx.Component:
    """Short fields side by side (wrapping on a phone), the submit button under them.

    Give each field its share of the row: rx.box(field, flex="1 1 12rem"). `props` go to the form."""
    return rx.form(
        rx.flex(*fields, spacing="3", wrap="wrap", width="100%"),
        rx.button(submit, type="submit", size="3", margin_top="var(--space-2)"),
        on_submit=on_submit,
        width="100%",
        **props,
    )


def row_button_form(label: Text, on_submit, *, id_field: str, id_value: rx.Var, row_name: rx.Var, **button_props) -> rx.Component:
    """One button acting on a row of a list (remove, approve), named "<label> <row name>"
    (`label` a t() Var: "Quitar Ana" keeps the English order).

    Inside rx.foreach a submit handler cannot capture the loop item, so the row's id travels
    in a hidden field of the form (the service re-checks it)."""
    return rx.form(
        rx.el.input(type="hidden", name=id_field, value=id_value),
        rx.button(label, type="submit", aria_label=rx.Var.create(label).to(str) + " " + row_name, **button_props),
        on_submit=on_submit,
    )


REMOVE_BUTTON = {"variant": "soft", "color_scheme": "red", "high_contrast": True, "size": "1"}


def submit_button(text: Text, **props) -> rx.Component:
    props.setdefault("size", "3")
    return rx.button(text, type="submit", **props)


def long_select_input(
    label: Text,
    name: str,
    groups: Sequence[tuple[str, Sequence[str]]],
    *,
    default_value: Text | None = None,
    error: Text = "",
    hint: Text = "",
) -> rx.Component:
    """A native <select> with <optgroup>s, for long lists (hundreds of time zones): the phone's
    own picker, type-ahead on desktop, and nothing typed free-hand."""
    control = rx.el.select(
        *[rx.el.optgroup(*[rx.el.option(value, value=value) for value in values], label=group) for group, values in groups],
        default_value=default_value,
        class_name="native-select",
        style={
            "width": "100%",
            "min_height": "var(--space-7)",
            "padding": "0 var(--space-3)",
            "font_size": "var(--font-size-3)",
            "color": "var(--gray-12)",
            "background": "var(--color-surface)",
            "border": "1px solid var(--gray-a8)",
            "border_radius": "var(--radius-2)",
        },
        **_control_props(name, error, hint, {}),
    )
    return form_field(label, name, control, error=error, hint=hint)


def event_form(*children: rx.Component, on_submit, label: Text, key=None, spacing: str = "2", **props) -> rx.Component:
    """A form sent to its state as one event, named `label` for screen readers, with our messages
    under each field instead of the browser's bubbles. `key`: a state counter the handler bumps
    after a good submission, so the form is drawn anew and its uncontrolled inputs start empty."""
    if key is not None:
        props["key"] = key
    return rx.form(
        rx.vstack(*children, spacing=spacing, width="100%", align="start"),
        on_submit=on_submit,
        no_validate=True,
        aria_label=label,
        width="100%",
        **props,
    )

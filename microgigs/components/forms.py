"""Form pieces: every input with a visible label, an optional hint and its error.

Each field gets stable ids so the input points at its hint and error text with
aria-describedby, and says aria-invalid when its error is not empty. The error
element is always in the page (empty when there is no error) so the reference
never dangles; GOV.UK-style, the message sits right under the field.

`error`, `default_value`, `value` and the like may be plain values or state Vars.
"""

from collections.abc import Sequence

import reflex as rx

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
            *([rx.text(" (optional)", as_="span", weight="regular", color_scheme="gray")] if optional else []),
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
    placeholder: str = "Choose…",
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
            placeholder=placeholder,
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


def form_alert(message: Text) -> rx.Component:
    """A message about the whole form (e.g. "That email and password do not match").

    Always in the page with role="alert" so screen readers announce it when it fills.
    """
    body = rx.callout.root(
        rx.callout.icon(rx.icon("circle-alert", aria_hidden="true")),
        rx.callout.text(message),
        color_scheme="red",
        role="alert",
        width="100%",
    )
    if isinstance(message, rx.Var):
        return rx.cond(message != "", body)
    return body if message else rx.fragment()


def success_note(message: Text) -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("circle-check", aria_hidden="true")),
        rx.callout.text(message),
        color_scheme="green",
        # Green text on green (accent-11 on accent-3) is 4.3:1; high contrast passes AA.
        high_contrast=True,
        role="status",
        width="100%",
    )


def post_form(*children: rx.Component, action: str, **props) -> rx.Component:
    """A real browser form post (no websocket event).

    Reflex 0.10's rx.el.form adds on_submit=prevent_default when no on_submit is
    given, which silently stops the browser from posting; on_submit=None keeps the
    native behaviour. Our HTTP routes answer with a 303 and set cookies.
    """
    return rx.el.form(*children, action=action, method="post", on_submit=None, **props)


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

"""rx.upload with a named file input.

Reflex 0.10's rx.upload renders react-dropzone's own <input type="file" {...getInputProps()}>
and takes no props for it, so the input has no accessible name (axe: "label"). We swap that
input for one carrying an aria-label, keeping the dropzone's props spread after ours; the
spread sets no aria-label, so ours stays. If a later Reflex changes the tree, the upload is
returned as it is (and the accessibility test will say so).
"""

import reflex as rx
from reflex_components_core.el.elements.forms import Input


def named_upload(*children: rx.Component, input_label: str | rx.Var, **props) -> rx.Component:
    """An rx.upload.root whose hidden file input is called `input_label`."""
    upload = rx.upload.root(*children, **props)
    try:
        zone = upload.children[0]
        original = zone.children[0]
    except (AttributeError, IndexError):
        return upload
    if not isinstance(original, Input) or not original.special_props:
        return upload
    named = Input.create(type="file", aria_label=input_label)
    named.special_props = list(original.special_props)
    zone.children[0] = named
    return upload


def rejection_summaries(rejected: rx.Var) -> rx.Var:
    """react-dropzone's refused files reduced to what a message needs: each one's name and the
    codes of why ("file-too-large", "file-invalid-type", "too-many-files"). The File objects
    themselves must not go into an event: socket.io would send their bytes along."""
    return rx.Var(
        f"({rejected}).map((refused) => ({{ name: refused.file.name, codes: refused.errors.map((error) => error.code) }}))",
        _var_data=rejected._get_all_var_data(),
    ).to(list)

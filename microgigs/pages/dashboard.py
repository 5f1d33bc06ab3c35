"""Placeholder: being written."""

import reflex as rx

from microgigs.components.layout import page_layout
from microgigs.state.session import SessionState


def register(app: rx.App) -> None:
    pass

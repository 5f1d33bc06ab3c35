"""Placeholder home page: being written."""

import reflex as rx

from microgigs.components.layout import page_layout
from microgigs.state.session import SessionState


def index() -> rx.Component:
    return page_layout(rx.text("Paid, short projects for students."), heading="Find a gig")


def register(app: rx.App) -> None:
    app.add_page(index, route="/", title="MicroGigs", on_load=SessionState.load_session)

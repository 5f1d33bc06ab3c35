"""Shared UI pieces: layout, navigation, form fields, cards, badges."""

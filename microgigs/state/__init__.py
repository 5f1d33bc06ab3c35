"""Reflex states: thin. Load what a page shows, call a service, show its error."""

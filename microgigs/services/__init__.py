"""The rules of MicroGigs: plain functions (session, actor, input) -> result or DomainError.

Nothing here imports reflex or knows about HTTP. Each function that changes data
checks who is acting (deny by default), validates, enforces the state machine,
records an audit event and flushes; the caller's session scope commits.
"""

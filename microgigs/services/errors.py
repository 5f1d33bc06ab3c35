"""The one error type services raise for a person to read."""


class DomainError(Exception):
    """A refused action, with a message a person can read.

    `field` names the input that caused it (so a form can show the message next to
    that field); None means the whole action was refused.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The actor may not do this (or may not even know the thing exists)."""

    def __init__(self, message: str = "You are not allowed to do that."):
        super().__init__(message)


class NotFound(DomainError):
    def __init__(self, what: str = "That item"):
        super().__init__(f"{what} was not found.")

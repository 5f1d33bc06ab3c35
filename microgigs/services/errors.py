"""The one error type services raise for a person to read."""

from microgigs.i18n import Text, _, msg


class DomainError(Exception):
    """A refused action, with a message a person can read.

    `field` names the input that caused it (so a form can show the message next to
    that field); None means the whole action was refused. The message is English; a literal one
    (`DomainError("Enter a title.")`) or a `msg("… {name} …", name=…)` is also in the catalogue,
    and whoever shows it translates it for the reader (`i18n.translate`).
    """

    def __init__(self, message: str, field: str | None = None):
        # A literal message is its own msgid (the extractor collects DomainError's first argument).
        message = message if isinstance(message, Text) else Text(message)
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The actor may not do this (or may not even know the thing exists)."""

    def __init__(self, message: str = _("You are not allowed to do that.")):
        super().__init__(message)


class NotFound(DomainError):
    """`what` ("That gig") was not found: the extractor collects NotFound's first argument."""

    def __init__(self, what: str = _("That item")):
        super().__init__(msg("{what} was not found.", what=what if isinstance(what, Text) else Text(what)))

"""Small input-cleaning helpers shared by services, and the many-fields error."""

import re
import unicodedata
from urllib.parse import urlsplit

from microgigs.services.errors import DomainError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ValidationFailed(DomainError):
    """Several inputs were wrong at once; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, first_field)
        self.errors = dict(errors)


def clean_text(value: str | None) -> str:
    """Strip, normalize Unicode and drop control characters (keeps newlines and tabs)."""
    text = unicodedata.normalize("NFC", value or "")
    return _CONTROL.sub("", text).strip()


def check_length(errors: dict[str, str], field: str, value: str, *, label: str, max_len: int, required: bool = True) -> None:
    if required and not value:
        errors[field] = f"Enter {label}."
    elif len(value) > max_len:
        errors[field] = f"Use at most {max_len:,} characters (you have {len(value):,})."


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value

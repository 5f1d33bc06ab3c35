"""Finding the career center's prohibited terms in a gig's text.

Its own module, below both: the gig form refuses text that uses a term, and moderation
re-runs the same check on gigs waiting for review (moderation also keeps the list itself).
"""

import re

from sqlmodel import Session, select

from microgigs.i18n import msg
from microgigs.models import ProhibitedTerm
from microgigs.services.validation import fold_lookalikes


def _pattern(term: str) -> re.Pattern:
    # Whole words: "scam" is found in "a scam!" but not in "scampi".
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.IGNORECASE)


def prohibited_hits(session: Session, texts: dict[str, str]) -> dict[str, str]:
    """For each field whose text uses a prohibited term, a message naming the term. Both are
    compared folded (fold_lookalikes), so "ｃａｓｉｎｏ" or "cas\u00adino" is "casino"."""
    terms = list(session.exec(select(ProhibitedTerm.term).order_by(ProhibitedTerm.term)))
    hits: dict[str, str] = {}
    for field_name, value in texts.items():
        folded = fold_lookalikes(value)
        found = [t for t in terms if folded and _pattern(fold_lookalikes(t)).search(folded)]
        if found:
            listed = ", ".join(f"“{t}”" for t in found[:3])
            hits[field_name] = msg("Remove {terms}: the career center does not allow it in gigs.", terms=listed)
    return hits

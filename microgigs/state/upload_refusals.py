"""What a file picker sends when it refuses a file before anything is uploaded
(components/upload_field.rejection_summaries): [{"name": ..., "codes": [...]}, ...].
Any client can send anything here, so it is read defensively."""

from microgigs.i18n import msg


def first_refusal(rejected) -> tuple[str, set[str]]:
    """The first refused file's name (cleaned, shortened; "That file", a msg(), if none) and the codes of why."""
    first = rejected[0] if isinstance(rejected, list) and rejected and isinstance(rejected[0], dict) else {}
    name = str(first.get("name") or "").replace("\\", "/").split("/")[-1][:120] or msg("That file")
    codes = first.get("codes")
    return name, {str(code) for code in codes} if isinstance(codes, list) else set()

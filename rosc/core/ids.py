"""Public ids as they arrive from URLs, forms and feeds."""

from uuid import UUID


def uuid_or_none(value: object) -> UUID | None:
    """The UUID that `value` spells, or None for anything else (never raises)."""
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        return None

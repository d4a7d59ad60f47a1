"""The credential categories every network starts with (migration 0002 adds them too).

`categories_ensure_defaults()` adds any that are missing: the demo calls it, and so do the
tests, because a live-server test's flush empties the table the migration filled.
"""

from rosc.training.models import CredentialCategory

DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("ethics", "Ethics"),
    ("cultural-competency", "Cultural competency"),
    ("recovery-coaching", "Recovery coaching / peer support"),
    ("trauma-informed-care", "Trauma-informed care"),
    ("harm-reduction", "Harm reduction"),
    ("stigma", "Stigma"),
)


def categories_ensure_defaults() -> None:
    for position, (slug, name) in enumerate(DEFAULT_CATEGORIES, start=1):
        CredentialCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position * 10}
        )

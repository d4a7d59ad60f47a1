"""Links to one record per row of a long list, without a `reverse` per row."""

from uuid import UUID

from django.urls import reverse

_PLACEHOLDER = UUID(int=0)


class Link:
    """A URL pattern with one public id in it: reversed once, then filled in per row
    (`Link("care:participant")(person.public_id)` is `reverse(...)`'s own URL)."""

    def __init__(self, name: str) -> None:
        head, _, tail = reverse(name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
        self.head, self.tail = head, tail

    def __call__(self, public_id: object) -> str:
        return f"{self.head}{public_id}{self.tail}"

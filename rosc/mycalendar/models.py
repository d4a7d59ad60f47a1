"""A staff member's personal calendar address: one secret per user, stored only as a hash.

The feed it opens (rosc/mycalendar/feeds.py) combines what the person attends: their councils'
meetings, the events they registered for and the training sessions they are enrolled in.
Turning the address off deletes the row; making a new one replaces the hash, so the old
address stops working at once.
"""

from django.db import models

from rosc.accounts.models import User
from rosc.core.models import BaseModel


class PersonalFeed(BaseModel):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="personal_feed")
    # SHA-256 of the secret in the address; the secret itself is shown once and never stored.
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        # No secret and no hash: this label is copied into the audit trail.
        return f"Calendar feed of {self.user.username}"

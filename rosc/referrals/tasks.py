"""Background work of referrals (Django's task framework; `manage.py db_worker` runs it)."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from rosc.referrals.models import Notification


@task()
def notifications_email(notification_ids: list[str]) -> int:
    """E-mail each notice that has not been e-mailed yet; returns how many were sent."""
    sent = 0
    notes = Notification.objects.filter(
        public_id__in=notification_ids, emailed_at__isnull=True
    ).select_related("user", "organization", "referral")
    base = getattr(settings, "ROSC_BASE_URL", "").rstrip("/")
    for note in notes:
        if not note.user.email:
            continue
        link = ""
        if note.referral is not None:
            link = base + reverse("referrals:detail", args=[note.referral.public_id])
        send_mail(
            subject=f"ROSC Hub: news about a referral ({note.organization.name})",
            message=(
                f"{note.message}\n\nSign in to see it: {link}\n\n"
                "For privacy, this e-mail does not name the person."
            ),
            from_email=None,
            recipient_list=[note.user.email],
        )
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at"])
        sent += 1
    return sent

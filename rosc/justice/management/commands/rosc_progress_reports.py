"""`rosc progress-reports`: send every diversion progress report now due. Run it daily."""

from typing import Any

from django.core.management.base import BaseCommand

from rosc.justice.services import progress_reports_generate


class Command(BaseCommand):
    help = (
        "Send every diversion progress report now due, each under the person's consent "
        "(run daily, from cron or a systemd timer). Reports that cannot go are listed with why."
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        run = progress_reports_generate()
        for agreement, reason in run.not_sent:
            referral = agreement.referral
            self.stdout.write(
                f"Not sent: diversion referral {referral.public_id} "
                f"({referral.recipient_organization.name}): {reason}"
            )
        self.stdout.write(
            f"Sent {len(run.sent)} progress report{'s' if len(run.sent) != 1 else ''}; "
            f"{len(run.not_sent)} due but not sent."
        )

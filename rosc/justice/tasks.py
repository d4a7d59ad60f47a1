"""Background work of reentry and diversion (Django's task framework; `manage.py db_worker`)."""

from django.tasks import task

from rosc.accounts.models import Organization
from rosc.justice import services


@task()
def progress_reports_run(organization_id: str | None = None) -> int:
    """Send every progress report now due (for one recovery organization, or all); returns
    how many were sent. The same work as the daily `rosc progress-reports`."""
    organization = (
        Organization.objects.filter(public_id=organization_id).first() if organization_id else None
    )
    if organization_id and organization is None:
        return 0
    return len(services.progress_reports_generate(organization=organization).sent)

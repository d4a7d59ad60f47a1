"""Background work of the directory (Django's task framework; `manage.py db_worker` runs it)."""

from django.tasks import task

from rosc.directory import services


@task()
def directory_import_run(import_id: str) -> str:
    """Import an uploaded HSDS file (a DirectoryImport); returns its final status."""
    return services.directory_import_process(import_id=import_id).status

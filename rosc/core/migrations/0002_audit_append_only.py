"""The database itself refuses to change audit events (and, on PostgreSQL, to delete them)."""

from django.db import migrations

from rosc.core.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [append_only_triggers("core_auditevent", "audit events are append-only")]

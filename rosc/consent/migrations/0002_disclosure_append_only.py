"""The database itself refuses to change disclosures (and, on PostgreSQL, to delete them)."""

from django.db import migrations

from rosc.core.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]
    operations = [append_only_triggers("consent_disclosure", "disclosures are append-only")]

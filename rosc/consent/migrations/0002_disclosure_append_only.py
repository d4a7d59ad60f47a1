"""The database itself refuses to change disclosures (and, on PostgreSQL, to delete them).

As for the audit trail: SQLite gets no DELETE trigger because Django's test flush empties tables
with DELETE there; the model and queryset refuse deletes on both engines.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER consent_disclosure_no_update BEFORE UPDATE ON consent_disclosure
       BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS consent_disclosure_no_update;"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION consent_disclosure_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'disclosures are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER consent_disclosure_no_change BEFORE UPDATE OR DELETE ON consent_disclosure
       FOR EACH ROW EXECUTE FUNCTION consent_disclosure_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS consent_disclosure_no_change ON consent_disclosure;",
    "DROP FUNCTION IF EXISTS consent_disclosure_append_only();",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

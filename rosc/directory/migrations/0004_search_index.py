"""The full-text search index of the directory (see rosc/directory/search_index.py).

SearchRow is a plain table; the full-text side depends on the database: an FTS5 table kept in
step by triggers on SQLite, a generated weighted tsvector with a GIN index on PostgreSQL.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_UP = [
    """CREATE VIRTUAL TABLE directory_searchrow_fts USING fts5(
        name, org_name, description, keywords, tags,
        content='directory_searchrow', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER directory_searchrow_fts_insert AFTER INSERT ON directory_searchrow BEGIN
        INSERT INTO directory_searchrow_fts (rowid, name, org_name, description, keywords, tags)
        VALUES (new.id, new.name, new.org_name, new.description, new.keywords, new.tags);
    END""",
    """CREATE TRIGGER directory_searchrow_fts_delete AFTER DELETE ON directory_searchrow BEGIN
        INSERT INTO directory_searchrow_fts
            (directory_searchrow_fts, rowid, name, org_name, description, keywords, tags)
        VALUES ('delete', old.id, old.name, old.org_name, old.description, old.keywords, old.tags);
    END""",
    """CREATE TRIGGER directory_searchrow_fts_update AFTER UPDATE ON directory_searchrow BEGIN
        INSERT INTO directory_searchrow_fts
            (directory_searchrow_fts, rowid, name, org_name, description, keywords, tags)
        VALUES ('delete', old.id, old.name, old.org_name, old.description, old.keywords, old.tags);
        INSERT INTO directory_searchrow_fts (rowid, name, org_name, description, keywords, tags)
        VALUES (new.id, new.name, new.org_name, new.description, new.keywords, new.tags);
    END""",
    # What a search near a place without words reads: the rows in the box, from the index alone.
    """CREATE INDEX directory_searchrow_place ON directory_searchrow (latitude, longitude, free,
        wheelchair, kind, terms, pathways, languages, time_zone, sal_id, name)""",
]
SQLITE_DOWN = [
    "DROP INDEX IF EXISTS directory_searchrow_place",
    "DROP TRIGGER IF EXISTS directory_searchrow_fts_update",
    "DROP TRIGGER IF EXISTS directory_searchrow_fts_delete",
    "DROP TRIGGER IF EXISTS directory_searchrow_fts_insert",
    "DROP TABLE IF EXISTS directory_searchrow_fts",
]
POSTGRESQL_UP = [
    """ALTER TABLE directory_searchrow ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, name), 'A')
        || setweight(to_tsvector('english'::regconfig, org_name), 'B')
        || setweight(to_tsvector('english'::regconfig, description), 'C')
        || setweight(to_tsvector('english'::regconfig, keywords), 'D')
    ) STORED""",
    # A small pending list: GIN scans it whole on every search until it is merged.
    """CREATE INDEX directory_searchrow_document ON directory_searchrow USING gin (document)
        WITH (gin_pending_list_limit = 256)""",
    # The place (grid cells) and the needs as lexemes: a GIN lookup narrows by both at once.
    """ALTER TABLE directory_searchrow ADD COLUMN place_need tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, tags)
    ) STORED""",
    """CREATE INDEX directory_searchrow_place_need ON directory_searchrow USING gin (place_need)
        WITH (gin_pending_list_limit = 256)""",
]
POSTGRESQL_DOWN = [
    "DROP INDEX IF EXISTS directory_searchrow_place_need",
    "ALTER TABLE directory_searchrow DROP COLUMN IF EXISTS place_need",
    "DROP INDEX IF EXISTS directory_searchrow_document",
    "ALTER TABLE directory_searchrow DROP COLUMN IF EXISTS document",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def full_text_up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP}.get(vendor, []))


def full_text_down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN}.get(vendor, []))


def fill(apps, schema_editor):
    from rosc.directory.search_index import IndexModels, refresh_with

    def model(name):
        return apps.get_model("directory", name)

    names = (
        "Service",
        "ServiceAtLocation",
        "Attribute",
        "TaxonomyTerm",
        "Language",
        "CostOption",
        "Accessibility",
        "SearchRow",
        "Address",
        "Phone",
    )
    refresh_with(IndexModels(*(model(n) for n in names)), None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organization_hsds"),
        ("directory", "0003_location_lat_lng_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchRow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("latitude", models.FloatField(null=True)),
                ("longitude", models.FloatField(null=True)),
                ("kind", models.CharField(max_length=30)),
                ("time_zone", models.CharField(max_length=64)),
                ("pathways", models.TextField()),
                ("languages", models.TextField()),
                ("terms", models.TextField()),
                ("free", models.BooleanField()),
                ("wheelchair", models.BooleanField()),
                ("name", models.TextField()),
                ("org_name", models.TextField()),
                ("description", models.TextField()),
                ("keywords", models.TextField()),
                ("tags", models.TextField()),
                ("sal_uuid", models.UUIDField()),
                ("service_uuid", models.UUIDField()),
                ("location_uuid", models.UUIDField()),
                ("organization_uuid", models.UUIDField()),
                ("service_name", models.TextField()),
                ("organization_name", models.TextField()),
                ("peer_led_rco", models.BooleanField()),
                ("accepting_new_people", models.BooleanField(null=True)),
                ("address", models.TextField()),
                ("phone", models.TextField()),
                ("need_names", models.JSONField(default=list)),
                (
                    "sal",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="directory.serviceatlocation",
                    ),
                ),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="directory.service",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["latitude", "longitude"], name="searchrow_lat_lng")
                ],
            },
        ),
        migrations.RunPython(full_text_up, full_text_down),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

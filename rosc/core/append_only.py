"""Database triggers that make a table append-only; used from migrations.

UPDATE is refused on SQLite and PostgreSQL. DELETE is refused on PostgreSQL only: Django's test
flush empties tables with DELETE on SQLite but with TRUNCATE (which row triggers do not see) on
PostgreSQL. The model side is `rosc.core.models.AppendOnlyModel`.
"""

from typing import Any

from django.db import migrations


def _statements(table: str, message: str) -> dict[str, tuple[list[str], list[str]]]:
    return {
        "sqlite": (
            [
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"
            ],
            [f"DROP TRIGGER IF EXISTS {table}_no_update;"],
        ),
        "postgresql": (
            [
                f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql;",
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only();",
            ],
            [
                f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};",
                f"DROP FUNCTION IF EXISTS {table}_append_only();",
            ],
        ),
    }


def append_only_triggers(table: str, message: str) -> migrations.RunPython:
    """A migration operation adding the triggers to `table` (and removing them in reverse)."""
    statements = _statements(table, message)

    def run(schema_editor: Any, which: int) -> None:
        pair = statements.get(schema_editor.connection.vendor)
        for sql in pair[which] if pair else []:
            schema_editor.execute(sql)

    return migrations.RunPython(
        lambda apps, schema_editor: run(schema_editor, 0),
        lambda apps, schema_editor: run(schema_editor, 1),
    )

"""Indexes for searching supporters by the start of a name, an email or a ZIP code.

PostgreSQL uses a btree index for `LIKE 'abc%'` only with a pattern operator class
(or the "C" collation), which the models' portable Index() cannot state; SQLite, the
small embedded default, needs none. So these exist on PostgreSQL only, outside the
model state (makemigrations does not see them).
"""

from typing import Any

from django.db import migrations

INDEXES = {
    "supporter_first_name_prefix": "(organization_id, lower(first_name) text_pattern_ops)",
    "supporter_last_name_prefix": "(organization_id, lower(last_name) text_pattern_ops)",
    "supporter_email_prefix": "(organization_id, lower(email) text_pattern_ops)",
    "supporter_zip_prefix": "(organization_id, zip_code varchar_pattern_ops)",
}


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON people_supporter {columns}")


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_supporters")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

"""The audit log is append-only: on PostgreSQL a trigger refuses UPDATE and DELETE of its
rows, whoever asks. TRUNCATE is left to the database's owner (the test suite empties
tables with it). SQLite has no such guard; the application never updates or deletes
them either."""

from typing import Any

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION cases_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the cases audit log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_auditentry_no_change
    BEFORE UPDATE OR DELETE ON cases_auditentry
    FOR EACH ROW EXECUTE FUNCTION cases_auditentry_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS cases_auditentry_no_change ON cases_auditentry;
DROP FUNCTION IF EXISTS cases_auditentry_append_only();
"""


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that does nothing on another database (SQLite)."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_cases")]

    operations = [PostgreSQLOnly(FORWARD, BACKWARD)]

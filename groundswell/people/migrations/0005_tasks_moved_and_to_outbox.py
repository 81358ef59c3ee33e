"""Emails waiting as tasks when this version is installed go on as outbox rows (emails
are no longer tasks of their own: groundswell.core.outbox)."""

from django.db import migrations

from groundswell.core import upgrades


def forwards(apps, schema_editor):
    upgrades.tasks_to_outbox(
        apps,
        {"groundswell.people.rights_tasks.send_data_link": upgrades.one("people.data_link")},
        moves={
            "groundswell.people.tasks.run_import": "groundswell.people.imports.tasks.run_import",
            "groundswell.people.rights_tasks.send_requested_data_link": (
                "groundswell.people.rights.tasks.send_requested_data_link"
            ),
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_saved_searches_without_free_text"),
        ("core", "0002_outbound_priority"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

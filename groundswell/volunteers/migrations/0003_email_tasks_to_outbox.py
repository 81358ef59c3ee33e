"""Emails waiting as tasks when this version is installed go on as outbox rows (emails
are no longer tasks of their own: groundswell.core.outbox)."""

from django.db import migrations

from groundswell.core import upgrades


def reminder(apps, args):
    kind = "volunteers.reminder"
    return [(kind, f"{kind}:{args[0]}", {"args": args})]


def forwards(apps, schema_editor):
    upgrades.tasks_to_outbox(
        apps,
        {
            "groundswell.volunteers.tasks.send_confirmation": upgrades.one(
                "volunteers.confirmation"
            ),
            "groundswell.volunteers.tasks.send_reminder": reminder,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0002_rename_change"),
        ("core", "0002_outbound_priority"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Emails waiting as tasks when this version is installed go on as outbox rows (emails
are no longer tasks of their own: groundswell.core.outbox)."""

from django.db import migrations

from groundswell.core import upgrades


def forwards(apps, schema_editor):
    upgrades.tasks_to_outbox(
        apps,
        {"groundswell.organizations.tasks.send_invitation": upgrades.one("organizations.invitation")},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0004_reserved_slugs"),
        ("core", "0002_outbound_priority"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

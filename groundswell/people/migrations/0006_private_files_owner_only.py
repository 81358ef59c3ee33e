"""Uploaded imports kept before files were made private (0644 in 0755 folders) become
their owner's alone, as new ones are (groundswell.core.private)."""

from django.conf import settings
from django.db import migrations

from groundswell.core.private import close_up


def forwards(apps, schema_editor):
    close_up(settings.PRIVATE_ROOT)


class Migration(migrations.Migration):
    dependencies = [("people", "0005_tasks_moved_and_to_outbox")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

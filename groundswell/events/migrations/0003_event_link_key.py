"""An unguessable key for each event's public link (required for unlisted events), and
the organization that recorded a walk-in."""

import django.db.models.deletion
from django.db import migrations, models

import groundswell.events.models


def give_each_event_its_own_key(apps, schema_editor):  # type: ignore[no-untyped-def]
    # AddField computes a callable default once for the existing rows: make them differ.
    Event = apps.get_model("events", "Event")
    for pk in Event.objects.values_list("pk", flat=True).iterator():
        Event.objects.filter(pk=pk).update(link_key=groundswell.events.models.new_link_key())


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_rsvp_confirmation"),
        ("organizations", "0003_embed_origins"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="link_key",
            field=models.CharField(
                default=groundswell.events.models.new_link_key, editable=False, max_length=32
            ),
        ),
        migrations.RunPython(give_each_event_its_own_key, migrations.RunPython.noop),
        migrations.AddField(
            model_name="rsvp",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="organizations.organization",
            ),
        ),
    ]

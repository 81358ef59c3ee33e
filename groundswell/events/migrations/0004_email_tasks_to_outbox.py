"""Emails waiting as tasks when this version is installed go on as outbox rows (emails
are no longer tasks of their own: groundswell.core.outbox)."""

from django.db import migrations

from groundswell.core import upgrades


def proposal_notices(apps, args):
    event = apps.get_model("events", "Event").objects.filter(pk=args[0]).first()
    if event is None:
        return []
    kind = "events.proposal_notice"
    return [
        (kind, f"events.proposal:{args[0]}:{to}", {"args": [args[0], to]})
        for to in upgrades.notice_recipients(apps, event.owner_id)
    ]


def forwards(apps, schema_editor):
    upgrades.tasks_to_outbox(
        apps,
        {
            "groundswell.events.tasks.send_rsvp_notice": upgrades.one("events.rsvp_notice"),
            "groundswell.events.tasks.send_proposal_notice": proposal_notices,
            "groundswell.events.tasks.send_proposal_decision": upgrades.one(
                "events.proposal_decision"
            ),
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_event_link_key"),
        ("core", "0002_outbound_priority"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("organizations", "0005_email_tasks_to_outbox"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

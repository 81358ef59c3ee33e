"""Emails waiting as tasks when this version is installed go on as outbox rows (emails
are no longer tasks of their own: groundswell.core.outbox)."""

from django.db import migrations

from groundswell.core import upgrades


def milestone_notices(apps, args):
    milestone = apps.get_model("petitions", "Milestone").objects.filter(pk=args[0]).first()
    if milestone is None or milestone.notified_at is not None:
        return []
    owner = apps.get_model("petitions", "Petition").objects.get(pk=milestone.petition_id).owner_id
    kind = "petitions.milestone"
    return [
        (kind, f"{kind}:{args[0]}:{to}", {"milestone": args[0], "to": to})
        for to in upgrades.notice_recipients(apps, owner)
    ]


def already_signed(apps, args):
    kind = "petitions.already_signed"
    return [(kind, f"{kind}:{args[0]}:upgrade", {"signature": args[0]})]


def forwards(apps, schema_editor):
    upgrades.tasks_to_outbox(
        apps,
        {
            "groundswell.petitions.tasks.send_already_signed": already_signed,
            "groundswell.petitions.tasks.send_milestone_notice": milestone_notices,
        },
        # An update half sent goes on from where it got (emailed_through).
        moves={
            "groundswell.petitions.tasks.send_update_batch": (
                "groundswell.petitions.tasks.queue_update_emails"
            )
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0006_rename_update_response"),
        ("core", "0002_outbound_priority"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("organizations", "0005_email_tasks_to_outbox"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Emails waiting as tasks when this version is installed go on as outbox rows (emails
are no longer tasks of their own: groundswell.core.outbox)."""

from django.db import migrations

from groundswell.core import upgrades


def moderation_notices(apps, args):
    endorsement = apps.get_model("campaigns", "Endorsement").objects.filter(pk=args[0]).first()
    if endorsement is None:
        return []
    owner = apps.get_model("campaigns", "Campaign").objects.get(pk=endorsement.campaign_id).owner_id
    kind = "campaigns.moderation_notice"
    return [
        (kind, f"{kind}:{args[0]}:{to}", {"args": [args[0], to]})
        for to in upgrades.notice_recipients(apps, owner)
    ]


def forwards(apps, schema_editor):
    upgrades.tasks_to_outbox(
        apps,
        {
            "groundswell.campaigns.tasks.send_endorsement_verification": upgrades.one(
                "campaigns.endorsement_verification"
            ),
            "groundswell.campaigns.tasks.send_moderation_notice": moderation_notices,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_endorsement_ip_address"),
        ("core", "0002_outbound_priority"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("organizations", "0005_email_tasks_to_outbox"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Supporters who signed before the people app kept Supporter rows become visible to the
organizations they consented to and to those whose petitions they signed."""

from django.db import migrations


def backfill(apps, schema_editor):
    Supporter = apps.get_model("people", "Supporter")
    Consent = apps.get_model("people", "Consent")
    Signature = apps.get_model("petitions", "Signature")
    Petition = apps.get_model("petitions", "Petition")

    rows = {}
    for consent in Consent.objects.values("person_id", "organization_id", "source", "granted_at"):
        key = (consent["person_id"], consent["organization_id"])
        rows.setdefault(key, (consent["source"], consent["granted_at"]))
    for petition in Petition.objects.all():
        orgs = [petition.owner_id, *petition.sponsors.values_list("pk", flat=True)]
        signers = (
            Signature.objects.filter(petition=petition, state="verified", person__isnull=False)
            .values_list("person_id", "created_at")
            .iterator(chunk_size=5000)
        )
        for person_id, created_at in signers:
            for org_id in orgs:
                rows.setdefault((person_id, org_id), (f"petition:{petition.slug}", created_at))
    Supporter.objects.bulk_create(
        [
            Supporter(person_id=p, organization_id=o, source=source, created_at=at)
            for (p, o), (source, at) in rows.items()
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0002_integrity"),
        ("people", "0002_supporters"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

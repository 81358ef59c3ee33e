"""Supporters who signed before the people app kept Supporter rows become visible to the
organizations they consented to and to those whose petitions they signed."""

from django.db import migrations


def backfill(apps, schema_editor):
    Supporter = apps.get_model("people", "Supporter")
    Consent = apps.get_model("people", "Consent")
    Signature = apps.get_model("petitions", "Signature")
    Petition = apps.get_model("petitions", "Petition")

    rows = {}
    for petition in Petition.objects.all():
        orgs = [petition.owner_id, *petition.sponsors.values_list("pk", flat=True)]
        signers = (
            Signature.objects.filter(petition=petition, state="verified", person__isnull=False)
            .values_list(
                "person_id", "created_at", "first_name", "last_name", "email", "zip_code",
                "address", "language",
            )
            .iterator(chunk_size=5000)
        )
        for person_id, at, first, last, email, zip_code, address, language in signers:
            for org_id in orgs:
                rows.setdefault(
                    (person_id, org_id),
                    Supporter(
                        person_id=person_id, organization_id=org_id, created_at=at,
                        source=f"petition:{petition.slug}", first_name=first, last_name=last,
                        email=email, zip_code=zip_code, address=address, language=language,
                    ),
                )
    for consent in Consent.objects.values("person_id", "organization_id", "source", "granted_at"):
        key = (consent["person_id"], consent["organization_id"])
        rows.setdefault(
            key,
            Supporter(
                person_id=key[0], organization_id=key[1], source=consent["source"],
                created_at=consent["granted_at"],
            ),
        )
    Supporter.objects.bulk_create(rows.values(), batch_size=2000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0002_integrity"),
        ("people", "0002_supporters"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

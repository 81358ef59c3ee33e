"""Contact details a signature supplied stay only with organizations the signer gave
consent to (petitions.records.fields_of).

Confirming used to copy a signer's email and street address into the Supporter row of
the petition's owner and every co-sponsor, ticked or not, so that an organizer claiming
their consent later saw them. Where the person gave the organization no consent (active
or withdrawn), an email or street address equal to what one of their signatures on the
organization's petitions gave is blanked. What the organization typed or imported itself
(phone, city, other values) is its own record and stays, hidden without consent.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def blank_contact_without_consent(apps, schema_editor):
    Supporter = apps.get_model("people", "Supporter")
    Consent = apps.get_model("people", "Consent")
    Signature = apps.get_model("petitions", "Signature")

    unconsented = Supporter.objects.filter(
        ~Exists(
            Consent.objects.filter(person=OuterRef("person"), organization=OuterRef("organization"))
        )
    )
    signed = Signature.objects.filter(person=OuterRef("person")).filter(
        Q(petition__owner=OuterRef("organization")) | Q(petition__sponsors=OuterRef("organization"))
    )
    unconsented.exclude(email="").filter(Exists(signed.filter(email=OuterRef("email")))).update(
        email=""
    )
    unconsented.exclude(address="").filter(
        Exists(signed.filter(address=OuterRef("address")))
    ).update(address="")


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0003_supporters_from_signatures"),
        ("people", "0003_people_search"),
    ]

    operations = [
        migrations.RunPython(blank_contact_without_consent, migrations.RunPython.noop),
    ]

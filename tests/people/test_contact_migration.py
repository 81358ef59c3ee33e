"""petitions 0004: contact details a signature copied to organizations the signer did not
consent to are blanked on existing installs; what organizations typed themselves stays."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.models import Supporter
from groundswell.petitions.models import Petition
from tests.petitions.test_export import sign

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "groundswell.petitions.migrations.0004_supporter_contact_only_with_consent"
)


def test_contact_copied_without_consent_is_blanked_and_the_rest_kept(
    petition: Petition, action_now: Organization, ocad: Organization, other_org: Organization
) -> None:
    signature = sign(
        petition, "Ana", consents=[action_now.pk], email="ana@example.org", address="77 Hidden"
    )
    person = signature.person
    assert person is not None
    # As confirming used to write it: the signer's details for every co-sponsor.
    Supporter.objects.filter(organization=ocad).update(email="ana@example.org", address="77 Hidden")
    # Elsewhere imported her itself, without consent: its own record, hidden but kept.
    actions.link(person, other_org, source="import:1", email="ana@example.org", city="Cicero")
    Supporter.objects.filter(organization=other_org).update(phone="+13125550123", address="1 A")
    # Withdrawn consent: what she gave stays (hidden), as it would have been given.
    signed_twice = sign(petition, "Bea", consents=[ocad.pk], address="2 B St")
    bea = signed_twice.person
    assert bea is not None
    actions.withdraw_email_consent(bea, ocad, source="unsubscribe")

    migration.blank_contact_without_consent(apps, None)

    def contact(organization: Organization, who: object) -> tuple[str, ...]:
        row = Supporter.objects.get(organization=organization, person=who)
        return (row.email, row.phone, row.address, row.city)

    assert contact(ocad, person) == ("", "", "", "")
    assert contact(action_now, person) == ("ana@example.org", "", "77 Hidden", "")
    assert contact(other_org, person) == ("ana@example.org", "+13125550123", "1 A", "Cicero")
    assert contact(ocad, bea) == ("bea@example.org", "", "2 B St", "")

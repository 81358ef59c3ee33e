"""One supporter's page, and editing the organization's record of them:
/manage/<org>/people/<supporter>/ and .../edit/, named by the organization's Supporter id."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.models import Activity, AuditEvent, Supporter, Tagging
from tests.conftest import login
from tests.people.test_search import add_supporter

pytestmark = pytest.mark.django_db


def person_url(supporter: Supporter, org: str = "action-now") -> str:
    return reverse("people_manage:person", args=[org, supporter.pk])


def edit_url(supporter: Supporter, org: str = "action-now") -> str:
    return reverse("people_manage:edit", args=[org, supporter.pk])


def test_it_shows_the_record_consents_tags_custom_fields_and_timeline(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ana = add_supporter(
        action_now, "Ana", email="ana@example.org", phone="312-555-0123", address="1 Main St"
    )
    Supporter.objects.filter(pk=ana.pk).update(custom_fields={"t-shirt": "M"})
    actions.tag_people(actions.get_or_create_tag(action_now, "volunteer"), [ana.person_id])
    page = login(client, organizer).get(person_url(ana)).content.decode()
    for expected in (
        "Ana Reyes",
        "ana@example.org",
        "(312) 555-0123",
        "1 Main St",
        "volunteer",
        "t-shirt",
        "Consent given",
    ):
        assert expected in page, expected


def test_contact_fields_are_masked_without_consent(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ben = add_supporter(
        action_now,
        "Ben",
        email="ben@example.org",
        phone="312-555-0199",
        address="2 Side St",
        consent=False,
    )
    page = login(client, organizer).get(person_url(ben)).content.decode()
    assert "Ben Reyes" in page
    assert "No consent to contact" in page
    for hidden in ("ben@example.org", "555-0199", "2 Side St"):
        assert hidden not in page, hidden


def test_a_withdrawn_consent_masks_again(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana", email="ana@example.org")
    actions.withdraw_email_consent(ana.person, action_now, source="unsubscribe")
    page = login(client, organizer).get(person_url(ana)).content.decode()
    assert "ana@example.org" not in page
    assert "withdrawn on" in page


def test_a_view_is_audited(client: Client, organizer: User, action_now: Organization) -> None:
    ana = add_supporter(action_now, "Ana")
    login(client, organizer).get(person_url(ana))
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEWED)
    assert (event.person_id, event.user, event.organization) == (
        ana.person_id,
        organizer,
        action_now,
    )


def test_an_unknown_id_is_404(client: Client, organizer: User, action_now: Organization) -> None:
    response = login(client, organizer).get(
        reverse("people_manage:person", args=["action-now", 999999])
    )
    assert response.status_code == 404


def test_rights_links_are_for_owners_and_admins_only(
    client: Client, owner: User, organizer: User, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana")
    args = ["action-now", ana.pk]
    rights, erase = (reverse(f"people_manage:{n}", args=args) for n in ("rights", "erase"))
    as_owner = login(client, owner).get(person_url(ana)).content.decode()
    assert rights in as_owner and erase in as_owner
    as_organizer = login(client, organizer).get(person_url(ana)).content.decode()
    assert rights not in as_organizer and erase not in as_organizer


def test_only_owners_see_the_audit_log_link(
    client: Client, owner: User, organizer: User, action_now: Organization
) -> None:
    audit = reverse("people_manage:audit", args=["action-now"])
    people = reverse("people_manage:list", args=["action-now"])
    assert audit in login(client, owner).get(people).content.decode()
    assert audit not in login(client, organizer).get(people).content.decode()


def test_editing_changes_the_record_tags_and_custom_fields_and_is_audited(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana", email="ana@example.org", zip_code="60608")
    response = login(client, organizer).post(
        edit_url(ana),
        {
            "first_name": "Ana María",
            "last_name": "Reyes",
            "email": "ana@example.org",
            "phone": "(312) 555-0123",
            "address": "",
            "city": "Chicago",
            "state": "IL",
            "zip_code": "60609",
            "language": "es",
            "tags": "volunteer, Ward 25 captain",
            "custom_fields": "t-shirt: M\nskills: translation",
        },
    )
    assert response.status_code == 303
    ana.refresh_from_db()
    assert (ana.first_name, ana.phone, ana.zip_code, ana.language, ana.city) == (
        "Ana María",
        "+13125550123",
        "60609",
        "es",
        "Chicago",
    )
    assert ana.custom_fields == {"t-shirt": "M", "skills": "translation"}
    assert sorted(
        Tagging.objects.filter(person=ana.person).values_list("tag__name", flat=True)
    ) == [
        "Ward 25 captain",
        "volunteer",
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGED)
    assert event.detail.startswith("fields: first_name")
    assert "Ana María" not in event.detail
    assert Activity.objects.filter(person=ana.person, kind=Activity.Kind.CHANGED).exists()
    ana.person.refresh_from_db()
    assert ana.person.first_name == "Ana"  # the person's own record is not rewritten


def test_editing_someone_without_consent_leaves_their_hidden_contact_fields_alone(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ben = add_supporter(action_now, "Ben", email="ben@example.org", consent=False)
    login(client, organizer)
    form_page = client.get(edit_url(ben)).content.decode()
    assert "ben@example.org" not in form_page
    client.post(
        edit_url(ben),
        {"first_name": "Benito", "last_name": "Reyes", "email": "x@example.org", "language": "en"},
    )
    ben.refresh_from_db()
    assert (ben.first_name, ben.email) == ("Benito", "ben@example.org")


def test_bad_edits_say_what_is_wrong_and_change_nothing(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana", email="ana@example.org")
    response = login(client, organizer).post(
        edit_url(ana),
        {
            "first_name": "Changed",
            "email": "not an email",
            "phone": "12",
            "language": "xx",
            "custom_fields": "no colon here",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "does not look like a phone number" in page
    assert "is not name: value" in page
    ana.refresh_from_db()
    assert ana.first_name == "Ana"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED).exists()

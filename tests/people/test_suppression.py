"""Erasure that holds: after a person erased their data, no import, API call or
organizer entry brings them back or claims their consent (people.actions.suppression,
a list of keyed hashes); only their own new action starts over. (A worker killed in
the middle of an import is in test_suppression_across_processes.py.)"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions, tokens
from groundswell.people.actions import suppression
from groundswell.people.models import Consent, ImportRowError, Person, Supporter, Suppression
from groundswell.people.rights import actions as rights
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.actions import bulk
from groundswell.petitions.models import Petition
from tests.api.conftest import ApiClient, token_for
from tests.conftest import login, make_organizer
from tests.people.importing import HEADER, base, import_csv, map_columns, uploaded
from tests.people.test_import_errors import errors_csv

pytestmark = pytest.mark.django_db

ANA = "Ana,Reyes,ana@example.org,,60608,\n"
LUIS = "Luis,Peña,luis@example.org,,60609,\n"
REFUSAL = str(suppression.REFUSAL)


def erase_everywhere(email: str) -> None:
    """The person's own erasure, as /people/my-data/ does it."""
    person = actions.find_person(email=email)
    assert person is not None
    rights.erase(person, via="supporter")


def consent_of(organization: Organization, email: str) -> Consent | None:
    person = Person.objects.filter(supporters__email=email, supporters__organization=organization)
    return Consent.objects.filter(organization=organization, person__in=person).first()


def signs(petition: Petition, email: str, *, consents: list[int]) -> None:
    """The person's own new action: they sign and confirm from the emailed link."""
    signature = petition_actions.record_signature(
        petition,
        first_name="Ana",
        last_name="Reyes",
        email=email,
        email_normalized=email,
        zip_code="60608",
        consents=consents,
    ).signature
    petition_actions.verify_signature(petition_actions.verification_token(signature))


def test_a_reimport_after_an_unsubscribe_and_an_erasure_does_not_bring_them_back(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    first = import_csv(
        client, action_now, HEADER + ANA + LUIS, drain, consent_basis="email", consent_note="sheet"
    )
    assert first.created_count == 2
    ana = Person.objects.get(email_normalized="ana@example.org")
    actions.withdraw_email_consent(ana, action_now, source="unsubscribe link")
    erase_everywhere("ana@example.org")

    again = import_csv(
        client, action_now, HEADER + ANA + LUIS, drain, consent_basis="email", consent_note="sheet"
    )
    assert (again.created_count, again.unchanged_count, again.skipped_count) == (0, 1, 1)
    assert not Person.objects.filter(email_normalized="ana@example.org").exists()
    assert not Supporter.objects.filter(email="ana@example.org").exists()
    error = ImportRowError.objects.get(job=again)
    assert error.row_number == 2
    assert error.values == []  # her cells are not kept again
    assert "asked for their data to be erased" in error.reason
    # The result page and the file of rows to fix say so.
    page = client.get(f"{base(action_now)}{again.pk}/").content.decode()
    assert "skipped (erased at their owner's request)" in page
    rows = errors_csv(client, action_now, again.pk)
    assert "Row 2 was skipped" in rows[1][-1]
    assert "ana@example.org" not in "".join(rows[1])


def test_the_preview_counts_the_rows_that_will_be_skipped(
    client: Client, organizer: User, action_now: Organization
) -> None:
    actions.record_person(email="ana@example.org")
    erase_everywhere("ana@example.org")
    login(client, organizer)
    job = uploaded(client, action_now, (HEADER + ANA + LUIS).encode())
    assert map_columns(client, job, consent_basis="email", consent_note="sheet").status_code == 303
    page = client.get(f"{base(action_now)}{job.pk}/preview/").content.decode()
    assert "will be skipped: their owners asked for their data to be erased" in page
    assert "Row 2 was skipped" in page
    assert "Import 1 row" in page


def test_only_a_keyed_hash_is_kept(action_now: Organization) -> None:
    person = actions.record_person(email="Ana@Example.org", phone="+1 312 555 0101")
    person.phones.create(number="+13125550101")
    erase_everywhere("ana@example.org")
    kept = list(Suppression.objects.values_list("digest", "organization", "reason"))
    assert len(kept) == 2
    assert all(len(d) == 64 and org is None and r == "erased" for d, org, r in kept)
    assert not any("ana" in d or "555" in d for d, _o, _r in kept)
    with pytest.raises(actions.Suppressed):
        actions.record_person(phone="(312) 555-0101", organization=action_now)


def test_add_a_person_refuses_with_the_same_words_whoever_knew_them(
    client: Client, organizer: User, action_now: Organization, ocad: Organization
) -> None:
    # Ana was Action Now's; Bo was only OCAD's. Both erased their data.
    actions.link(actions.record_person(email="ana@example.org"), action_now, source="x")
    actions.link(actions.record_person(email="bo@example.org"), ocad, source="x")
    erase_everywhere("ana@example.org")
    erase_everywhere("bo@example.org")
    login(client, organizer)
    answers = []
    for email in ("ana@example.org", "bo@example.org"):
        response = client.post(
            f"/manage/{action_now.slug}/people/new/",
            {"first_name": "X", "email": email, "language": "en", "consent": "email"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert REFUSAL.replace("'", "&#x27;") in page
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
        answers.append(page.replace("ana@example.org", "").replace("bo@example.org", ""))
    assert answers[0] == answers[1]
    assert not Person.objects.exists() and not Consent.objects.exists()


def test_the_api_refuses_with_a_clear_message(client: Client, action_now: Organization) -> None:
    actions.record_person(email="ana@example.org")
    erase_everywhere("ana@example.org")
    api = ApiClient(client, token_for(action_now))
    body = {
        "person": {
            "given_name": "Ana",
            "email_addresses": [{"address": "ana@example.org", "status": "subscribed"}],
        }
    }
    response = api.post("people", body)
    assert response.status_code == 400, response.content
    assert response.json()["error"] == REFUSAL
    assert not Person.objects.exists() and not Consent.objects.exists()


def test_a_bulk_load_does_not_bring_them_back(petition: Petition) -> None:
    actions.record_person(email="ana@example.org")
    erase_everywhere("ana@example.org")
    people = actions.record_people([{"email": "ana@example.org"}, {"email": "bo@example.org"}])
    assert list(people) == ["bo@example.org"]
    assert bulk  # the demo's signatures go through record_people (petitions.actions.bulk)


def test_erased_from_one_organization_holds_for_that_organization_only(
    owner: User, action_now: Organization, ocad: Organization
) -> None:
    person = actions.record_person(email="ana@example.org")
    actions.link(person, action_now, source="x", email="ana@example.org")
    actions.grant_consent(person, action_now, source="x")  # so Action Now sees the address
    actions.link(person, ocad, source="x", email="ana@example.org")
    rights.erase_from_organization(person, action_now, by=owner)
    with pytest.raises(actions.Suppressed):
        actions.add_person(action_now, fields={"email": "ana@example.org"}, consent_to_email=True)
    added = actions.add_person(ocad, fields={"email": "ana@example.org"}, consent_to_email=True)
    assert Consent.objects.active().filter(organization=ocad, person=added.supporter.person)


def test_erased_from_one_organization_blocks_only_what_it_was_shown(
    owner: User, action_now: Organization, ocad: Organization
) -> None:
    # Ana signed Action Now's co-sponsored petition without its box: it never saw her
    # address, so its erasure keeps nothing that would tell it she was the one erased.
    person = actions.record_person(email="ana@example.org")
    actions.link(person, action_now, source="x", email="ana@example.org")
    rights.erase_from_organization(person, action_now, by=owner)
    assert not Suppression.objects.exists()


def test_editing_a_record_cannot_type_an_erased_address_back(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ana = actions.record_person(email="ana@example.org")
    erase_everywhere("ana@example.org")
    record = actions.add_person(
        action_now, fields={"phone": "312-555-0100", "first_name": "A"}, consent_to_email=False
    )
    supporter = record.supporter
    with pytest.raises(actions.Suppressed):
        actions.update_supporter(supporter, changes={"email": "ana@example.org"})
    supporter.refresh_from_db()
    assert supporter.email == "" and not Consent.objects.exists()
    assert ana.pk is not None
    login(client, organizer)
    response = client.post(
        f"/manage/{action_now.slug}/people/{supporter.pk}/edit/",
        {"first_name": "A", "email": "ana@example.org", "phone": "312-555-0100", "language": "en"},
        follow=True,
    )
    assert REFUSAL.replace("'", "&#x27;") in response.content.decode()
    supporter.refresh_from_db()
    assert supporter.email == ""


def test_the_persons_own_new_action_starts_over_but_keeps_an_earlier_unsubscribe(
    client: Client, petition: Petition, action_now: Organization, ocad: Organization
) -> None:
    # Imported with consent by Action Now, unsubscribed from it, then erased everything.
    person = actions.record_person(email="ana@example.org", organization=action_now)
    actions.link_supplied(person, action_now, source="import:1", email="ana@example.org")
    actions.grant_consent(person, action_now, source="import:1", claimed=True)
    actions.withdraw_email_consent(person, action_now, source="unsubscribe link")
    erase_everywhere("ana@example.org")
    # She signs OCAD's co-sponsored petition again, agreeing to hear from OCAD only.
    signs(petition, "ana@example.org", consents=[ocad.pk])
    assert Consent.objects.active().filter(organization=ocad).exists()
    # Organizations may add her again; Action Now's claim of her consent stays withdrawn.
    added = actions.add_person(
        action_now, fields={"email": "ana@example.org"}, consent_to_email=True
    )
    consent = Consent.objects.get(organization=action_now, person=added.supporter.person)
    assert consent.withdrawn_at is not None
    # Until she agrees to hear from Action Now herself.
    person = Person.objects.get(email_normalized="ana@example.org")
    actions.grant_consent(person, action_now, source="petition:x")
    assert Consent.objects.active().filter(organization=action_now, person=person).exists()
    assert not Suppression.objects.exists()


def test_an_rsvp_that_is_not_confirmed_does_not_lift_it(
    action_now: Organization, petition: Petition
) -> None:
    """Anyone can type an address into a form: only a confirmed action of the person's
    own (their consent, from the emailed link) starts over."""
    actions.record_person(email="ana@example.org")
    erase_everywhere("ana@example.org")
    actions.record_person(email="ana@example.org")  # e.g. an RSVP not yet confirmed
    with pytest.raises(actions.Suppressed):
        actions.add_person(action_now, fields={"email": "ana@example.org"}, consent_to_email=True)
    assert tokens  # unsubscribe tokens are untouched by any of this


def test_a_walk_in_check_in_refuses_them_too(client: Client, action_now: Organization) -> None:
    from tests.events.conftest import make_event

    event = make_event(action_now)
    shift = event.shifts.get()
    actions.record_person(email="ana@example.org")
    erase_everywhere("ana@example.org")
    user = make_organizer("door@actionnow.example", action_now)
    response = login(client, user).post(
        f"/manage/{action_now.slug}/events/{event.pk}/walk-in/",
        {
            "shift": shift.pk,
            "first_name": "Ana",
            "last_name": "Reyes",
            "email": "ana@example.org",
            "phone": "",
        },
    )
    assert response.status_code == 400
    assert REFUSAL.replace("'", "&#x27;") in response.content.decode()
    assert not Person.objects.exists()


def test_the_data_copy_and_the_erase_pages_say_what_is_kept_and_why(
    client: Client, owner: User, action_now: Organization
) -> None:
    person = actions.record_person(email="ana@example.org")
    supporter = actions.link(person, action_now, source="x", email="ana@example.org")
    link = reverse("people:my_data_link", args=[rights.data_link_token(person, person.email)])
    assert client.get(link).status_code == 303
    for page in ("/people/my-data/view/", "/people/my-data/view/erase/"):
        text = client.get(page).content.decode()
        assert "What we keep after erasing" in text
        assert "cannot be turned back into the address" in text
    login(client, owner)
    text = client.get(f"/manage/{action_now.slug}/people/{supporter.pk}/erase/").content.decode()
    assert "so that your imports, your API and your forms cannot add them back" in text


def test_the_json_copy_says_what_is_kept_too(action_now: Organization) -> None:
    copy = rights.data_copy(actions.record_person(email="ana@example.org"))
    assert copy["kept_after_erasure"].startswith("What we keep after erasing")

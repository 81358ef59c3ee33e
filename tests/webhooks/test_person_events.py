"""person.created and person.updated: adding someone (by hand, by a confirmed signature,
by an import) and changing the organization's record of them (an edit, consent)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.people.models import Supporter
from groundswell.people.signals import supporter_changed
from groundswell.petitions.models import Petition
from groundswell.webhooks import actions
from groundswell.webhooks.models import Delivery
from tests.conftest import login
from tests.people.importing import HEADER, import_csv
from tests.webhooks.conftest import Receiver, endpoint, sign_and_verify

pytestmark = pytest.mark.django_db

CREATED = ["person.created"]
UPDATED = ["person.updated"]


def add(organization: Organization, email: str = "luis@example.org", **extra: Any) -> Supporter:
    fields = {"email": email, "first_name": "Luis", **extra}
    return people_actions.add_person(organization, fields=fields, consent_to_email=False).supporter


def test_adding_someone_by_hand_is_person_created(
    action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    endpoint(action_now, receiver, events=CREATED)

    supporter = add(action_now)
    drain(periodic=False)

    [received] = receiver.received
    assert received.event == "person.created"
    [item] = received.json
    assert item["osdi:person"]["given_name"] == "Luis"
    assert item["osdi:person"]["identifiers"][0] == f"groundswell:{supporter.pk}"
    # Typed in by the organization, without consent: its own, as in the API.
    assert item["osdi:person"]["email_addresses"] == [
        {"primary": True, "address": "luis@example.org", "status": "unsubscribed"}
    ]


def test_an_edit_is_person_updated_and_a_tag_alone_is_not(
    action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    supporter = add(action_now)
    endpoint(action_now, receiver, events=UPDATED)

    people_actions.update_supporter(supporter, changes={"last_name": "Peña"})
    people_actions.update_supporter(supporter, changes={}, tags=["volunteer"])
    drain(periodic=False)

    [received] = receiver.received
    assert received.event == "person.updated"
    assert received.json[0]["osdi:person"]["family_name"] == "Peña"


def test_consent_given_shows_the_contact_details_and_withdrawn_hides_them(
    action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    # Given by Luis on a form (not typed in by the organization): shown with consent only.
    luis = people_actions.record_person(email="luis@example.org", first_name="Luis")
    supporter = people_actions.link(luis, action_now, source="form", email="luis@example.org")
    endpoint(action_now, receiver, events=UPDATED)

    people_actions.grant_consent(supporter.person, action_now, source="test")
    drain(periodic=False)
    people_actions.withdraw_email_consent(supporter.person, action_now, source="test")
    drain(periodic=False)

    given, withdrawn = receiver.received
    assert given.json[0]["osdi:person"]["email_addresses"][0]["address"] == "luis@example.org"
    assert withdrawn.json[0]["osdi:person"]["email_addresses"] == []


def test_an_update_waiting_behind_its_creation_is_one_delivery(
    petition: Petition, action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    endpoint(action_now, receiver, events=[*CREATED, *UPDATED])

    sign_and_verify(petition)  # links Ana, then records her consent: one transaction
    drain(periodic=False)

    [received] = receiver.received
    assert received.event == "person.created"
    assert received.json[0]["osdi:person"]["email_addresses"][0]["address"] == (
        "ana.reyes@example.org"
    )


def test_an_import_batch_is_one_signal_and_one_delivery_per_supporter(
    client: Client, owner: User, action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    endpoint(action_now, receiver, events=CREATED)
    sent: list[dict[str, Any]] = []

    def listen(sender: Any, **kwargs: Any) -> None:
        sent.append(kwargs)

    supporter_changed.connect(listen)
    try:
        rows = "".join(f"P{i},Person,p{i}@example.org,,60608,\n" for i in range(3))
        import_csv(
            login(client, owner),
            action_now,
            HEADER + rows,
            drain,
            consent_basis="email",
            consent_note="Signed our sheet",
        )
    finally:
        supporter_changed.disconnect(listen)

    created = [s for s in sent if s["created"]]
    assert len(created) == 1 and len(created[0]["supporter_ids"]) == 3
    assert Delivery.objects.count() == 3
    assert sorted(r.json[0]["osdi:person"]["given_name"] for r in receiver.received) == [
        "P0",
        "P1",
        "P2",
    ]
    # Consent came with the file: the organization sees the addresses, as in the API.
    for received in receiver.received:
        assert len(received.json) == 1
        assert received.json[0]["osdi:person"]["email_addresses"][0]["status"] == "subscribed"


def test_reimporting_changed_rows_is_person_updated(
    client: Client, owner: User, action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    login(client, owner)
    import_csv(client, action_now, HEADER + "Ana,Reyes,ana@example.org,,60608,\n", drain)
    endpoint(action_now, receiver, events=[*CREATED, *UPDATED])

    import_csv(client, action_now, HEADER + "Ana,Reyes,ana@example.org,,60609,\n", drain)

    [received] = receiver.received
    assert received.event == "person.updated"
    assert received.json[0]["osdi:person"]["postal_addresses"][0]["postal_code"] == "60609"


def test_no_delivery_for_an_event_not_subscribed_or_a_paused_endpoint(
    action_now: Organization, other_org: Organization, receiver: Receiver, drain: Any
) -> None:
    endpoint(action_now, receiver, "/signatures-only", events=["signature.verified"])
    paused = endpoint(action_now, receiver, "/paused", events=CREATED)
    actions.set_active(paused, False)
    endpoint(other_org, receiver, "/elsewhere", events=CREATED)

    add(action_now)
    drain(periodic=False)

    assert receiver.received == []
    assert not Delivery.objects.exists()


def test_resuming_a_paused_endpoint_sends_what_waited(
    action_now: Organization, receiver: Receiver, drain: Any
) -> None:
    hook = endpoint(action_now, receiver, events=CREATED)
    add(action_now)  # queued, not yet sent
    actions.set_active(hook, False)
    drain(periodic=False)
    assert receiver.received == []

    actions.set_active(hook, True)
    drain(periodic=False)

    assert len(receiver.received) == 1


def test_an_update_while_its_creation_is_being_sent_is_a_delivery_of_its_own(
    action_now: Organization, receiver: Receiver
) -> None:
    from django.utils import timezone

    from groundswell.webhooks import sending

    endpoint(action_now, receiver, events=[*CREATED, *UPDATED])
    supporter = add(action_now)
    created = Delivery.objects.get()
    assert sending.claim(created.pk, timezone.now()) is not None  # a worker is on it

    people_actions.update_supporter(supporter, changes={"last_name": "Peña"})

    assert list(Delivery.objects.order_by("pk").values_list("event", flat=True)) == [
        "person.created",
        "person.updated",
    ]

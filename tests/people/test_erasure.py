"""Erasure: by the supporter from their emailed link, or by an organizer on their request.

The person is gone everywhere; their signatures keep counting, anonymized; only an
Erasure record (and, for an organizer, an audit entry naming no one) says it happened."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization, Role
from groundswell.people import actions, audit, rights
from groundswell.people.models import (
    Activity,
    AuditEvent,
    Consent,
    Erasure,
    ListMember,
    Person,
    PersonEmail,
    PersonList,
    PersonPhone,
    Supporter,
    Tagging,
)
from groundswell.petitions import actions as petition_actions
from groundswell.petitions import counts
from groundswell.petitions.models import Petition, PetitionCount, Signature
from tests.conftest import SIGNER, login, make_organizer
from tests.petitions.test_counts import add_signatures

pytestmark = pytest.mark.django_db


def supporter_of_everything(petition: Petition) -> Person:
    """Ana signs the petition (Action Now's, co-sponsored by OCAD) agreeing to hear from
    both, gives a second address and a phone, is tagged by Action Now, put on a list by
    OCAD and imported by a third organization."""
    owner, ocad = petition.owner, petition.sponsors.get()
    signature = petition_actions.record_signature(
        petition,
        **SIGNER,
        email_normalized=SIGNER["email"],
        address="1436 W Randolph St",
        comment="For my neighbors",
        public=True,
        consents=[owner.pk, ocad.pk],
        ip_address="203.0.113.7",
    ).signature
    petition_actions.verify_signature(petition_actions.verification_token(signature))
    person = actions.record_person(email=SIGNER["email"], phone="+13125550123")
    actions.record_person(email="ana@work.example", phone="+13125550123")  # her second address
    actions.tag_people(actions.get_or_create_tag(owner, "ward 25 captain"), [person.pk])
    ocad_list = PersonList.objects.create(organization=ocad, name="Rapid response")
    ListMember.objects.create(person_list=ocad_list, person=person)
    third = Organization.objects.create(name="Pilsen Alliance", slug="pilsen")
    actions.link(person, third, source="import:1", first_name="Ana", phone="+13125550123")
    actions.record_activity(person, third, Activity.Kind.IMPORTED, summary="members.csv")
    return person


def counted(petition: Petition) -> tuple[int, int]:
    counts.fold()
    row = PetitionCount.objects.get(petition=petition)
    return row.total, row.verified


def assert_erased_everywhere(person_id: int, signature_id: int) -> None:
    assert not Person.objects.filter(pk=person_id).exists()
    for model in (PersonEmail, PersonPhone, Supporter, Consent, Tagging, ListMember, Activity):
        assert not model.objects.filter(person_id=person_id).exists(), model.__name__
    assert not Supporter.objects.exists()
    assert not PersonEmail.objects.exists() and not PersonPhone.objects.exists()
    signature = Signature.objects.get(pk=signature_id)
    assert signature.anonymized_at is not None
    assert (signature.first_name, signature.last_name, signature.email) == ("", "", "")
    assert (signature.address, signature.comment, signature.ip_address) == ("", "", None)
    assert signature.person_id is None and not signature.public
    assert "ana" not in signature.email_normalized


@pytest.fixture
def ana(petition: Petition) -> Person:
    add_signatures(petition, 5, verified=True)
    counts.recount(petition)
    return supporter_of_everything(petition)


@pytest.fixture
def link(ana: Person) -> str:
    return reverse("people:my_data_erase", args=[rights.data_link_token(ana, ana.email)])


def test_the_link_only_asks_before_erasing(client: Client, ana: Person, link: str) -> None:
    response = client.get(link)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This cannot be undone." in page
    assert "Pilsen Alliance" in page
    assert "no-store" in response["Cache-Control"]
    assert Person.objects.filter(pk=ana.pk).exists()


def test_the_supporter_erases_everything_and_the_petition_keeps_its_count(
    client: Client, petition: Petition, ana: Person, link: str, owner: User
) -> None:
    before = counted(petition)
    assert before == (6, 6)
    signature = Signature.objects.get(person=ana)
    viewed = audit.record(petition.owner, AuditEvent.Action.VIEWED, user=owner, person=ana)

    response = client.post(link)
    assert response.status_code == 303
    assert response.url == reverse("people:my_data_erased")
    final = client.get(response.url).content.decode()
    assert "Everything we held about you is erased" in final
    assert "This cannot be undone." in final

    assert_erased_everywhere(ana.pk, signature.pk)
    assert counted(petition) == before
    counts.recount(petition)
    assert counted(petition) == before
    viewed.refresh_from_db()
    assert viewed.person is None
    erasure = Erasure.objects.get()
    assert erasure.via == Erasure.Via.SUPPORTER
    assert erasure.organization is None and erasure.performed_by is None
    assert erasure.records["signatures"] == 1
    assert erasure.records["organizations"] == 3
    assert erasure.records["consents"] == 2
    assert erasure.records["emails"] == 2


def test_a_used_link_is_refused_afterwards_and_changes_nothing(
    client: Client, ana: Person, link: str
) -> None:
    client.post(link)
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert Erasure.objects.count() == 1


def test_erasing_needs_the_pages_csrf_token(ana: Person, link: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(link)
    assert response.status_code == 403
    assert Person.objects.filter(pk=ana.pk).exists()
    page = client.get(link).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert client.post(link, {"csrfmiddlewaretoken": token}).status_code == 303
    assert not Person.objects.filter(pk=ana.pk).exists()


def test_a_tampered_link_erases_nothing(client: Client, ana: Person, link: str) -> None:
    tampered = link.replace("/erase/", "x/erase/")
    response = client.post(tampered)
    assert response.status_code == 400
    assert Person.objects.filter(pk=ana.pk).exists()


# --- By an organizer ---------------------------------------------------------------------


def without_csrf(content: bytes) -> str:
    """A page as a reader compares it: each render masks the CSRF token anew."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())


def erase_url(organization: Organization, person: Person | int) -> str:
    pk = person if isinstance(person, int) else person.pk
    return reverse("people_manage:erase", args=[organization.slug, pk])


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_an_owner_or_admin_erases_on_the_supporters_request(
    client: Client, petition: Petition, ana: Person, role: str
) -> None:
    organization = petition.owner
    user = make_organizer(f"{role}@actionnow.example", organization, role)
    login(client, user)
    signature = Signature.objects.get(person=ana)
    before = counted(petition)

    page = client.get(erase_url(organization, ana))
    assert page.status_code == 200
    assert "for every organization on this site" in page.content.decode()
    assert Person.objects.filter(pk=ana.pk).exists()

    response = client.post(erase_url(organization, ana), REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 303
    assert "erased everywhere" in client.get(response.url).content.decode()
    assert_erased_everywhere(ana.pk, signature.pk)
    assert counted(petition) == before
    erasure = Erasure.objects.get()
    assert erasure.via == Erasure.Via.ORGANIZER
    assert (erasure.organization, erasure.performed_by) == (organization, user)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASED)
    assert (event.organization, event.user, event.person) == (organization, user, None)
    assert event.ip_address == "198.51.100.4"
    assert event.detail == f"erasure {erasure.pk}"
    assert event.records == sum(erasure.records.values())


def test_an_organizer_may_not_erase(
    client: Client, petition: Petition, ana: Person, organizer: User
) -> None:
    login(client, organizer)
    assert client.get(erase_url(petition.owner, ana)).status_code == 403
    assert client.post(erase_url(petition.owner, ana)).status_code == 403
    assert Person.objects.filter(pk=ana.pk).exists()
    assert not Erasure.objects.exists()


def test_a_person_another_organization_knows_is_missing_here(
    client: Client, ana: Person, other_org: Organization, outsider: User
) -> None:
    login(client, outsider)
    not_known = client.post(erase_url(other_org, ana))
    missing = client.post(erase_url(other_org, ana.pk + 1000))
    assert not_known.status_code == missing.status_code == 404
    # The same page, but for the address it echoes (the language links).
    missing_page = without_csrf(missing.content).replace(f"/{ana.pk + 1000}/", f"/{ana.pk}/")
    assert without_csrf(not_known.content) == missing_page
    assert Person.objects.filter(pk=ana.pk).exists()


def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(
    client: Client, petition: Petition, ana: Person
) -> None:
    response = client.post(erase_url(petition.owner, ana))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert Person.objects.filter(pk=ana.pk).exists()


def test_erasing_twice_is_harmless(client: Client, petition: Petition, ana: Person) -> None:
    owner = make_organizer("boss@actionnow.example", petition.owner, Role.OWNER)
    login(client, owner)
    url = erase_url(petition.owner, ana)
    assert client.post(url).status_code == 303
    assert client.post(url).status_code == 404
    assert Erasure.objects.count() == 1


def test_rights_erase_raises_for_a_person_already_gone(petition: Petition, ana: Person) -> None:
    stale = Person.objects.get(pk=ana.pk)
    rights.erase(ana, via=Erasure.Via.OPERATOR)
    with pytest.raises(Person.DoesNotExist):
        rights.erase(stale, via=Erasure.Via.OPERATOR)
    assert Erasure.objects.count() == 1


def test_the_confirmation_names_them_as_this_organization_knows_them(
    client: Client, ana: Person
) -> None:
    pilsen = Organization.objects.get(slug="pilsen")  # was given "Ana" and a phone only
    login(client, make_organizer("jo@pilsen.example", pilsen, Role.ADMIN))
    page = client.get(erase_url(pilsen, ana)).content.decode()
    assert "Erase Ana?" in page
    assert "Reyes" not in page and "ana.reyes@example.org" not in page

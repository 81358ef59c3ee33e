"""Erasure: by the supporter from their emailed link, or by an organizer on their request.

From the link, the person is gone everywhere; their signatures keep counting,
anonymized; only an Erasure record says it happened. An organizer erases them from
their own organization only (with an audit entry naming no one), and can email them
the link to erase everything."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.organizations.models import Organization, Role
from groundswell.people import actions, audit
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
from groundswell.people.rights import actions as rights
from groundswell.petitions import actions as petition_actions
from groundswell.petitions import counts
from groundswell.petitions.models import Petition, PetitionCount, Signature
from tests.conftest import SIGNER, login, make_organizer
from tests.petitions.test_counts import add_signatures
from tests.smtp import Mailbox

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
    person = actions.record_person(email=SIGNER["email"])
    # Her phone and second address, as an operator records them (typed input never adds
    # either to an existing person).
    PersonPhone.objects.get_or_create(number="+13125550123", defaults={"person": person})
    PersonEmail.objects.get_or_create(
        normalized="ana@work.example", defaults={"person": person, "address": "ana@work.example"}
    )
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
    """The emailed link: it opens the data pages in the browser that follows it."""
    return reverse("people:my_data_link", args=[rights.data_link_token(ana, ana.email)])


ERASE = "/people/my-data/view/erase/"


def opened(client: Client, link: str) -> Client:
    response = client.get(link)
    assert response.status_code == 303, response.content.decode()[:500]
    return client


def test_the_link_only_asks_before_erasing(client: Client, ana: Person, link: str) -> None:
    response = opened(client, link).get(ERASE)
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

    response = opened(client, link).post(ERASE)
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
    assert erasure.records["scope"] == "everywhere"
    assert erasure.records["signatures"] == 1
    assert erasure.records["organizations"] == 3
    assert erasure.records["consents"] == 2
    assert erasure.records["emails"] == 2


def test_a_used_link_is_refused_afterwards_and_changes_nothing(
    client: Client, ana: Person, link: str
) -> None:
    opened(client, link).post(ERASE)
    again = client.get(link)
    assert again.status_code == 400
    assert "This link does not work" in again.content.decode()
    for response in (client.get(ERASE), client.post(ERASE)):
        assert response.status_code == 400
        assert "not open in this browser" in response.content.decode()
    assert Erasure.objects.count() == 1


def test_erasing_clears_what_the_link_opened_in_the_browser(
    client: Client, ana: Person, link: str
) -> None:
    opened(client, link).post(ERASE)
    assert "people:data-grant" not in client.session
    assert client.get(reverse("people:my_data_view")).status_code == 400


def test_erasing_needs_the_pages_csrf_token(ana: Person, link: str) -> None:
    client = opened(Client(enforce_csrf_checks=True), link)
    response = client.post(ERASE)
    assert response.status_code == 403
    assert Person.objects.filter(pk=ana.pk).exists()
    page = client.get(ERASE).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert client.post(ERASE, {"csrfmiddlewaretoken": token}).status_code == 303
    assert not Person.objects.filter(pk=ana.pk).exists()


def test_a_tampered_link_erases_nothing(client: Client, ana: Person, link: str) -> None:
    response = client.get(link.replace("/my-data/", "/my-data/x"))
    assert response.status_code == 400
    assert client.post(ERASE).status_code == 400
    assert Person.objects.filter(pk=ana.pk).exists()


def test_erasing_without_opening_the_link_in_this_browser_is_refused(
    client: Client, ana: Person, link: str
) -> None:
    opened(Client(), link)  # another browser (a mail scanner, say) opened it
    response = client.post(ERASE)
    assert response.status_code == 400
    assert Person.objects.filter(pk=ana.pk).exists()
    assert not Erasure.objects.exists()


# --- By an organizer ---------------------------------------------------------------------


def without_csrf(content: bytes) -> str:
    """A page as a reader compares it: each render masks the CSRF token anew."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())


def supporter_of(organization: Organization, person: Person) -> Supporter:
    return Supporter.objects.get(organization=organization, person=person)


def erase_url(organization: Organization, supporter: Supporter | int) -> str:
    pk = supporter if isinstance(supporter, int) else supporter.pk
    return reverse("people_manage:erase", args=[organization.slug, pk])


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_an_owner_or_admin_erases_the_supporter_from_their_organization_only(
    client: Client, petition: Petition, ana: Person, role: str
) -> None:
    organization, ocad = petition.owner, petition.sponsors.get()
    pilsen = Organization.objects.get(slug="pilsen")
    user = make_organizer(f"{role}@actionnow.example", organization, role)
    login(client, user)
    signature = Signature.objects.get(person=ana)
    before = counted(petition)
    url = erase_url(organization, supporter_of(organization, ana))

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Erase Ana Reyes from Action Now?" in text
    assert "Not erased: what other organizations on this site hold about them" in text
    assert Supporter.objects.filter(organization=organization, person=ana).exists()

    response = client.post(url, REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 303
    assert (
        "Action Now no longer holds anything about them"
        in client.get(response.url).content.decode()
    )

    # Gone for Action Now: its record, consent, tag, and its petition's signature.
    assert not Supporter.objects.filter(organization=organization, person=ana).exists()
    assert not Consent.objects.filter(organization=organization, person=ana).exists()
    assert not Tagging.objects.filter(person=ana).exists()
    signature.refresh_from_db()
    assert signature.anonymized_at is not None and signature.person_id is None
    assert (signature.first_name, signature.email, signature.comment) == ("", "", "")
    assert counted(petition) == before
    # Kept: the person, and what OCAD and Pilsen hold.
    assert Person.objects.filter(pk=ana.pk).exists()
    assert PersonEmail.objects.filter(person=ana).exists()
    assert {s.organization for s in Supporter.objects.filter(person=ana)} == {ocad, pilsen}
    assert Consent.objects.filter(organization=ocad, person=ana).exists()
    assert ListMember.objects.filter(person=ana).exists()
    assert Activity.objects.filter(person=ana, organization=pilsen).exists()

    erasure = Erasure.objects.get()
    assert erasure.via == Erasure.Via.ORGANIZER
    assert (erasure.organization, erasure.performed_by) == (organization, user)
    assert erasure.records["scope"] == "organization"
    assert erasure.records["signatures"] == 1 and erasure.records["consents"] == 1
    assert erasure.records["tags"] == 1 and erasure.records["person"] == 0
    event = AuditEvent.objects.get(action=AuditEvent.Action.ERASED)
    assert (event.organization, event.user, event.person) == (organization, user, None)
    assert event.ip_address == "198.51.100.4"
    assert event.detail == f"erasure {erasure.pk} (this organization)"
    counted_here = {k: v for k, v in erasure.records.items() if k not in ("scope", "person")}
    assert event.records == sum(counted_here.values())


def test_a_co_sponsor_erasing_leaves_the_owners_signatures_and_partners_alone(
    client: Client, petition: Petition, ana: Person
) -> None:
    ocad = petition.sponsors.get()
    login(client, make_organizer("lena@ocad.example", ocad, Role.ADMIN))
    assert client.post(erase_url(ocad, supporter_of(ocad, ana))).status_code == 303
    assert not Supporter.objects.filter(organization=ocad, person=ana).exists()
    assert not Consent.objects.filter(organization=ocad, person=ana).exists()
    assert not ListMember.objects.filter(person=ana).exists()  # OCAD's list
    signature = Signature.objects.get(person=ana)  # Action Now's petition: untouched
    assert signature.anonymized_at is None and signature.comment == "For my neighbors"
    assert Supporter.objects.filter(organization=petition.owner, person=ana).exists()
    assert Tagging.objects.filter(person=ana).exists()  # Action Now's tag
    assert Erasure.objects.get().records["signatures"] == 0


def test_a_person_no_one_else_knows_is_erased_outright(
    client: Client, action_now: Organization
) -> None:
    luis = actions.record_person(email="luis@example.org", phone="+13125550199")
    actions.link(luis, action_now, source="import:1", first_name="Luis")
    actions.grant_consent(luis, action_now, source="import:1")
    admin = make_organizer("ali@actionnow.example", action_now, Role.ADMIN)
    viewed = audit.record(action_now, AuditEvent.Action.VIEWED, user=admin, person=luis)
    login(client, admin)
    response = client.post(erase_url(action_now, supporter_of(action_now, luis)))
    assert response.status_code == 303
    assert not Person.objects.filter(pk=luis.pk).exists()
    assert not PersonEmail.objects.exists() and not PersonPhone.objects.exists()
    erasure = Erasure.objects.get()
    assert erasure.records["person"] == 1
    viewed.refresh_from_db()
    assert viewed.person is None


def test_the_organization_sees_the_same_whether_or_not_others_knew_them(
    client: Client, action_now: Organization, ana: Person
) -> None:
    luis = actions.record_person(email="luis@example.org")
    actions.link(luis, action_now, source="import:1", first_name="Luis")
    admin = make_organizer("ali@actionnow.example", action_now, Role.ADMIN)
    login(client, admin)
    pages = []
    for person in (ana, luis):
        response = client.post(erase_url(action_now, supporter_of(action_now, person)))
        pages.append(without_csrf(client.get(response.url).content))
    assert pages[0] == pages[1]
    events = AuditEvent.objects.filter(action=AuditEvent.Action.ERASED).order_by("pk")
    assert [event.person for event in events] == [None, None]


def test_the_erase_page_emails_them_the_link_to_erase_everything(
    client: Client, petition: Petition, ana: Person, mailbox: Mailbox
) -> None:
    organization = petition.owner
    login(client, make_organizer("boss@actionnow.example", organization, Role.OWNER))
    url = erase_url(organization, supporter_of(organization, ana))
    page = client.get(url).content.decode()
    assert "Email them a link to erase everything, everywhere (to ana.reyes@example.org)" in page
    response = client.post(url, {"send_link": "1"}, follow=True)
    assert "a link to see and erase it is on its way to them" in response.content.decode()
    worker.drain()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "ana.reyes@example.org"
    path = re.search(r"https?://[^/\s]+(/people/my-data/[^/\s]+/)", Mailbox.text(message))
    assert path is not None
    supporter = opened(Client(), path.group(1))
    data = supporter.get(reverse("people:my_data_view")).content.decode()
    assert "Pilsen Alliance" in data and "Action Now" not in data
    assert supporter.post(ERASE).status_code == 303
    assert not Person.objects.filter(pk=ana.pk).exists()


def test_no_link_is_offered_without_this_organizations_own_consented_address(
    client: Client, ana: Person, mailbox: Mailbox
) -> None:
    pilsen = Organization.objects.get(slug="pilsen")  # a phone, no email, no consent
    login(client, make_organizer("jo@pilsen.example", pilsen, Role.ADMIN))
    url = erase_url(pilsen, supporter_of(pilsen, ana))
    assert "send_link" not in client.get(url).content.decode()
    client.post(url, {"send_link": "1"})
    assert worker.drain() == 0
    assert mailbox.messages == []


def test_an_organizer_may_not_erase(
    client: Client, petition: Petition, ana: Person, organizer: User
) -> None:
    login(client, organizer)
    url = erase_url(petition.owner, supporter_of(petition.owner, ana))
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Person.objects.filter(pk=ana.pk).exists()
    assert not Erasure.objects.exists()


def test_another_organizations_supporter_is_missing_here(
    client: Client, petition: Petition, ana: Person, other_org: Organization, outsider: User
) -> None:
    login(client, outsider)
    theirs = supporter_of(petition.owner, ana)
    not_known = client.post(erase_url(other_org, theirs))
    missing = client.post(erase_url(other_org, theirs.pk + 1000))
    assert not_known.status_code == missing.status_code == 404
    # The same page, but for the address it echoes (the language links).
    missing_page = without_csrf(missing.content).replace(f"/{theirs.pk + 1000}/", f"/{theirs.pk}/")
    assert without_csrf(not_known.content) == missing_page
    assert Supporter.objects.filter(pk=theirs.pk).exists()


def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(
    client: Client, petition: Petition, ana: Person
) -> None:
    response = client.post(erase_url(petition.owner, supporter_of(petition.owner, ana)))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert Person.objects.filter(pk=ana.pk).exists()


def test_erasing_twice_is_harmless(client: Client, petition: Petition, ana: Person) -> None:
    owner = make_organizer("boss@actionnow.example", petition.owner, Role.OWNER)
    login(client, owner)
    url = erase_url(petition.owner, supporter_of(petition.owner, ana))
    assert client.post(url).status_code == 303
    assert client.post(url).status_code == 404
    assert Erasure.objects.count() == 1


def test_erase_from_organization_raises_once_they_are_no_longer_known(
    petition: Petition, ana: Person
) -> None:
    owner = make_organizer("boss@actionnow.example", petition.owner, Role.OWNER)
    rights.erase_from_organization(ana, petition.owner, by=owner)
    with pytest.raises(Supporter.DoesNotExist):
        rights.erase_from_organization(ana, petition.owner, by=owner)
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
    page = client.get(erase_url(pilsen, supporter_of(pilsen, ana))).content.decode()
    assert "Erase Ana from Pilsen Alliance?" in page
    assert "Reyes" not in page and "ana.reyes@example.org" not in page

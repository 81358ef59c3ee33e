"""Issue 21, defect 11: erasing a person who is also on an organization's staff. Their
supporter data goes; their organizer account is said to stay (data copy, erase page),
the organization's owners and admins are told, and one of them decides: keep them, or
take them off the staff with their work handed over, which ends the account."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.organizations.models import Membership, Organization, Role
from groundswell.people import actions
from groundswell.people.actions import suppression
from groundswell.people.addresses import normalize_email
from groundswell.people.models import AuditEvent, Erasure, Person, Suppression
from groundswell.people.rights import actions as rights
from groundswell.volunteers import actions as volunteer_actions
from tests.conftest import PASSWORD, login, make_organizer
from tests.smtp import Mailbox
from tests.volunteers.conftest import volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def dee_as_supporter(organizer: User, ocad: Organization) -> Person:
    """Dee (Action Now's organizer) also signed up with OCAD, with the same address."""
    person = actions.record_person(email=organizer.email, first_name="Dee")
    actions.link(person, ocad, source="petition:p", email=organizer.email)
    return person


def erased(user: User) -> None:
    """`user`'s address is on the suppression list as erased everywhere, as erasing
    their supporter data leaves it (people.actions.suppression)."""
    suppression.suppress(
        [suppression.email_value(normalize_email(user.email))],
        reason=Suppression.Reason.ERASED,
        organization=None,
    )


def opened(client: Client, person: Person) -> Client:
    link = reverse("people:my_data_link", args=[rights.data_link_token(person, person.email)])
    assert client.get(link).status_code == 303
    return client


def test_the_data_copy_and_the_erase_page_say_the_account_stays_and_who_decides(
    client: Client, dee_as_supporter: Person, owner: User
) -> None:
    copy = rights.data_copy(dee_as_supporter)
    assert copy["staff_accounts"] == [
        {"organization": "Action Now", "role": "Organizer", "account": "dee@actionnow.example"}
    ]
    opened(client, dee_as_supporter)
    for page in ("/people/my-data/view/", "/people/my-data/view/erase/"):
        text = client.get(page).content.decode()
        assert "You also have an organizer account here" in text
        assert "Action Now (Organizer), signing in as dee@actionnow.example" in text
        assert "does not close that account" in text


def test_erasing_tells_the_owners_and_admins_not_the_person(
    client: Client, dee_as_supporter: Person, owner: User, organizer: User, mailbox: Mailbox
) -> None:
    mailbox.clear()
    opened(client, dee_as_supporter).post("/people/my-data/view/erase/")
    assert not Person.objects.filter(pk=dee_as_supporter.pk).exists()
    assert Erasure.objects.get().records["staff_accounts"] == 1
    worker.drain(periodic=False)
    [message] = mailbox.wait_for(1)
    assert message["To"] == owner.email
    assert "Dee erased their data: decide about their account at Action Now" in str(
        message["Subject"]
    )
    membership = Membership.objects.get(user=organizer)
    assert f"/manage/action-now/people/staff/{membership.pk}/erased/" in Mailbox.text(message)
    # Until someone decides, the account is as it was.
    organizer.refresh_from_db()
    assert organizer.is_active and organizer.check_password(PASSWORD)


def test_taking_them_off_hands_their_volunteers_over_and_ends_the_account(
    client: Client, owner: User, organizer: User, action_now: Organization, mailbox: Mailbox
) -> None:
    erased(organizer)
    record = volunteer(action_now)
    volunteer_actions.assign(record, organizer, by=owner)
    signed_in = Client()
    login(signed_in, organizer)
    membership = Membership.objects.get(user=organizer)
    url = f"/manage/action-now/people/staff/{membership.pk}/erased/"
    login(client, owner)
    page = client.get(url).content.decode()
    assert "Decide about Dee" in page
    response = client.post(
        url,
        {"decision": "remove", "successor": Membership.objects.get(user=owner).pk},
    )
    assert response.status_code == 303
    assert "their account is ended" in client.get(response["Location"]).content.decode()
    record.refresh_from_db()
    assert record.assignee == owner
    assert not Membership.objects.filter(user=organizer).exists()
    organizer.refresh_from_db()
    assert not organizer.is_active
    assert (organizer.first_name, organizer.email) == ("", f"ended-account-{organizer.pk}@invalid")
    assert not organizer.has_usable_password()
    assert signed_in.get("/manage/action-now/").status_code == 302  # its session ended
    assert AuditEvent.objects.filter(
        organization=action_now, detail__contains="account ended"
    ).exists()


def test_keeping_them_changes_nothing_but_the_log(
    client: Client, owner: User, organizer: User, action_now: Organization
) -> None:
    erased(organizer)
    membership = Membership.objects.get(user=organizer)
    url = f"/manage/action-now/people/staff/{membership.pk}/erased/"
    response = login(client, owner).post(url, {"decision": "keep"})
    assert response.status_code == 303
    assert Membership.objects.filter(pk=membership.pk).exists()
    organizer.refresh_from_db()
    assert organizer.is_active
    assert AuditEvent.objects.filter(organization=action_now, detail__contains="kept").exists()


def test_an_account_on_another_staff_stays_open(
    client: Client, owner: User, organizer: User, ocad: Organization
) -> None:
    erased(organizer)
    Membership.objects.create(user=organizer, organization=ocad, role=Role.ORGANIZER)
    membership = Membership.objects.get(user=organizer, organization__slug="action-now")
    url = f"/manage/action-now/people/staff/{membership.pk}/erased/"
    response = login(client, owner).post(url, {"decision": "remove"})
    assert response.status_code == 303
    organizer.refresh_from_db()
    assert organizer.is_active
    assert Membership.objects.filter(user=organizer, organization=ocad).exists()


def test_the_only_owner_cannot_be_taken_off_and_an_organizer_cannot_decide(
    client: Client, owner: User, organizer: User, action_now: Organization
) -> None:
    admin = make_organizer("ada@actionnow.example", action_now, Role.ADMIN)
    erased(owner)
    maria = Membership.objects.get(user=owner)
    url = f"/manage/action-now/people/staff/{maria.pk}/erased/"
    response = login(client, admin).post(url, {"decision": "remove"})
    assert response.status_code == 400
    assert "Only an owner can remove an owner." in response.content.decode()
    assert login(client, organizer).get(url).status_code == 403
    assert Membership.objects.filter(pk=maria.pk).exists()


def test_no_one_decides_this_way_about_a_colleague_who_did_not_erase(
    client: Client, owner: User, organizer: User, action_now: Organization
) -> None:
    membership = Membership.objects.get(user=organizer)
    url = f"/manage/action-now/people/staff/{membership.pk}/erased/"
    response = login(client, owner).post(url, {"decision": "remove"})
    assert response.status_code == 400
    assert "has not erased their data" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    organizer.refresh_from_db()
    assert organizer.is_active and organizer.has_usable_password()

"""The operator admin for people: a person is erased (people.rights.erase), never deleted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people.models import Erasure, Person, Supporter
from groundswell.petitions.models import Petition, Signature
from tests.conftest import PASSWORD
from tests.petitions.test_export import sign

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:people_person_changelist")


@pytest.fixture
def operator(db: None) -> User:
    return User.objects.create_superuser("ops@groundswell.example", PASSWORD)


@pytest.fixture
def operator_client(client: Client, operator: User) -> Client:
    client.force_login(operator)
    return client


def test_a_person_cannot_be_deleted_only_erased(
    operator_client: Client, petition: Petition
) -> None:
    person = sign(petition, "Ana", consents=[], address="1 Main St").person
    assert person is not None
    delete_url = reverse("admin:people_person_delete", args=[person.pk])
    assert operator_client.post(delete_url, {"post": "yes"}).status_code == 403
    page = operator_client.get(CHANGELIST).content.decode()
    assert "delete_selected" not in page
    assert "Erase (irreversible)" in page
    assert Person.objects.filter(pk=person.pk).exists()


def test_erasing_asks_first_then_erases_everywhere_and_records_it(
    operator_client: Client, operator: User, petition: Petition, action_now: Organization
) -> None:
    signature = sign(petition, "Ana", consents=[action_now.pk], address="1 Main St")
    person = signature.person
    assert person is not None
    chosen = {"action": "erase", "_selected_action": [str(person.pk)]}
    confirm = operator_client.post(CHANGELIST, chosen)
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()  # nothing happened yet
    done = operator_client.post(CHANGELIST, {**chosen, "post": "yes"}, follow=True)
    assert "1 person erased everywhere" in done.content.decode()
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Supporter.objects.exists()
    signature = Signature.objects.get(pk=signature.pk)
    assert (signature.first_name, signature.email, signature.address) == ("", "", "")
    assert signature.ip_address is None
    erasure = Erasure.objects.get()
    assert (erasure.via, erasure.performed_by) == (Erasure.Via.OPERATOR, operator)


def test_staff_who_may_only_view_people_cannot_erase(client: Client, petition: Petition) -> None:
    person = sign(petition, "Ana", consents=[]).person
    assert person is not None
    staff = User.objects.create_user("staff@groundswell.example", PASSWORD, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_person"))
    client.force_login(staff)
    response = client.post(
        CHANGELIST, {"action": "erase", "_selected_action": [str(person.pk)], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert Person.objects.filter(pk=person.pk).exists()
    assert not Erasure.objects.exists()

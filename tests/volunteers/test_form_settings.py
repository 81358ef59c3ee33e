"""The volunteer form's settings and the organization's interests, managed by its
organizers at /manage/<org>/volunteers/form/."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.volunteers.models import Interest, VolunteerForm
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_organizers_add_and_remove_interests(
    client: Client, action_now: Organization, organizer: User
) -> None:
    login(client, organizer)
    url = "/manage/action-now/volunteers/form/interests/"
    assert client.post(url, {"name": "  Court   support ", "name_es": "Apoyo"}).status_code == 303
    interest = Interest.objects.get(organization=action_now)
    assert (interest.name, interest.name_es) == ("Court support", "Apoyo")
    assert "Court support" in client.get("/volunteer/action-now/").content.decode()
    assert client.post(f"{url}{interest.pk}/remove/").status_code == 303
    interest.refresh_from_db()
    assert interest.archived
    client.get("/manage/action-now/volunteers/form/")  # shows the "is off the form" message
    assert "Court support" not in client.get("/volunteer/action-now/").content.decode()
    # Adding it again brings it back rather than making a second one.
    client.post(url, {"name": "court support"})
    assert Interest.objects.filter(organization=action_now, archived=False).count() == 1


def test_an_empty_interest_is_refused(
    client: Client, action_now: Organization, organizer: User
) -> None:
    login(client, organizer)
    response = client.post("/manage/action-now/volunteers/form/interests/", {"name": "   "})
    assert response.status_code == 400
    assert not Interest.objects.exists()


def test_settings_are_saved_and_checked(
    client: Client, action_now: Organization, organizer: User
) -> None:
    login(client, organizer)
    url = "/manage/action-now/volunteers/form/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"is_open": "on", "reminder_days": "-1"})
    assert bad.status_code == 400 and not VolunteerForm.objects.exists()
    good = client.post(url, {"intro": "Join us at court.", "reminder_days": "5"})
    assert good.status_code == 303
    saved = VolunteerForm.objects.get(organization=action_now)
    assert (saved.is_open, saved.intro, saved.reminder_days) == (False, "Join us at court.", 5)


def test_other_organizations_cannot_change_the_form(
    client: Client, action_now: Organization, outsider: User
) -> None:
    login(client, outsider)
    assert client.get("/manage/action-now/volunteers/form/").status_code == 403
    url = "/manage/action-now/volunteers/form/interests/"
    assert client.post(url, {"name": "Spam"}).status_code == 403
    assert not Interest.objects.exists()

"""Starting a petition: /manage/<org>/petitions/new/."""

from __future__ import annotations

import datetime
import io
import os
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from groundswell.accounts.models import User
from groundswell.organizations.models import InvitationState, Organization
from groundswell.petitions.models import Petition, Status
from tests.conftest import login, make_organizer
from tests.organizations.conftest import join_coalition

pytestmark = pytest.mark.django_db


def create_url(org: str = "action-now") -> str:
    return reverse("petitions_manage:create", args=[org])


def petition_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Erase the Gang Database",
        "slug": "",
        "ask": "We ask the City of Chicago to:\n\n1. Erase the gang database.\n2. Fund services.",
        "why": "The database criminalizes young Black and Latino Chicagoans.",
        "image_alt": "",
        "deadline": "",
        "title_es": "",
        "ask_es": "",
        "why_es": "",
        "targets-TOTAL_FORMS": "3",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "1",
        "targets-MAX_NUM_FORMS": "50",
        "targets-0-name": "Lori Lightfoot",
        "targets-0-title": "Mayor",
        "targets-0-office": "City of Chicago",
        "targets-1-name": "Eddie Johnson",
        "targets-1-title": "Superintendent",
        "targets-1-office": "Chicago Police Department",
        "targets-2-name": "",
        "targets-2-title": "",
        "targets-2-office": "",
    }
    data.update(overrides)
    return data


def png(size: tuple[int, int] = (40, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile("banner.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_an_organizer_creates_a_draft_with_its_decision_makers_in_order(
    client: Client, organizer: User, action_now: Organization
) -> None:
    response = login(client, organizer).post(create_url(), petition_data())

    petition = Petition.objects.get(slug="erase-the-gang-database")
    assert response.status_code == 303
    assert response["Location"] == reverse(
        "petitions_manage:dashboard", args=["action-now", petition.slug]
    )
    assert petition.owner == action_now
    assert petition.created_by == organizer
    assert petition.status == Status.DRAFT
    assert [(t.name, t.title, t.office) for t in petition.targets.all()] == [
        ("Lori Lightfoot", "Mayor", "City of Chicago"),
        ("Eddie Johnson", "Superintendent", "Chicago Police Department"),
    ]
    followed = client.get(response["Location"])
    assert "saved as a draft" in followed.content.decode()


def test_the_form_page_offers_labelled_fields_and_decision_maker_rows(
    client: Client, organizer: User
) -> None:
    response = login(client, organizer).get(create_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_title">' in html
    assert "<legend" in html and "Decision maker 1" in html
    assert 'name="targets-2-name"' in html  # extra rows to fill in
    assert 'aria-describedby="id_ask_helptext"' in html
    assert "numbered" in html.lower()


def test_a_short_name_already_taken_is_refused_with_a_clear_message(
    client: Client, organizer: User, draft_petition: Petition
) -> None:
    response = login(client, organizer).post(create_url(), petition_data(slug="defend-chicago"))

    assert response.status_code == 400
    assert "Another petition already uses “defend-chicago”" in response.content.decode()
    assert Petition.objects.count() == 1


def test_a_short_name_made_from_a_title_already_used_is_refused(
    client: Client, organizer: User
) -> None:
    login(client, organizer).post(create_url(), petition_data())
    response = client.post(create_url(), petition_data())

    assert response.status_code == 400
    assert "made from the title" in response.content.decode()
    assert Petition.objects.count() == 1


@pytest.mark.parametrize("slug", ["new", "rules"])
def test_reserved_short_names_are_refused(client: Client, organizer: User, slug: str) -> None:
    response = login(client, organizer).post(create_url(), petition_data(slug=slug))

    assert response.status_code == 400
    assert not Petition.objects.exists()


def test_missing_fields_are_reported_with_their_errors_tied_to_them(
    client: Client, organizer: User
) -> None:
    data = petition_data(title="", ask="", **{"targets-0-name": "", "targets-1-name": ""})
    response = login(client, organizer).post(create_url(), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved" in html
    assert 'id="id_title_error"' in html
    assert 'aria-describedby="id_title_error"' in html
    assert 'aria-invalid="true"' in html
    assert "Type the decision maker&#x27;s name." in html
    assert not Petition.objects.exists()


def test_an_oversized_title_is_refused(client: Client, organizer: User) -> None:
    response = login(client, organizer).post(create_url(), petition_data(title="x" * 201))

    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    assert not Petition.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(client: Client, organizer: User) -> None:
    fake = SimpleUploadedFile("banner.png", b"<svg onload=alert(1)>", content_type="image/png")
    data = petition_data(image=fake, image_alt="A banner")
    response = login(client, organizer).post(create_url(), data)

    assert response.status_code == 400
    assert "Upload a valid image" in response.content.decode()
    assert not Petition.objects.exists()


def test_an_image_larger_than_the_upload_limit_is_refused(
    client: Client, organizer: User, settings: Any
) -> None:
    settings.MAX_UPLOAD_BYTES = 1024
    buffer = io.BytesIO()
    Image.frombytes("RGB", (100, 100), os.urandom(30_000)).save(buffer, "PNG")
    big = SimpleUploadedFile("noise.png", buffer.getvalue(), content_type="image/png")
    data = petition_data(image=big, image_alt="A banner")
    response = login(client, organizer).post(create_url(), data)

    assert response.status_code == 400
    assert "the largest allowed is 1.0" in response.content.decode()
    assert not Petition.objects.exists()


def test_an_image_needs_a_description(client: Client, organizer: User) -> None:
    response = login(client, organizer).post(create_url(), petition_data(image=png()))

    assert response.status_code == 400
    assert "Describe the image." in response.content.decode()
    assert not Petition.objects.exists()


def test_an_image_with_its_description_is_stored(client: Client, organizer: User) -> None:
    data = petition_data(image=png(), image_alt="Marchers outside City Hall")
    login(client, organizer).post(create_url(), data)

    petition = Petition.objects.get()
    assert petition.image.name.startswith("petitions/")
    assert petition.image_alt == "Marchers outside City Hall"


def test_a_deadline_in_the_past_is_refused(client: Client, organizer: User) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = login(client, organizer).post(
        create_url(), petition_data(deadline=yesterday.isoformat())
    )

    assert response.status_code == 400
    assert "cannot be in the past" in response.content.decode()
    assert not Petition.objects.exists()


def test_spanish_texts_and_counting_unverified_signatures_are_saved(
    client: Client, organizer: User
) -> None:
    data = petition_data(
        title_es="Borren la base de datos de pandillas",
        ask_es="1. Borren la base de datos.",
        counts_unverified="on",
    )
    login(client, organizer).post(create_url(), data)

    petition = Petition.objects.get()
    assert petition.title_es == "Borren la base de datos de pandillas"
    assert petition.counts_unverified is True


def test_named_co_sponsors_are_invited_and_the_owner_cannot_sponsor_itself(
    client: Client, organizer: User, action_now: Organization, ocad: Organization
) -> None:
    data = petition_data(sponsors=[str(ocad.pk), str(action_now.pk)])
    response = login(client, organizer).post(create_url(), data)

    assert response.status_code == 400  # the owner is not among the choices
    response = client.post(create_url(), petition_data(sponsors=[str(ocad.pk)]))
    assert response.status_code == 303
    petition = Petition.objects.get()
    assert list(petition.sponsors.all()) == []  # until OCAD accepts
    [invitation] = petition.sponsor_invitations.all()
    assert (invitation.organization, invitation.state) == (ocad, InvitationState.PENDING)
    assert invitation.invited_by == organizer


def test_a_coalition_sees_its_members_first_among_possible_co_sponsors(
    client: Client, ocad: Organization, other_org: Organization
) -> None:
    coalition = Organization.objects.create(
        name="Chicago Sanctuary Coalition", slug="sanctuary", is_coalition=True
    )
    join_coalition(coalition, other_org)
    coordinator = make_organizer("lu@sanctuary.example", coalition)
    html = login(client, coordinator).get(create_url("sanctuary")).content.decode()

    assert "Elsewhere Alliance (coalition member)" in html
    assert html.index("Elsewhere Alliance") < html.index("Organized Communities")


def test_an_organizer_of_another_organization_cannot_create_for_it(
    client: Client, outsider: User, action_now: Organization
) -> None:
    response = login(client, outsider).post(create_url(), petition_data())

    assert response.status_code == 403
    assert not Petition.objects.exists()


def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(
    client: Client, action_now: Organization
) -> None:
    response = client.post(create_url(), petition_data())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Petition.objects.exists()


def test_it_rejects_the_same_decision_maker_twice(
    client: Client, owner: User, action_now: Organization
) -> None:
    client.force_login(owner)
    data = {
        "title": "Twice",
        "slug": "twice",
        "ask": "Ask",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "1",
        "targets-MAX_NUM_FORMS": "50",
        "targets-0-name": "Rahm Emanuel",
        "targets-1-name": "rahm emanuel",
    }
    response = client.post("/manage/action-now/petitions/new/", data)
    assert response.status_code == 400
    assert "Each decision maker can be named once." in response.content.decode()
    assert not Petition.objects.filter(slug="twice").exists()


def test_a_huge_sponsor_id_is_an_invalid_choice_not_an_error(
    client: Client, owner: User, action_now: Organization
) -> None:
    client.force_login(owner)
    data = {
        "title": "Huge",
        "slug": "huge",
        "ask": "Ask",
        "sponsors": "9" * 30,
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "1",
        "targets-MAX_NUM_FORMS": "50",
        "targets-0-name": "Rahm Emanuel",
    }
    response = client.post("/manage/action-now/petitions/new/", data)
    assert response.status_code == 400
    assert not Petition.objects.filter(slug="huge").exists()

"""Editing a petition: /manage/<org>/petitions/<slug>/edit/."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from groundswell.accounts.models import User
from groundswell.organizations.models import InvitationState, Organization
from groundswell.petitions import actions
from groundswell.petitions.models import Petition, PetitionCount, PetitionResponse, Status
from tests.conftest import login

pytestmark = pytest.mark.django_db


def edit_url(petition: Petition, org: str = "action-now") -> str:
    return reverse("petitions_manage:edit", args=[org, petition.slug])


def edit_data(petition: Petition, **overrides: Any) -> dict[str, Any]:
    """The form as the edit page fills it in, with `overrides` typed over it."""
    targets = list(petition.targets.all())
    data: dict[str, Any] = {
        "title": petition.title,
        "slug": petition.slug,
        "ask": petition.ask,
        "why": petition.why,
        "image_alt": petition.image_alt,
        "deadline": petition.deadline.isoformat() if petition.deadline else "",
        "title_es": petition.title_es,
        "ask_es": petition.ask_es,
        "why_es": petition.why_es,
        "sponsors": [str(o.pk) for o in petition.sponsors.all()],
        "targets-TOTAL_FORMS": str(len(targets) + 2),
        "targets-INITIAL_FORMS": str(len(targets)),
        "targets-MIN_NUM_FORMS": "1",
        "targets-MAX_NUM_FORMS": "50",
    }
    if petition.counts_unverified:
        data["counts_unverified"] = "on"
    for i, target in enumerate(targets):
        data.update(
            {
                f"targets-{i}-name": target.name,
                f"targets-{i}-title": target.title,
                f"targets-{i}-office": target.office,
            }
        )
    for i in range(len(targets), len(targets) + 2):
        data.update({f"targets-{i}-name": "", f"targets-{i}-title": "", f"targets-{i}-office": ""})
    data.update(overrides)
    return data


def snapshot(petition: Petition) -> tuple[Any, ...]:
    petition.refresh_from_db()
    return (
        petition.title,
        petition.slug,
        petition.ask,
        petition.status,
        petition.counts_unverified,
        [t.name for t in petition.targets.all()],
        [o.slug for o in petition.sponsors.all()],
    )


def test_the_owner_edits_texts_decision_makers_and_co_sponsors(
    client: Client,
    organizer: User,
    draft_petition: Petition,
    ocad: Organization,
    other_org: Organization,
) -> None:
    data = edit_data(
        draft_petition,
        title="Defend Chicago: expand sanctuary",
        slug="defend-chicago-now",
        sponsors=[str(other_org.pk)],
        **{"targets-1-name": "Eddie Johnson", "targets-1-title": "Superintendent"},
    )
    response = login(client, organizer).post(edit_url(draft_petition), data)

    assert response.status_code == 303
    petition = Petition.objects.get(pk=draft_petition.pk)
    assert petition.title == "Defend Chicago: expand sanctuary"
    assert petition.slug == "defend-chicago-now"
    assert [t.name for t in petition.targets.all()] == ["Rahm Emanuel", "Eddie Johnson"]
    # OCAD, no longer named, stops co-sponsoring; the Elsewhere Alliance is invited.
    assert list(petition.sponsors.all()) == []
    assert [(i.organization, i.state) for i in petition.sponsor_invitations.pending()] == [
        (other_org, InvitationState.PENDING)
    ]
    assert ocad not in petition.organizations
    assert "Your changes are saved." in client.get(response["Location"]).content.decode()


def test_a_decision_maker_can_be_removed_but_not_the_last_one(
    client: Client, organizer: User, draft_petition: Petition
) -> None:
    login(client, organizer)
    actions.set_targets(draft_petition, [{"name": "Rahm Emanuel"}, {"name": "Eddie Johnson"}])
    response = client.post(
        edit_url(draft_petition), edit_data(draft_petition, **{"targets-0-DELETE": "on"})
    )
    assert response.status_code == 303
    assert [t.name for t in draft_petition.targets.all()] == ["Eddie Johnson"]

    response = client.post(
        edit_url(draft_petition), edit_data(draft_petition, **{"targets-0-DELETE": "on"})
    )
    assert response.status_code == 400
    assert "Name at least one decision maker." in response.content.decode()
    assert [t.name for t in draft_petition.targets.all()] == ["Eddie Johnson"]


def test_editing_decision_makers_keeps_each_response_tied_to_who_gave_it(
    client: Client, organizer: User, petition: Petition
) -> None:
    mayor = petition.targets.get()
    response = actions.record_response(
        petition, recorded_by=organizer, target=mayor, body="We will consider it."
    )
    data = edit_data(petition, **{"targets-1-name": "Eddie Johnson"})
    login(client, organizer).post(edit_url(petition), data)

    response.refresh_from_db()
    assert response.target is not None and response.target.name == "Rahm Emanuel"

    data = edit_data(petition, **{"targets-0-name": "Lori Lightfoot"})
    client.post(edit_url(petition), data)
    response.refresh_from_db()
    assert response.target is None
    assert response.who == "Mayor Rahm Emanuel"


def test_counting_unverified_signatures_refreshes_the_count_at_once(
    client: Client, organizer: User, petition: Petition, drain: Any
) -> None:
    actions.record_signature(
        petition,
        first_name="Ana",
        last_name="Reyes",
        email="ana@example.org",
        email_normalized="ana@example.org",
        zip_code="60608",
    )
    drain()
    assert PetitionCount.objects.get(petition=petition).shown == 0

    login(client, organizer).post(edit_url(petition), edit_data(petition, counts_unverified="on"))

    assert PetitionCount.objects.get(petition=petition).shown == 1


def test_a_published_petition_warns_that_signers_saw_the_old_text_and_keeps_its_address(
    client: Client, organizer: User, petition: Petition
) -> None:
    page = login(client, organizer).get(edit_url(petition)).content.decode()
    assert "people have already signed the text as it was" in page

    data = edit_data(petition, slug="another-address", ask="1. A clearer demand.")
    response = client.post(edit_url(petition), data)

    assert response.status_code == 303
    petition.refresh_from_db()
    assert petition.slug == "defend-chicago"
    assert petition.ask == "1. A clearer demand."
    assert petition.status == Status.OPEN


def test_a_deadline_already_past_may_stay_but_not_be_set_anew(
    client: Client, organizer: User, petition: Petition
) -> None:
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    Petition.objects.filter(pk=petition.pk).update(deadline=last_week)
    petition.refresh_from_db()
    login(client, organizer)

    assert client.post(edit_url(petition), edit_data(petition, why="More.")).status_code == 303
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(edit_url(petition), edit_data(petition, deadline=yesterday))
    assert response.status_code == 400
    petition.refresh_from_db()
    assert petition.deadline == last_week


def test_replacing_the_image_removes_the_old_file(
    client: Client,
    organizer: User,
    draft_petition: Petition,
    settings: Any,
    tmp_path: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path

    def png(name: str) -> SimpleUploadedFile:
        buffer = io.BytesIO()
        Image.new("RGB", (20, 10), "blue").save(buffer, "PNG")
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")

    login(client, organizer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit_url(draft_petition),
            edit_data(draft_petition, image=png("first.png"), image_alt="A march"),
        )
    draft_petition.refresh_from_db()
    first = tmp_path / draft_petition.image.name
    assert first.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit_url(draft_petition),
            edit_data(draft_petition, image=png("second.png"), image_alt="A rally"),
        )
    draft_petition.refresh_from_db()
    assert (tmp_path / draft_petition.image.name).exists()
    assert not first.exists()


def test_an_organizer_of_another_organization_gets_403_and_nothing_changes(
    client: Client, outsider: User, draft_petition: Petition
) -> None:
    before = snapshot(draft_petition)
    login(client, outsider)

    assert client.get(edit_url(draft_petition)).status_code == 403
    response = client.post(edit_url(draft_petition), edit_data(draft_petition, title="Hijacked"))
    assert response.status_code == 403
    # Through their own organization's area the petition does not exist.
    response = client.post(
        edit_url(draft_petition, "elsewhere"), edit_data(draft_petition, title="Hijacked")
    )
    assert response.status_code == 404
    assert snapshot(draft_petition) == before


def test_a_co_sponsor_organizer_cannot_edit(
    client: Client, ocad_organizer: User, draft_petition: Petition
) -> None:
    before = snapshot(draft_petition)
    login(client, ocad_organizer)

    for org in ("ocad", "action-now"):
        assert client.get(edit_url(draft_petition, org)).status_code == 403
        response = client.post(
            edit_url(draft_petition, org), edit_data(draft_petition, title="Changed")
        )
        assert response.status_code == 403
    assert snapshot(draft_petition) == before


def test_a_response_recorded_elsewhere_is_untouched_by_an_edit_that_keeps_the_targets(
    client: Client, organizer: User, petition: Petition
) -> None:
    response = actions.record_response(
        petition, recorded_by=organizer, responder="Office of the Mayor", body="Noted."
    )
    login(client, organizer).post(edit_url(petition), edit_data(petition, why="Updated."))

    assert PetitionResponse.objects.get(pk=response.pk).responder == "Office of the Mayor"

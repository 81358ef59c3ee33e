"""The organizer's pages: write a text to a tag, see the exact recipient count and the
segments before sending, send it; nobody else's texts, no one else's organization."""

from __future__ import annotations

from typing import Any

from django.test import Client

from groundswell.organizations.models import Membership
from groundswell.people.models import Tag
from groundswell.texts.models import Blast, BlastState
from groundswell.texts.quiet import zone_of
from tests.conftest import login
from tests.texts.conftest import write


def test_an_organizer_writes_previews_and_sends_a_text(
    client: Client, organizer: Any, members: Tag
) -> None:
    login(client, organizer)
    page = client.get("/manage/action-now/texts/new/")
    assert page.status_code == 200 and b"data-segments" in page.content
    answer = client.post(
        "/manage/action-now/texts/new/",
        {"body": "¿Vienes el sábado? Únete 🎉", "language": "en", "tags": [str(members.pk)]},
    )
    blast = Blast.objects.get()
    assert answer["Location"] == f"/manage/action-now/texts/{blast.pk}/"
    preview = client.get(answer["Location"]).content.decode()
    assert "2 people will receive it" in preview
    # "Action Now: " + the message + the stop line: 71 UTF-16 units, over 70.
    assert "2 parts (71 characters with accents or emoji, 67 per part)" in preview
    assert "(70 characters instead of 160): á Ú 🎉" in preview
    client.post(f"/manage/action-now/texts/{blast.pk}/send/")
    blast.refresh_from_db()
    assert blast.state == BlastState.SENDING


def test_a_text_with_no_audience_is_refused_with_a_message(
    client: Client, organizer: Any, members: Tag
) -> None:
    login(client, organizer)
    page = client.post("/manage/action-now/texts/new/", {"body": "Hi", "language": "en"})
    assert page.status_code == 200
    assert "Choose at least one tag or list to text." in page.content.decode()
    assert not Blast.objects.exists()


def test_nobody_else_sees_or_sends_the_organizations_texts(
    client: Client, membership: Membership, members: Tag, outsider: Any
) -> None:
    blast = write(membership, members)
    login(client, outsider)
    assert client.get("/manage/action-now/texts/").status_code == 403
    assert client.get("/manage/elsewhere/texts/").status_code == 200
    assert client.get(f"/manage/elsewhere/texts/{blast.pk}/").status_code == 404
    assert client.post(f"/manage/elsewhere/texts/{blast.pk}/send/").status_code == 404
    blast.refresh_from_db()
    assert blast.state == BlastState.DRAFT


def test_owners_set_the_time_zone_of_quiet_hours_and_organizers_may_not(
    client: Client, owner: Any, organizer: Any, action_now: Any
) -> None:
    login(client, organizer)
    assert client.get("/manage/action-now/texts/settings/").status_code == 403
    login(client, owner)
    client.post("/manage/action-now/texts/settings/", {"time_zone": "America/New_York"})
    assert zone_of(action_now) == "America/New_York"
    page = client.post("/manage/action-now/texts/settings/", {"time_zone": "Mars/Olympus"})
    assert page.status_code == 200 and zone_of(action_now) == "America/New_York"

"""The organizer's pages for mailings."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from groundswell.mailings.models import Mailing, MailingState
from groundswell.people.models import Tag
from tests.conftest import login


def test_an_organizer_writes_previews_and_sends_a_mailing(
    client: Client, organizer: Any, members: Tag, settings: Any
) -> None:
    login(client, organizer)
    response = client.post(
        reverse("mailings_manage:create", args=["action-now"]),
        {
            "subject": "Saturday",
            "body": 'Hi {{ first_name|default:"friend" }}, see you **Saturday**.',
            "language": "en",
            "tags": [str(members.pk)],
        },
    )
    mailing = Mailing.objects.get()
    assert response["Location"] == reverse(
        "mailings_manage:detail", args=["action-now", mailing.pk]
    )

    page = client.get(response["Location"]).content.decode()
    assert "2 people will receive it" in page
    assert "Hi friend, see you <strong>Saturday</strong>." in page

    client.post(reverse("mailings_manage:change", args=["action-now", mailing.pk, "send"]))
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SCHEDULED
    progress = client.get(reverse("mailings_manage:progress", args=["action-now", mailing.pk]))
    assert progress.json()["percent"] == 0


def test_an_unknown_merge_field_is_refused_and_nothing_saved(
    client: Client, organizer: Any, members: Tag
) -> None:
    login(client, organizer)
    response = client.post(
        reverse("mailings_manage:create", args=["action-now"]),
        {"subject": "Hi", "body": "{{ frist_name }}", "language": "en", "tags": [str(members.pk)]},
    )
    assert response.status_code == 200
    assert "{{ frist_name }} is not a merge field" in response.content.decode()
    assert not Mailing.objects.exists()


def test_an_outsider_sees_no_mailing(client: Client, outsider: Any, organizer: Any) -> None:
    login(client, outsider)
    response = client.get(reverse("mailings_manage:list", args=["action-now"]))
    assert response.status_code == 403

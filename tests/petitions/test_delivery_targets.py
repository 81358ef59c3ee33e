"""The target picker on the petition form: decision makers on record (who hold an
office today), every member of a body at once, free text, and a response threshold
per target."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.legislation.demo import Loaded
from groundswell.legislation.models import Body
from groundswell.petitions.models import Petition, Target
from tests.conftest import login
from tests.petitions.delivery import alderperson, council, mayor
from tests.petitions.test_manage_create import create_url, petition_data

pytestmark = pytest.mark.django_db
__all__ = ["council"]


def picked(**rows: Any) -> dict[str, Any]:
    """The form's data with these target rows (targets-N-field: value) instead."""
    data = petition_data()
    for n in range(3):
        for field in ("name", "title", "office"):
            data[f"targets-{n}-{field}"] = ""
    data.update({k.replace("__", "-"): v for k, v in rows.items()})
    return data


def test_the_picker_offers_the_decision_makers_in_office_by_body(
    client: Client, organizer: User, council: Loaded
) -> None:
    html = login(client, organizer).get(create_url()).content.decode()

    assert '<optgroup label="City Council">' in html
    assert "Ward 25 Alderperson (Alderperson, Ward 25)" in html
    assert "Brandon Johnson (Mayor)" in html
    assert 'name="targets-body-body"' in html  # every member of a body
    assert 'name="targets-0-response_threshold"' in html


def test_a_decision_maker_on_record_becomes_a_target_with_its_office_and_threshold(
    client: Client, organizer: User, council: Loaded
) -> None:
    data = picked(
        **{
            "targets-0-decision_maker": str(mayor().pk),
            "targets-0-response_threshold": "1000",
            "targets-1-name": "Larry Snelling",
            "targets-1-title": "Superintendent",
        }
    )
    response = login(client, organizer).post(create_url(), data)

    assert response.status_code == 303
    petition = Petition.objects.get(slug=data["slug"] or "erase-the-gang-database")
    first, second = petition.targets.all()
    assert (first.decision_maker, first.name, first.title, first.office) == (
        mayor(),
        "Brandon Johnson",
        "Mayor",
        "Office of the Mayor",
    )
    assert first.response_threshold == 1000
    assert (second.decision_maker, second.name, second.response_threshold) == (
        None,
        "Larry Snelling",
        None,
    )


def test_every_member_of_the_council_is_added_after_those_named(
    client: Client, organizer: User, council: Loaded
) -> None:
    data = picked(
        **{
            "targets-0-decision_maker": str(alderperson(7).pk),
            "targets-0-response_threshold": "50",
            "targets-body-body": str(Body.objects.get(slug="city-council").pk),
            "targets-body-response_threshold": "100",
        }
    )
    response = login(client, organizer).post(create_url(), data)

    assert response.status_code == 303
    targets = list(Target.objects.all())
    assert len(targets) == 50  # ward 7's alderperson once, not twice
    assert targets[0].decision_maker == alderperson(7) and targets[0].response_threshold == 50
    assert targets[1].decision_maker == alderperson(1) and targets[1].response_threshold == 100
    assert targets[-1].title == "Alderperson, Ward 50"


def test_a_decision_maker_not_on_the_list_is_refused_and_nothing_is_saved(
    client: Client, organizer: User, council: Loaded
) -> None:
    response = login(client, organizer).post(
        create_url(), picked(**{"targets-0-decision_maker": "999999"})
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Petition.objects.exists()


def test_a_threshold_must_be_a_positive_number(
    client: Client, organizer: User, council: Loaded
) -> None:
    response = login(client, organizer).post(
        create_url(),
        picked(**{"targets-0-name": "Someone", "targets-0-response_threshold": "0"}),
    )

    assert response.status_code == 400
    assert "greater than or equal to 1" in response.content.decode()
    assert not Petition.objects.exists()


def test_a_threshold_without_a_name_asks_for_the_name(
    client: Client, organizer: User, council: Loaded
) -> None:
    response = login(client, organizer).post(
        create_url(),
        picked(**{"targets-0-name": "Someone", "targets-1-response_threshold": "10"}),
    )

    assert response.status_code == 400
    assert "Type the decision maker&#x27;s name." in response.content.decode()


def test_no_decision_maker_at_all_is_refused(
    client: Client, organizer: User, council: Loaded
) -> None:
    response = login(client, organizer).post(create_url(), picked())

    assert response.status_code == 400
    assert "Name at least one decision maker." in response.content.decode()
    assert not Petition.objects.exists()


def test_editing_keeps_a_target_on_record_and_its_threshold(
    client: Client, organizer: User, council: Loaded
) -> None:
    login(client, organizer).post(
        create_url(),
        picked(
            **{
                "targets-0-decision_maker": str(alderperson(3).pk),
                "targets-0-response_threshold": "20",
            }
        ),
    )
    petition = Petition.objects.get()
    target = petition.targets.get()
    edit = reverse("petitions_manage:edit", args=["action-now", petition.slug])

    html = client.get(edit).content.decode()

    assert f'<option value="{alderperson(3).pk}" selected>' in html
    assert 'name="targets-0-response_threshold" value="20"' in html
    assert petition.targets.get().pk == target.pk

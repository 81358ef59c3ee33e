"""A signer's emails come from the organization behind the petition, by name, with its
Reply-To (issue 15): "Action Now via Groundswell", not "Groundswell"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.petitions.models import Petition
from tests.petitions.test_sign import sign
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


def test_the_confirmation_comes_from_the_owner_by_name_with_its_reply_to(
    client: Client, petition: Petition, mailbox: Mailbox, drain: Any, settings: Any
) -> None:
    owner = petition.owner
    owner.reply_to = "team@actionnow.example"
    owner.save(update_fields=["reply_to"])
    assert sign(client, petition).status_code == 303
    drain()
    [message] = mailbox.wait_for(1)
    assert str(message["From"]).startswith(f"{owner.name} via {settings.SITE_NAME} <")
    assert message["Reply-To"] == "team@actionnow.example"


def test_a_milestone_notice_comes_from_the_owner_as_its_other_emails(
    petition: Petition, mailbox: Mailbox, drain: Any, settings: Any
) -> None:
    from groundswell.petitions import counts
    from tests.petitions.test_counts import add_signatures

    owner = petition.owner
    owner.reply_to = "team@actionnow.example"
    owner.save(update_fields=["reply_to"])
    add_signatures(petition, 1000, verified=True)
    counts.recount(petition)
    drain()
    [notice] = mailbox.to("staff@actionnow.example")
    assert "1,000 signatures reached" in str(notice["Subject"])
    assert str(notice["From"]).startswith(f"{owner.name} via {settings.SITE_NAME} <")
    assert notice["Reply-To"] == "team@actionnow.example"

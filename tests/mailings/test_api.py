"""The OSDI API lists an organization's mailings as osdi:messages, and only its own."""

from __future__ import annotations

from typing import Any

from groundswell.mailings import actions
from groundswell.organizations.models import Membership
from groundswell.people.models import Tag
from tests.api.conftest import ApiClient, api, ocad_api  # noqa: F401 (fixtures)
from tests.mailings.conftest import write


def test_mailings_are_listed_as_osdi_messages_with_their_figures(
    api: ApiClient,  # noqa: F811
    ocad_api: ApiClient,  # noqa: F811
    membership: Membership,
    members: Tag,
    mailbox: Any,
    settings: Any,
) -> None:
    from groundswell.core.worker import drain

    settings.MAILINGS_RATE = 10000
    mailing = actions.send(membership, write(membership, members))
    drain()

    assert "osdi:messages" in api.get("/api/v2/").json()["_links"]
    found = api.get("/api/v2/messages").json()["_embedded"]["osdi:messages"]
    assert [m["subject"] for m in found] == [mailing.subject]
    assert found[0]["status"] == "sent"
    assert found[0]["statistics"]["sent"] == 2
    assert ocad_api.get("/api/v2/messages").json()["_embedded"]["osdi:messages"] == []
    assert ocad_api.get(f"/api/v2/messages/{mailing.pk}").status_code == 404

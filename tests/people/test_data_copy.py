"""A copy of a supporter's data: everything, for them by link; one organization's view,
for an organizer relaying their request."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.organizations.models import Organization, Role
from groundswell.people import rights
from groundswell.people.models import AuditEvent, Person
from groundswell.petitions.models import Petition
from tests.conftest import login, make_organizer
from tests.people.test_erasure import supporter_of_everything
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(petition: Petition) -> Person:
    return supporter_of_everything(petition)


def link(person: Person, name: str = "people:my_data_link") -> str:
    return reverse(name, args=[rights.data_link_token(person, person.email)])


def test_the_page_shows_everything_held_and_is_never_stored(client: Client, ana: Person) -> None:
    response = client.get(link(ana))
    assert response.status_code == 200
    page = response.content.decode()
    for held in [
        "Reyes",
        "ana@work.example",
        "+13125550123",
        "1436 W Randolph St",
        "Action Now",
        "Organized Communities Against Deportations",
        "Pilsen Alliance",
        "ward 25 captain",
        "Rapid response",
        "members.csv",
        "Consent given",
        "Tell Mayor Rahm Emanuel",
        "For my neighbors",
        "203.0.113.7",
    ]:
        assert held in page, f"{held!r} missing from the data page"
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert Person.objects.filter(pk=ana.pk).exists()


def test_the_json_download_holds_the_same_and_is_never_stored(client: Client, ana: Person) -> None:
    response = client.get(link(ana, "people:my_data_json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["person"]["email"] == "ana.reyes@example.org"
    assert data["person"]["other_emails"] == ["ana@work.example"]
    assert {o["organization"] for o in data["organizations"]} == {
        "Action Now",
        "Organized Communities Against Deportations",
        "Pilsen Alliance",
    }
    pilsen = next(o for o in data["organizations"] if o["organization"] == "Pilsen Alliance")
    assert pilsen["details"]["phone"] == "+13125550123"
    assert [t["tag"] for t in data["tags"]] == ["ward 25 captain"]
    assert [m["list"] for m in data["lists"]] == ["Rapid response"]
    [signature] = data["signatures"]["items"]
    assert signature["comment"] == "For my neighbors"


def old_token(person: Person, days: int) -> str:
    """A link as it was emailed `days` days ago."""

    class Then(signing.TimestampSigner):
        def timestamp(self) -> str:
            moment = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=days)
            return signing.b62_encode(int(moment.timestamp()))

    fingerprint = rights.address_fingerprint(person.email_normalized or "")
    return Then(salt=rights.DATA_LINK_SALT).sign_object(
        {"p": person.pk, "a": fingerprint}, compress=True
    )


def test_an_expired_link_is_refused_with_a_clear_message(client: Client, ana: Person) -> None:
    assert client.get(reverse("people:my_data_link", args=[old_token(ana, 6)])).status_code == 200
    for name in ("people:my_data_link", "people:my_data_json", "people:my_data_erase"):
        response = client.get(reverse(name, args=[old_token(ana, 8)]))
        assert response.status_code == 400
        assert "This link has expired" in response.content.decode()


def test_forged_and_tampered_links_are_refused(client: Client, ana: Person) -> None:
    good = rights.data_link_token(ana, ana.email)
    other = Person.objects.create(email="x@example.org", email_normalized="x@example.org")
    forged_for_other = signing.dumps(
        {"p": other.pk, "a": rights.address_fingerprint("ana.reyes@example.org")},
        salt=rights.DATA_LINK_SALT,
        compress=True,
    )
    wrong_salt = signing.dumps({"p": ana.pk, "a": "x"}, salt="groundswell.people.unsubscribe")
    for token in [good[:-2] + "xy", "nonsense", forged_for_other, wrong_salt]:
        response = client.get(reverse("people:my_data_link", args=[token]))
        assert response.status_code == 400, token
        assert "We could not read this link" in response.content.decode()
        assert "Reyes" not in response.content.decode()


def test_the_pages_speak_spanish(client: Client, ana: Person) -> None:
    response = client.get(link(ana), headers={"accept-language": "es"})
    assert '<html lang="es">' in response.content.decode()


# --- An organizer relays a request -------------------------------------------------------


def copy_url(organization: Organization, person: Person | int) -> str:
    pk = person if isinstance(person, int) else person.pk
    return reverse("people_manage:data_copy", args=[organization.slug, pk])


def test_an_admins_copy_holds_only_what_their_organization_holds(
    client: Client, petition: Petition, ana: Person
) -> None:
    ocad = petition.sponsors.get()
    admin = make_organizer("lena@ocad.example", ocad, Role.ADMIN)
    login(client, admin)
    response = client.get(copy_url(ocad, ana), REMOTE_ADDR="198.51.100.8")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    text = response.content.decode()
    assert data["organization"] == ocad.name
    assert data["supporter"]["email"] == "ana.reyes@example.org"  # she agreed to hear from OCAD
    assert [m["list"] for m in data["lists"]] == ["Rapid response"]
    assert data["tags"] == []  # Action Now's tag is Action Now's
    assert [c["channel"] for c in data["consents"]] == ["email"]
    assert any(e["what"] == "signature" for e in data["timeline"])
    for elsewhere in ["Pilsen Alliance", "members.csv", "ward 25 captain", "ana@work.example"]:
        assert elsewhere not in text

    event = AuditEvent.objects.get()
    assert (event.organization, event.user, event.person) == (ocad, admin, ana)
    assert (event.action, event.ip_address) == (AuditEvent.Action.EXPORTED, "198.51.100.8")


def test_without_consent_the_copy_withholds_contact_details(
    client: Client, petition: Petition, ana: Person
) -> None:
    pilsen = Organization.objects.get(slug="pilsen")
    login(client, make_organizer("jo@pilsen.example", pilsen, Role.OWNER))
    data = json.loads(client.get(copy_url(pilsen, ana)).content)
    assert data["contact_details_withheld"] is True
    assert "phone" not in data["supporter"] and "email" not in data["supporter"]
    assert data["supporter"]["first_name"] == "Ana"


def test_organizers_may_not_download_and_strangers_find_nothing(
    client: Client,
    petition: Petition,
    ana: Person,
    organizer: User,
    other_org: Organization,
    outsider: User,
) -> None:
    login(client, organizer)
    assert client.get(copy_url(petition.owner, ana)).status_code == 403
    login(client, outsider)
    assert client.get(copy_url(other_org, ana)).status_code == 404
    assert client.get(copy_url(other_org, ana.pk + 1000)).status_code == 404
    assert not AuditEvent.objects.exists()


def test_an_admin_emails_the_supporter_a_link_to_their_full_data(
    client: Client, petition: Petition, ana: Person, owner: User, mailbox: Mailbox, settings: Any
) -> None:
    login(client, owner)
    page = client.get(reverse("people_manage:rights", args=[petition.owner.slug, ana.pk]))
    assert "Email the supporter a link to their full data" in page.content.decode()
    send = reverse("people_manage:send_data_link", args=[petition.owner.slug, ana.pk])
    response = client.post(send, follow=True)
    assert "on its way to the supporter" in response.content.decode()
    worker.drain()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "ana.reyes@example.org"
    path = re.search(r"https?://[^/\s]+(/people/my-data/[^/\s]+/)", Mailbox.text(message))
    assert path is not None
    client.logout()
    assert "Pilsen Alliance" in client.get(path.group(1)).content.decode()


def test_sending_the_link_is_limited_per_address(
    client: Client, petition: Petition, ana: Person, owner: User, mailbox: Mailbox, settings: Any
) -> None:
    settings.DATA_REQUEST_RATE_ADDRESS = (1, 24 * 3600)
    login(client, owner)
    send = reverse("people_manage:send_data_link", args=[petition.owner.slug, ana.pk])
    client.post(send)
    response = client.post(send, follow=True)
    assert "Try again tomorrow" in response.content.decode()
    worker.drain()
    assert len(mailbox.wait_for(1)) == 1

"""A copy of a supporter's data: everything, for them by link; one organization's view,
for an organizer relaying their request.

The emailed link is read once: it opens the data pages in that browser's session and
redirects to addresses holding no token (so no access log holds one)."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.organizations.models import Organization, Role
from groundswell.people import actions
from groundswell.people.models import AuditEvent, Person, Supporter
from groundswell.people.rights import actions as rights
from groundswell.people.rights import views as rights_views
from groundswell.petitions.models import Petition
from tests.conftest import login, make_organizer
from tests.people.test_erasure import supporter_of_everything
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(petition: Petition) -> Person:
    return supporter_of_everything(petition)


def link(person: Person) -> str:
    return reverse("people:my_data_link", args=[rights.data_link_token(person, person.email)])


VIEW = "/people/my-data/view/"
JSON = "/people/my-data/view/data.json"
ERASE = "/people/my-data/view/erase/"


def opened(client: Client, person: Person) -> Client:
    """The supporter follows the emailed link in this browser."""
    response = client.get(link(person))
    assert response.status_code == 303
    return client


def test_the_link_opens_the_data_at_an_address_without_its_token(
    client: Client, ana: Person
) -> None:
    token = rights.data_link_token(ana, ana.email)
    response = client.get(reverse("people:my_data_link", args=[token]))
    assert response.status_code == 303
    assert response.url == VIEW == reverse("people:my_data_view")
    assert "no-store" in response["Cache-Control"]
    assert "Reyes" not in response.content.decode()
    page = client.get(response.url)
    assert page.status_code == 200
    assert token not in page.content.decode()
    for url in (VIEW, JSON, ERASE):
        assert token not in url


def test_opening_the_link_changes_nothing_but_the_browsers_session(
    client: Client, ana: Person
) -> None:
    opened(client, ana)  # a mail scanner fetching the link does no more than this
    assert Person.objects.filter(pk=ana.pk).exists()
    assert Supporter.objects.filter(person=ana).count() == 3
    assert not AuditEvent.objects.exists()


def test_the_data_pages_are_closed_to_a_browser_that_did_not_open_the_link(
    client: Client, ana: Person
) -> None:
    opened(Client(), ana)
    for url in (VIEW, JSON, ERASE):
        response = client.get(url)
        assert response.status_code == 400, url
        page = response.content.decode()
        assert "not open in this browser" in page
        assert "Reyes" not in page


def test_closing_the_data_forgets_the_grant_and_the_link_opens_it_again(
    client: Client, ana: Person
) -> None:
    opened(client, ana)
    response = client.post(reverse("people:my_data_close"), follow=True)
    assert "Your data is closed in this browser." in response.content.decode()
    assert client.get(VIEW).status_code == 400
    assert opened(client, ana).get(VIEW).status_code == 200


def test_logging_out_forgets_the_grant(client: Client, ana: Person, owner: User) -> None:
    login(client, owner)
    opened(client, ana)
    client.post(reverse("accounts:logout"))
    assert client.get(VIEW).status_code == 400


def test_the_grant_ends_with_its_time_and_with_the_address(client: Client, ana: Person) -> None:
    opened(client, ana)
    session = client.session
    grant = session[rights_views.GRANT_SESSION_KEY]
    assert grant["u"] <= int(timezone.now().timestamp()) + rights_views.GRANT_MAX_SECONDS
    session[rights_views.GRANT_SESSION_KEY] = {**grant, "u": int(timezone.now().timestamp()) - 1}
    session.save()
    assert client.get(VIEW).status_code == 400
    opened(client, ana)
    ana.email_normalized = "ana.new@example.org"  # the address it was sent to is no longer hers
    ana.save()
    assert client.get(VIEW).status_code == 400


def test_the_page_shows_everything_held_and_is_never_stored(client: Client, ana: Person) -> None:
    response = opened(client, ana).get(VIEW)
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


def test_the_page_has_no_inline_style_the_sites_csp_would_block(
    client: Client, ana: Person
) -> None:
    page = opened(client, ana).get(VIEW).content.decode()
    assert "<style" not in page and 'class="data-copy"' in page
    css = (Path(rights_views.__file__).parents[2] / "core/static/core/site.css").read_text()
    assert ".data-copy dl" in css


def test_the_json_download_holds_the_same_and_is_never_stored(client: Client, ana: Person) -> None:
    response = opened(client, ana).get(JSON)
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
    assert opened(Client(), ana).get(VIEW).status_code == 200
    fresh = client.get(reverse("people:my_data_link", args=[old_token(ana, 6)]))
    assert fresh.status_code == 303
    response = client.get(reverse("people:my_data_link", args=[old_token(ana, 8)]))
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()


def test_a_grant_lasts_no_longer_than_its_link(client: Client, ana: Person) -> None:
    client.get(reverse("people:my_data_link", args=[old_token(ana, 6)]))
    until = client.session[rights_views.GRANT_SESSION_KEY]["u"]
    link_ends = int(timezone.now().timestamp()) + 24 * 3600
    assert until <= link_ends


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
        assert rights_views.GRANT_SESSION_KEY not in client.session
        assert client.get(VIEW).status_code == 400


def test_the_pages_speak_spanish(client: Client, ana: Person) -> None:
    response = opened(client, ana).get(VIEW, headers={"accept-language": "es"})
    assert '<html lang="es">' in response.content.decode()


# --- An organizer relays a request -------------------------------------------------------


def supporter_of(organization: Organization, person: Person) -> int:
    return Supporter.objects.get(organization=organization, person=person).pk


def copy_url(organization: Organization, supporter: int) -> str:
    return reverse("people_manage:data_copy", args=[organization.slug, supporter])


def rights_url(organization: Organization, person: Person, name: str = "rights") -> str:
    return reverse(
        f"people_manage:{name}", args=[organization.slug, supporter_of(organization, person)]
    )


def test_an_admins_copy_holds_only_what_their_organization_holds(
    client: Client, petition: Petition, ana: Person
) -> None:
    ocad = petition.sponsors.get()
    admin = make_organizer("lena@ocad.example", ocad, Role.ADMIN)
    login(client, admin)
    response = client.get(copy_url(ocad, supporter_of(ocad, ana)), REMOTE_ADDR="198.51.100.8")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    text = response.content.decode()
    assert data["organization"] == ocad.name
    assert data["supporter"]["id"] == supporter_of(ocad, ana)  # never the person's own id
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


def test_without_consent_the_copy_withholds_contact_details_city_included(
    client: Client, petition: Petition, ana: Person
) -> None:
    pilsen = Organization.objects.get(slug="pilsen")
    Supporter.objects.filter(organization=pilsen, person=ana).update(
        city="Cicero", address="1 Main St", state="IL"
    )
    login(client, make_organizer("jo@pilsen.example", pilsen, Role.OWNER))
    data = json.loads(client.get(copy_url(pilsen, supporter_of(pilsen, ana))).content)
    assert data["contact_details_withheld"] is True
    for contact in ("phone", "email", "address", "city"):
        assert contact not in data["supporter"], contact
    assert "Cicero" not in json.dumps(data)
    assert data["supporter"]["first_name"] == "Ana"
    assert data["supporter"]["state"] == "IL"


def test_organizers_may_not_download_and_strangers_find_nothing(
    client: Client,
    petition: Petition,
    ana: Person,
    organizer: User,
    other_org: Organization,
    outsider: User,
) -> None:
    login(client, organizer)
    theirs = supporter_of(petition.owner, ana)
    assert client.get(copy_url(petition.owner, theirs)).status_code == 403
    login(client, outsider)
    assert client.get(copy_url(other_org, theirs)).status_code == 404
    assert client.get(copy_url(other_org, theirs + 1000)).status_code == 404
    assert not AuditEvent.objects.exists()


def test_an_admin_emails_the_supporter_a_link_to_their_full_data(
    client: Client, petition: Petition, ana: Person, owner: User, mailbox: Mailbox
) -> None:
    login(client, owner)
    page = client.get(rights_url(petition.owner, ana))
    assert "Email the supporter a link to their full data" in page.content.decode()
    response = client.post(rights_url(petition.owner, ana, "send_data_link"), follow=True)
    assert "on its way to the supporter" in response.content.decode()
    worker.drain()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "ana.reyes@example.org"
    path = re.search(r"https?://[^/\s]+(/people/my-data/[^/\s]+/)", Mailbox.text(message))
    assert path is not None
    client.logout()
    assert "Pilsen Alliance" in client.get(path.group(1), follow=True).content.decode()


def test_the_link_is_offered_only_to_this_organizations_own_consented_address(
    client: Client, petition: Petition, ana: Person, mailbox: Mailbox
) -> None:
    # Pilsen was given a phone only: that OCAD and Action Now hold her email must not
    # show, nor let Pilsen have a link sent to it.
    pilsen = Organization.objects.get(slug="pilsen")
    login(client, make_organizer("jo@pilsen.example", pilsen, Role.ADMIN))
    page = client.get(rights_url(pilsen, ana)).content.decode()
    assert "send-data-link" not in page
    assert "You have no email address of theirs" in page
    response = client.post(rights_url(pilsen, ana, "send_data_link"), follow=True)
    assert "You have no email address of theirs" in response.content.decode()
    # An address Pilsen holds that is not hers, even with consent, gets nothing either.
    Supporter.objects.filter(organization=pilsen, person=ana).update(email="typo@example.org")
    actions.grant_consent(ana, pilsen, source="form")
    assert "send-data-link" not in client.get(rights_url(pilsen, ana)).content.decode()
    client.post(rights_url(pilsen, ana, "send_data_link"))
    assert worker.drain() == 0
    assert mailbox.messages == []


def test_the_link_goes_to_the_address_this_organization_holds(
    client: Client, petition: Petition, ana: Person, mailbox: Mailbox
) -> None:
    pilsen = Organization.objects.get(slug="pilsen")
    Supporter.objects.filter(organization=pilsen, person=ana).update(email="ana@work.example")
    actions.grant_consent(ana, pilsen, source="form")
    login(client, make_organizer("jo@pilsen.example", pilsen, Role.ADMIN))
    assert "ana@work.example" in client.get(rights_url(pilsen, ana)).content.decode()
    client.post(rights_url(pilsen, ana, "send_data_link"))
    worker.drain()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "ana@work.example"


def test_sending_the_link_is_limited_per_organization_and_address(
    client: Client, petition: Petition, ana: Person, owner: User, mailbox: Mailbox, settings: Any
) -> None:
    settings.DATA_REQUEST_RATE_ADDRESS = (1, 24 * 3600)
    login(client, owner)
    send = rights_url(petition.owner, ana, "send_data_link")
    client.post(send)
    response = client.post(send, follow=True)
    assert "Try again tomorrow" in response.content.decode()
    worker.drain()
    assert len(mailbox.wait_for(1)) == 1


def test_a_relay_does_not_reveal_that_the_supporter_or_others_asked_lately(
    client: Client, petition: Petition, ana: Person, owner: User, mailbox: Mailbox, settings: Any
) -> None:
    settings.DATA_REQUEST_RATE_ADDRESS = (1, 24 * 3600)
    Client().post(reverse("people:my_data"), {"email": "ana.reyes@example.org"})
    ocad = petition.sponsors.get()
    login(client, make_organizer("lena@ocad.example", ocad, Role.ADMIN))
    client.post(rights_url(ocad, ana, "send_data_link"))
    login(client, owner)
    response = client.post(rights_url(petition.owner, ana, "send_data_link"), follow=True)
    page = response.content.decode()
    assert "on its way to the supporter" in page and "several times" not in page
    worker.drain()
    assert len(mailbox.wait_for(3)) == 3

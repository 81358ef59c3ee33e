"""/people/my-data/: a supporter asks for a link to their data, by email.

The answer is the same whatever address is typed; only the mailbox learns more."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.actions import restrictions
from groundswell.people.models import ContactRestriction, Person, PersonEmail, Supporter
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db

BASE_URL = "https://groundswell.example"
SEND_REQUESTED = "groundswell.people.rights.tasks.send_requested_data_link"
LINK = re.compile(re.escape(BASE_URL) + r"(/people/my-data/[^/\s]+/)")


@pytest.fixture
def ana(settings: Any) -> Person:
    settings.BASE_URL = BASE_URL
    person = actions.record_person(
        email="Ana.Reyes@example.org",
        phone="+13125550123",
        first_name="Ana",
        last_name="Reyes",
        language="es",
    )
    # Her second address, as an operator records it (typed input never adds one).
    PersonEmail.objects.get_or_create(
        normalized="ana@work.example", defaults={"person": person, "address": "ana@work.example"}
    )
    return person


def ask(client: Client, email: str, ip: str = "203.0.113.5") -> Any:
    return client.post(reverse("people:my_data"), {"email": email}, REMOTE_ADDR=ip)


def link_in(message: Any) -> str:
    match = LINK.search(Mailbox.text(message))
    assert match, f"no data link in:\n{Mailbox.text(message)}"
    return match.group(1)


def test_the_form_asks_for_an_email_address(client: Client) -> None:
    response = client.get(reverse("people:my_data"))
    assert response.status_code == 200
    assert "Your email address" in response.content.decode()


def test_a_known_address_gets_a_link_in_their_language(
    client: Client, ana: Person, mailbox: Mailbox
) -> None:
    response = ask(client, " ana.reyes@EXAMPLE.org ")
    assert response.status_code == 303
    assert response.url == reverse("people:my_data_sent")
    worker.drain()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "Ana.Reyes@example.org"
    html = message.get_body(preferencelist=("html",))
    assert html is not None and 'lang="es"' in html.get_content()
    page = client.get(link_in(message), follow=True)
    assert page.status_code == 200
    assert "Reyes" in page.content.decode()


def test_another_address_of_theirs_gets_the_link_at_that_address(
    client: Client, ana: Person, mailbox: Mailbox
) -> None:
    assert PersonEmail.objects.filter(person=ana).exists()
    ask(client, "ana@work.example")
    worker.drain()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "ana@work.example"
    assert client.get(link_in(message), follow=True).status_code == 200


def test_known_and_unknown_addresses_get_the_same_answer_and_strangers_no_mail(
    client: Client, ana: Person, mailbox: Mailbox
) -> None:
    known = ask(client, "ana.reyes@example.org")
    unknown = ask(client, "nobody@example.org")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert client.get(known.url).content == client.get(unknown.url).content
    worker.drain()
    mailbox.wait_for(1)
    assert mailbox.to("nobody@example.org") == []
    assert len(mailbox.messages) == 1


def test_an_invalid_address_is_explained_and_nothing_is_sent(
    client: Client, ana: Person, mailbox: Mailbox
) -> None:
    response = ask(client, "ana.reyes at example.org")
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert worker.drain() == 0
    assert mailbox.messages == []


def test_an_address_gets_a_few_links_a_day_then_the_same_answer_and_no_mail(
    client: Client, ana: Person, mailbox: Mailbox, settings: Any
) -> None:
    settings.DATA_REQUEST_RATE_ADDRESS = (2, 24 * 3600)
    answers = {ask(client, "ana.reyes@example.org", ip=f"198.51.100.{i}").url for i in range(4)}
    assert answers == {reverse("people:my_data_sent")}
    worker.drain()
    assert len(mailbox.wait_for(2)) == 2
    assert worker.drain() == 0
    assert len(mailbox.messages) == 2


def test_one_ip_address_can_only_ask_so_often(
    client: Client, ana: Person, mailbox: Mailbox, settings: Any
) -> None:
    settings.DATA_REQUEST_RATE_IP = (3, 3600)
    for i in range(3):
        ask(client, f"stranger{i}@example.org")
    response = ask(client, "ana.reyes@example.org")
    assert response.url == reverse("people:my_data_sent")
    assert worker.drain() == 3  # the strangers' requests, which send nothing
    assert mailbox.messages == []
    ask(client, "ana.reyes@example.org", ip="203.0.113.99")  # another address is not held back
    worker.drain()
    assert len(mailbox.wait_for(1)) == 1


def test_the_link_dies_when_the_address_it_was_sent_to_is_removed(
    client: Client, ana: Person, mailbox: Mailbox
) -> None:
    ask(client, "ana@work.example")
    worker.drain()
    [message] = mailbox.wait_for(1)
    PersonEmail.objects.filter(person=ana, normalized="ana@work.example").delete()
    response = client.get(link_in(message))
    assert response.status_code == 400
    assert "We could not read this link" in response.content.decode()


def test_known_and_unknown_addresses_queue_the_same_work_holding_no_address(
    client: Client, ana: Person
) -> None:
    ask(client, "ana.reyes@example.org")
    ask(client, "nobody@example.org")
    queued = list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))
    assert [path for path, _ in queued] == [SEND_REQUESTED] * 2
    assert "@" not in json.dumps([args for _, args in queued])


def test_a_request_answers_alike_whether_or_not_the_address_is_known(
    client: Client, ana: Person
) -> None:
    """Nothing about the address is looked up while the visitor waits (timing)."""
    with CaptureQueriesContext(connection) as known:
        ask(client, "ana.reyes@example.org")
    with CaptureQueriesContext(connection) as unknown:
        ask(client, "nobody@example.org", ip="203.0.113.6")
    assert len(known) == len(unknown)
    for query in known.captured_queries:
        assert "people_person" not in query["sql"], query["sql"]


def test_no_mail_goes_out_if_the_person_is_erased_before_the_worker_runs(
    client: Client, ana: Person, mailbox: Mailbox
) -> None:
    ask(client, "ana.reyes@example.org")
    ana.delete()
    assert worker.drain() == 1
    assert mailbox.messages == []


def test_a_person_no_organization_may_email_still_gets_the_link_they_asked_for(
    client: Client, ana: Person, action_now: Organization, organizer: User, mailbox: Mailbox
) -> None:
    """ "Do not contact" holds for what organizations send; the link to one's own data
    answers the person's own request (outbox kinds declared screened=False)."""
    record, _ = Supporter.objects.get_or_create(person=ana, organization=action_now)
    restrictions.set_contact_restriction(
        record,
        kind=ContactRestriction.Kind.DO_NOT_CONTACT,
        reason="Asked for no mail.",
        by=organizer,
    )
    ask(client, "ana.reyes@example.org")
    worker.drain()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "Ana.Reyes@example.org"

"""A supporter's message to their alderperson: stored unsent, confirmed from the emailed
link, sent once through the outbox to the office (Reply-To the supporter) with a copy to
them, at most OUTREACH_OFFICE_RATE per office per window, never dropped."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from groundswell.core.models import OutboundEmail
from groundswell.outreach import actions
from groundswell.outreach.models import MessageState, OfficeMessage, OutreachAction
from groundswell.outreach.targets import Target
from groundswell.people.models import Consent, Person, Supporter
from tests.outreach.conftest import SUPPORTER, Council, message_post
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


def send_url(action: OutreachAction) -> str:
    return f"/act/{action.slug}/email"


def write(action: OutreachAction, council: Council, **overrides: Any) -> OfficeMessage:
    fields = {**SUPPORTER, "consent": False, **overrides}
    result = actions.record_message(action, Target(council.home, council.home_holder), **fields)
    assert result.message is not None, result.outcome
    return result.message


def confirm_url(message: OfficeMessage) -> str:
    return f"/act/{message.action.slug}/confirm/{actions.confirmation_token(message)}/"


def test_a_message_waits_for_its_sender_to_confirm(
    client: Client, action: OutreachAction, council: Council, mailbox: Mailbox, drain: Any
) -> None:
    type(action.owner).objects.filter(pk=action.owner_id).update(reply_to="team@example.org")
    response = client.post(send_url(action), message_post(council.home))
    assert response.status_code == 303
    assert response["Location"] == f"/act/{action.slug}/check-email"
    message = OfficeMessage.objects.get()
    assert message.state == MessageState.PENDING
    assert message.recipient == council.home_holder.email
    drain()
    [email] = mailbox.messages
    assert email["To"] == "lupe@example.org"
    # From the organization by name (organizations.senders), its Reply-To for answers.
    assert email["From"].startswith(f'"{action.owner.name} via ') or email["From"].startswith(
        f"{action.owner.name} via "
    ), email["From"]
    assert email["Reply-To"] == "team@example.org"
    link = re.search(r"http://\S+/act/cosponsor-ecps/confirm/\S+/", Mailbox.text(email))
    assert link, Mailbox.text(email)
    assert not mailbox.to(council.home_holder.email)  # nothing to the office yet


def test_once_confirmed_the_office_gets_it_once_and_the_sender_a_copy(
    client: Client, action: OutreachAction, council: Council, mailbox: Mailbox, drain: Any
) -> None:
    message = write(action, council)
    url = confirm_url(message)
    response = client.get(url)  # a mail scanner opening the link confirms nothing
    assert "Confirm and send" in response.content.decode()
    message.refresh_from_db()
    assert message.state == MessageState.PENDING

    response = client.post(url)
    assert "Your message is on its way" in response.content.decode()
    drain()
    drain()  # a second run of the worker sends nothing again
    [to_office] = mailbox.to(council.home_holder.email)
    assert to_office["Subject"] == SUPPORTER["subject"]
    assert to_office["Reply-To"] == "lupe@example.org"
    text = Mailbox.text(to_office)
    assert SUPPORTER["body"] in text and "Lupe Ramos" in text
    assert f"Resident of Ward {council.home.number}" in text
    copies = [m for m in mailbox.to("lupe@example.org") if "was sent" in m["Subject"]]
    assert len(copies) == 1
    assert SUPPORTER["body"] in Mailbox.text(copies[0])
    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.sent_at is not None

    response = client.post(url)  # the link again: nothing more
    assert "Already confirmed" in response.content.decode()
    drain()
    assert len(mailbox.to(council.home_holder.email)) == 1


def test_an_office_gets_at_most_its_rate_and_the_rest_later(
    client: Client,
    action: OutreachAction,
    council: Council,
    mailbox: Mailbox,
    drain: Any,
    settings: Any,
) -> None:
    settings.OUTREACH_OFFICE_RATE = (2, 3600)
    messages = [write(action, council, email=f"person{n}@example.org") for n in range(3)]
    for message in messages:
        client.post(confirm_url(message))
    drain()
    assert len(mailbox.to(council.home_holder.email)) == 2
    late = OfficeMessage.objects.get(pk=messages[2].pk)
    assert late.state == MessageState.CONFIRMED  # waiting its turn, not dropped
    assert late.due_at is not None and late.due_at > timezone.now()
    assert late.due_at - messages[0].created_at <= datetime.timedelta(hours=1, minutes=1)
    # Another office is not held back by this one's queue.
    other = actions.record_message(
        action,
        Target(council.elsewhere, council.elsewhere.terms.get().decision_maker),
        **{**SUPPORTER, "email": "other@example.org"},
    ).message
    assert other is not None
    client.post(confirm_url(other))
    drain()
    assert len(mailbox.to(council.elsewhere.terms.get().decision_maker.email)) == 1
    # Its turn comes: the hour has passed.
    OutboundEmail.objects.filter(key=f"outreach.office:{late.pk}").update(due_at=timezone.now())
    drain()
    assert len(mailbox.to(council.home_holder.email)) == 3


def test_a_forged_link_sends_nothing(
    client: Client, action: OutreachAction, council: Council, mailbox: Mailbox, drain: Any
) -> None:
    message = write(action, council)
    token = actions.confirmation_token(message)
    forged = signing.dumps({"m": message.pk, "e": "0" * 16}, salt=actions.CONFIRM_SALT)
    for bad in (forged, token[:-2] + "xx", "nonsense"):
        response = client.post(f"/act/{action.slug}/confirm/{bad}/")
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    message.refresh_from_db()
    assert message.state == MessageState.PENDING
    drain()
    assert not mailbox.to(council.home_holder.email)


def test_an_expired_link_sends_nothing(
    client: Client, action: OutreachAction, council: Council, settings: Any
) -> None:
    message = write(action, council)
    settings.VERIFICATION_MAX_AGE_DAYS = 0
    response = client.post(confirm_url(message))
    assert response.status_code == 410
    assert "too old" in response.content.decode()
    message.refresh_from_db()
    assert message.state == MessageState.PENDING


def test_a_link_under_another_actions_address_is_not_valid(
    client: Client, action: OutreachAction, council: Council
) -> None:
    message = write(action, council)
    token = actions.confirmation_token(message)
    response = client.post(f"/act/another-action/confirm/{token}/")
    assert response.status_code == 400
    message.refresh_from_db()
    assert message.state == MessageState.PENDING


def test_consent_is_recorded_through_people_as_for_a_signer(
    client: Client, action: OutreachAction, council: Council
) -> None:
    client.post(confirm_url(write(action, council, consent=True)))
    person = Person.objects.get(email_normalized="lupe@example.org")
    supporter = Supporter.objects.get(person=person, organization=action.owner)
    assert supporter.email == "lupe@example.org"
    assert Consent.objects.active().filter(person=person, organization=action.owner).exists()


def test_without_consent_the_organization_gets_no_email_address(
    client: Client, action: OutreachAction, council: Council
) -> None:
    client.post(confirm_url(write(action, council, email="quiet@example.org")))
    person = Person.objects.get(email_normalized="quiet@example.org")
    supporter = Supporter.objects.get(person=person, organization=action.owner)
    assert supporter.email == ""
    assert not Consent.objects.filter(person=person).exists()


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"body": ""}, "Write your message."),
        ({"email": "not an address"}, "Your email"),
        ({"name": ""}, "Type your name."),
        ({"subject": "x" * 201}, "Subject"),
    ],
)
def test_bad_input_stores_and_sends_nothing(
    client: Client,
    action: OutreachAction,
    council: Council,
    overrides: dict[str, str],
    says: str,
) -> None:
    response = client.post(send_url(action), message_post(council.home, **overrides))
    assert response.status_code == 400
    assert says in response.content.decode()
    assert "Nothing was sent" in response.content.decode()
    assert not OfficeMessage.objects.exists()


def test_an_office_the_action_does_not_write_to_is_refused(
    client: Client, action: OutreachAction, council: Council
) -> None:
    response = client.post(send_url(action), message_post(council.mayor))
    assert response.status_code == 400
    assert "cannot be written to from here" in response.content.decode()
    assert not OfficeMessage.objects.exists()


def test_a_sender_network_is_limited(
    client: Client, action: OutreachAction, council: Council, settings: Any
) -> None:
    settings.OUTREACH_RATE_IP = (1, 3600)
    assert client.post(send_url(action), message_post(council.home)).status_code == 303
    response = client.post(send_url(action), message_post(council.home, email="second@example.org"))
    assert response.status_code == 429
    assert "Too many messages and calls" in response.content.decode()
    assert OfficeMessage.objects.count() == 1


def test_an_address_gets_only_so_many_confirmation_emails(
    client: Client, action: OutreachAction, council: Council, settings: Any
) -> None:
    settings.OUTREACH_RATE_ADDRESS = (1, 86400)
    assert client.post(send_url(action), message_post(council.home)).status_code == 303
    response = client.post(send_url(action), message_post(council.home))
    # The same answer, so the form tells nobody how often an address was used.
    assert response.status_code == 303
    assert OfficeMessage.objects.count() == 1


def test_a_bot_filling_the_hidden_field_is_dropped(
    client: Client, action: OutreachAction, council: Council
) -> None:
    response = client.post(send_url(action), message_post(council.home, website="spam"))
    assert response.status_code == 303
    assert response["Location"] == f"/act/{action.slug}/check-email"
    assert not OfficeMessage.objects.exists()


def test_a_form_without_its_token_is_refused(
    client: Client, action: OutreachAction, council: Council
) -> None:
    response = client.post(send_url(action), message_post(council.home, form_token="forged"))
    assert response.status_code == 400
    assert not OfficeMessage.objects.exists()


def test_a_message_erased_before_its_turn_is_never_sent(
    client: Client, action: OutreachAction, council: Council, mailbox: Mailbox, drain: Any
) -> None:
    message = write(action, council)
    client.post(confirm_url(message))
    actions.erase_messages(OfficeMessage.objects.filter(pk=message.pk))
    drain()
    assert not mailbox.to(council.home_holder.email)
    message.refresh_from_db()
    assert message.state == MessageState.ERASED and message.body == ""


def test_a_message_counted_sent_after_its_worker_died_still_gets_its_copy(
    client: Client, action: OutreachAction, council: Council, mailbox: Mailbox, drain: Any
) -> None:
    message = write(action, council)
    client.post(confirm_url(message))
    # The mail server had the whole message when the worker was killed: the outbox
    # counts it as sent (core.outbox.take_back), and its hook never ran.
    row = OutboundEmail.objects.get(key=f"outreach.office:{message.pk}")
    OutboundEmail.objects.filter(pk=row.pk).update(
        state=OutboundEmail.State.SENT, sent_at=timezone.now()
    )
    OfficeMessage.objects.filter(pk=message.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert actions.settle_sent() == 1
    assert actions.settle_sent() == 0
    drain()
    assert not mailbox.to(council.home_holder.email)  # it was not sent twice
    assert len([m for m in mailbox.to("lupe@example.org") if "was sent" in m["Subject"]]) == 1
    message.refresh_from_db()
    assert message.state == MessageState.SENT

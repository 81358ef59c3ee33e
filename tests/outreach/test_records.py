"""Outreach in a supporter's record: their copy of their data holds their messages, and
erasing them removes their details (a message not sent yet is then never sent)."""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.outreach import actions
from groundswell.outreach.models import MessageState, OfficeMessage, OutreachAction
from groundswell.outreach.targets import Target
from groundswell.people.models import Erasure, Person
from groundswell.people.rights import actions as rights
from tests.outreach.conftest import SUPPORTER, Council
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


def confirmed(action: OutreachAction, council: Council) -> OfficeMessage:
    target = Target(council.home, council.home_holder)
    message = actions.record_message(action, target, **SUPPORTER, consent=True).message
    assert message is not None
    actions.confirm_message(actions.confirmation_token(message))
    return message


def test_a_senders_copy_of_their_data_holds_their_messages(
    action: OutreachAction, council: Council
) -> None:
    confirmed(action, council)
    person = Person.objects.get(email_normalized="lupe@example.org")
    [item] = rights.data_copy(person)["outreach"]["items"]
    assert item["message"] == SUPPORTER["body"]
    assert item["office"] == f"Alderperson, Ward {council.home.number}"


def test_erasing_a_sender_removes_their_message_before_it_is_sent(
    action: OutreachAction, council: Council, mailbox: Mailbox, drain: Any
) -> None:
    message = confirmed(action, council)
    person = Person.objects.get(email_normalized="lupe@example.org")
    rights.erase(person, via=Erasure.Via.OPERATOR)
    drain()
    assert not mailbox.to(council.home_holder.email)
    message.refresh_from_db()
    assert message.state == MessageState.ERASED
    assert (message.name, message.body, message.person) == ("", "", None)

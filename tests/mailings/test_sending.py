"""Sending a mailing: who gets it, once each, through a real SMTP server."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from groundswell.core import outbox
from groundswell.core.worker import drain
from groundswell.mailings import actions, audience, figures, sending
from groundswell.mailings.models import Mailing, MailingState, Recipient, RecipientState
from groundswell.organizations.models import Membership
from groundswell.people.models import Channel, Consent, Tag
from tests.mailings.conftest import supporter, write


@pytest.fixture(autouse=True)
def fast(settings: Any) -> None:
    settings.MAILINGS_RATE = 10000


def addresses(mailbox: Any) -> list[str]:
    return [str(m["To"]) for m in mailbox.messages]


def test_only_consenting_unsuppressed_people_are_counted_and_mailed(
    membership: Membership, members: Tag, mailbox: Any
) -> None:
    mailing = write(membership, members)
    assert audience.count(membership.organization, mailing.audience) == 2

    actions.send(membership, mailing)
    drain()

    assert sorted(addresses(mailbox)) == ["ana@example.org", "ben@example.org"]
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT
    shown = figures.of(mailing)
    assert (shown.recipients, shown.sent, shown.percent) == (2, 2, 100)


def test_each_reads_their_language_and_name_with_fallbacks(
    membership: Membership, members: Tag, mailbox: Any
) -> None:
    actions.send(membership, write(membership, members))
    drain()

    by_to = {str(m["To"]): m for m in mailbox.messages}
    assert by_to["ana@example.org"]["Subject"] == "Hello Ana"
    assert by_to["ben@example.org"]["Subject"] == "Hola amiga"  # Spanish, no first name
    assert "Action Now via" in str(by_to["ana@example.org"]["From"])


def test_a_merge_field_cannot_inject_html_or_run_template_code(
    membership: Membership, members: Tag, mailbox: Any
) -> None:
    evil = supporter(membership.organization, "evil@example.org", "<script>x</script>")
    evil.taggings.create(tag=members)
    mailing = write(membership, members, versions={})
    actions.send(membership, mailing)
    drain()

    message = next(m for m in mailbox.messages if m["To"] == "evil@example.org")
    html = message.get_body(("html",)).get_content()
    assert "<script>x" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    with pytest.raises(actions.Refused):
        actions.save_mailing(
            membership,
            None,
            subject="{% load x %}",
            body="{{ settings.SECRET_KEY }}",
            language="en",
            chosen={"tags": [str(members.pk)]},
        )


def test_a_worker_killed_mid_send_resumes_with_no_duplicate_and_no_gap(
    membership: Membership, members: Tag, mailbox: Any
) -> None:
    for n in range(30):
        extra = supporter(membership.organization, f"p{n}@example.org", f"P{n}")
        extra.taggings.create(tag=members)
    mailing = write(membership, members)
    actions.send(membership, mailing)
    sending.start_due()
    assert sending.feed() == 32

    # A worker claims twenty, sends three, and is killed with the rest in hand.
    held = outbox.claim("dead#1", size=20)
    outbox.send_claimed(held[:3], "dead#1")
    assert len(mailbox.messages) == 3
    sending.materialize(mailing.pk)  # fixing the recipients again adds nobody
    assert Recipient.objects.filter(mailing=mailing).count() == 32
    # Found lost (core/liveness), its claims go back in line; another worker goes on.
    outbox.release_worker("dead")
    drain()

    sent = Counter(addresses(mailbox))
    assert len(sent) == 32 and set(sent.values()) == {1}
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT
    assert figures.of(mailing).sent == 32


def test_the_one_click_unsubscribe_header_withdraws_consent_at_once(
    membership: Membership, members: Tag, mailbox: Any, client: Client
) -> None:
    mailing = write(membership, members)
    actions.send(membership, mailing)
    drain()

    message = next(m for m in mailbox.messages if m["To"] == "ana@example.org")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = "".join(str(message["List-Unsubscribe"]).split()).strip("<>")
    response = client.post(urlsplit(url).path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert (
        not Consent.objects.active()
        .filter(
            person__email="ana@example.org",
            organization=membership.organization,
            channel=Channel.EMAIL,
        )
        .exists()
    )
    mailing.refresh_from_db()
    assert figures.of(mailing).unsubscribed == 1
    assert audience.count(membership.organization, mailing.audience) == 1


def test_someone_who_unsubscribes_before_their_turn_is_not_mailed(
    membership: Membership, members: Tag, mailbox: Any
) -> None:
    from groundswell.people import actions as people_actions
    from groundswell.people.models import Person

    mailing = write(membership, members)
    actions.send(membership, mailing)
    sending.start_due()
    sending.feed()
    ana = Person.objects.get(email="ana@example.org")
    people_actions.withdraw_email_consent(ana, membership.organization, source="test")
    drain()

    assert addresses(mailbox) == ["ben@example.org"]
    assert Recipient.objects.get(mailing=mailing, person=ana).state == RecipientState.SKIPPED
    mailing.refresh_from_db()
    assert figures.of(mailing).percent == 100


def test_a_large_mailing_waits_for_another_owners_approval(
    membership: Membership, owner_membership: Membership, members: Tag, mailbox: Any
) -> None:
    actions.set_approval_over(owner_membership, 1)
    with pytest.raises(actions.Refused):
        actions.set_approval_over(membership, None)  # an organizer may not lift it
    mailing = actions.send(membership, write(membership, members))
    assert mailing.state == MailingState.AWAITING_APPROVAL
    drain()
    assert mailbox.messages == []

    actions.approve(owner_membership, mailing)
    drain()
    assert len(mailbox.messages) == 2


def test_the_requester_cannot_approve_their_own_mailing(
    owner_membership: Membership, members: Tag
) -> None:
    actions.set_approval_over(owner_membership, 1)
    mailing = actions.send(owner_membership, write(owner_membership, members))
    with pytest.raises(actions.Refused):
        actions.approve(owner_membership, mailing)
    assert Mailing.objects.get(pk=mailing.pk).state == MailingState.AWAITING_APPROVAL


def test_a_cancelled_mailing_reaches_nobody_still_waiting(
    membership: Membership, members: Tag, mailbox: Any
) -> None:
    mailing = actions.send(membership, write(membership, members))
    sending.start_due()
    sending.feed()
    actions.cancel(membership, mailing)
    drain()
    assert mailbox.messages == []
    assert set(Recipient.objects.values_list("state", flat=True)) == {RecipientState.CANCELLED}


def test_a_test_send_goes_to_the_organizer_alone(
    membership: Membership, members: Tag, mailbox: Any
) -> None:
    mailing = write(membership, members)
    actions.send_test(membership, mailing)
    drain()
    assert addresses(mailbox) == ["dee@actionnow.example"]
    assert mailbox.messages[0]["Subject"].startswith("[Test] Hello Dee")
    assert Mailing.objects.get(pk=mailing.pk).state == MailingState.DRAFT


def test_a_second_mailing_can_leave_out_who_received_the_first(
    membership: Membership, members: Tag, mailbox: Any
) -> None:
    first = actions.send(membership, write(membership, members))
    drain()
    newcomer = supporter(membership.organization, "new@example.org", "Nia")
    newcomer.taggings.create(tag=members)

    second = write(
        membership,
        members,
        chosen={"tags": [str(members.pk)], "exclude_actions": [f"mailing:{first.pk}"]},
    )
    assert second.audience["exclude_actions"] == [f"mailing:{first.pk}"]
    assert list(audience.people(membership.organization, second.audience)) == [newcomer]


def test_a_paused_mailing_waits_and_resumes_where_it_stopped(
    membership: Membership, members: Tag, mailbox: Any
) -> None:
    mailing = actions.send(membership, write(membership, members))
    sending.start_due()
    actions.pause(membership, mailing)
    drain()
    assert mailbox.messages == []
    assert Mailing.objects.get(pk=mailing.pk).state == MailingState.PAUSED

    actions.resume(membership, mailing)
    drain()
    assert sorted(addresses(mailbox)) == ["ana@example.org", "ben@example.org"]


def test_a_mailing_set_for_later_waits_for_its_time(
    membership: Membership, members: Tag, mailbox: Any
) -> None:
    import datetime

    from django.utils import timezone

    later = timezone.now() + datetime.timedelta(hours=1)
    mailing = actions.send(membership, write(membership, members), at=later)
    drain()
    assert mailbox.messages == []
    assert Mailing.objects.get(pk=mailing.pk).state == MailingState.SCHEDULED
    with pytest.raises(actions.Refused):
        actions.send(membership, write(membership, members), at=later - datetime.timedelta(days=1))

"""Bounces (RFC 3464) and spam complaints (ARF) read from a Maildir, as a mail server
delivers them."""

from __future__ import annotations

import mailbox
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from groundswell.mailings import actions, audience, bounces, figures
from groundswell.mailings.models import Mailing, MailingState, Undeliverable
from groundswell.organizations.models import Membership, Organization
from groundswell.people.models import Channel, Consent, Person, Suppression, Tag
from tests.mailings.conftest import supporter, write

REPORTS = Path(__file__).parent / "reports"


def report(name: str, mailing: Mailing) -> bytes:
    return (REPORTS / name).read_bytes().replace(b"MAILING_ID", str(mailing.pk).encode())


@pytest.fixture
def sent(membership: Membership, members: Tag, settings: Any, mailbox: Any) -> Mailing:
    from groundswell.core.worker import drain

    settings.MAILINGS_RATE = 10000
    mailing = write(membership, members)
    actions.send(membership, mailing)
    drain()
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT
    return mailing


def deliver(tmp_path: Path, *messages: bytes) -> str:
    box = mailbox.Maildir(str(tmp_path / "bounces"), create=True)
    for raw in messages:
        box.add(raw)
    return str(tmp_path / "bounces")


def test_a_hard_bounce_suppresses_the_address_for_every_organization(
    sent: Mailing, membership: Membership, members: Tag, ocad: Organization, tmp_path: Path
) -> None:
    other = supporter(ocad, "ana@example.org", "Ana")  # the same person, at OCAD too
    path = deliver(tmp_path, report("dsn.eml", sent))

    call_command("read_bounces", maildir=path)

    ana = Person.objects.get(email="ana@example.org")
    assert other.pk == ana.pk
    assert Undeliverable.objects.get(person=ana).blocked_at is not None
    assert not audience.mailable(ocad).filter(pk=ana.pk).exists()
    assert audience.count(membership.organization, sent.audience) == 1
    # Kept on the people's suppression list for every organization (a keyed hash).
    kept = Suppression.objects.filter(organization__isnull=True, reason="bounced")
    assert kept.count() == 1
    assert "ana" not in kept.get().digest
    assert figures.of(sent).bounced == 1
    assert list(mailbox.Maildir(path, create=False).iterkeys()) == []  # read, then deleted


def test_a_soft_bounce_counts_until_the_limit(sent: Mailing, settings: Any, tmp_path: Path) -> None:
    settings.MAILINGS_SOFT_BOUNCE_LIMIT = 2
    ben = Person.objects.get(email="ben@example.org")
    bounces.handle(report("dsn.eml", sent))
    assert Undeliverable.objects.get(person=ben).blocked_at is None
    bounces.handle(report("dsn.eml", sent))
    assert Undeliverable.objects.get(person=ben).blocked_at is not None


def test_an_abuse_report_suppresses_and_unsubscribes(
    sent: Mailing, membership: Membership, tmp_path: Path
) -> None:
    call_command("read_bounces", maildir=deliver(tmp_path, report("arf.eml", sent)))

    ben = Person.objects.get(email="ben@example.org")
    assert Undeliverable.objects.get(person=ben).reason == Undeliverable.Reason.COMPLAINT
    assert (
        not Consent.objects.active()
        .filter(person=ben, organization=membership.organization, channel=Channel.EMAIL)
        .exists()
    )
    shown = figures.of(sent)
    assert (shown.complaints, shown.unsubscribed) == (1, 1)


def test_other_mail_in_the_box_is_left_alone() -> None:
    assert bounces.parse(b"From: a@example.org\r\nSubject: Out of office\r\n\r\nAway.\r\n") == []

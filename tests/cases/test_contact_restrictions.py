"""'Do not contact' and 'safe to contact only by …' on a person: set by an organizer
with a reason, audited, and obeyed by every email of the platform (the outbox asks
people's screen), whichever organization sends it. Over real SMTP."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.core.models import OutboundEmail
from groundswell.events import emails as event_emails
from groundswell.organizations.models import Organization
from groundswell.people.actions import restrictions
from groundswell.people.models import AuditEvent, ContactRestriction, Supporter
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition
from tests.conftest import login
from tests.events.conftest import make_event, rsvp_as
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


def sign(petition: Petition, name: str, consents: list[int]) -> Supporter:
    email = f"{name.lower()}@example.org"
    signature = petition_actions.record_signature(
        petition,
        first_name=name,
        last_name="Signer",
        email=email,
        email_normalized=email,
        zip_code="60608",
        consents=consents,
    ).signature
    petition_actions.verify_signature(petition_actions.verification_token(signature))
    return Supporter.objects.get(person__email_normalized=email, organization=petition.owner)


def test_a_person_flagged_by_one_organization_gets_no_petition_update_from_another(
    petition: Petition,
    action_now: Organization,
    ocad: Organization,
    organizer: User,
    ocad_organizer: User,
    mailbox: Mailbox,
    drain: Any,
) -> None:
    sign(petition, "Ana", [action_now.pk])
    flo = sign(petition, "Flo", [action_now.pk])
    # OCAD knows Flo too (it co-sponsors the petition) and restricts her; Action Now,
    # which sends the update, is never told why.
    ocad_record, _ = Supporter.objects.get_or_create(person=flo.person, organization=ocad)
    restrictions.set_contact_restriction(
        ocad_record,
        kind=ContactRestriction.Kind.PHONE,
        reason="Her partner reads her email.",
        by=ocad_organizer,
    )
    drain()
    mailbox.clear()
    petition_actions.post_update(
        petition, author=organizer, title="Hearing on Thursday", body="Come!", email_signers=True
    )
    drain()
    drain()
    assert [str(m["To"]) for m in mailbox.wait_for(1)] == ["ana@example.org"]
    assert mailbox.to("flo@example.org") == []
    skipped = OutboundEmail.objects.get(key__contains=f"person:{flo.person_id}")
    assert skipped.state == "skipped"


def test_an_event_reminder_obeys_do_not_contact_and_lifting_it_lets_mail_through(
    action_now: Organization, organizer: User, mailbox: Mailbox
) -> None:
    event = make_event(action_now)
    shift = event.shifts.get()
    rsvp_as(event, "ana@example.org")
    rsvp_as(event, "flo@example.org")
    flo = Supporter.objects.get(person__email_normalized="flo@example.org")
    worker.drain(periodic=False)
    mailbox.clear()
    restrictions.set_contact_restriction(
        flo, kind=ContactRestriction.Kind.DO_NOT_CONTACT, reason="Unsafe.", by=organizer
    )
    event_emails.queue_due_reminders(now=shift.starts_at - datetime.timedelta(hours=23))
    worker.drain(periodic=False)
    assert [str(m["To"]) for m in mailbox.wait_for(1)] == ["ana@example.org"]
    assert restrictions.lift_contact_restriction(flo, by=organizer)
    event_emails.queue_due_reminders(now=shift.starts_at - datetime.timedelta(hours=1))
    worker.drain(periodic=False)
    assert "flo@example.org" in [str(m["To"]) for m in mailbox.wait_for(3)]
    details = list(AuditEvent.objects.filter(person=flo.person).values_list("detail", flat=True))
    assert "contact restriction set: none" in details
    assert "contact restriction lifted" in details
    assert all("Unsafe" not in detail for detail in details)


def test_only_by_email_lets_emails_through(
    action_now: Organization, organizer: User, mailbox: Mailbox
) -> None:
    event = make_event(action_now)
    rsvp_as(event, "flo@example.org")
    flo = Supporter.objects.get(person__email_normalized="flo@example.org")
    worker.drain(periodic=False)
    mailbox.clear()
    restrictions.set_contact_restriction(
        flo,
        kind=ContactRestriction.Kind.EMAIL,
        reason="No calls: a cellmate answers.",
        by=organizer,
    )
    shift = event.shifts.get()
    event_emails.queue_due_reminders(now=shift.starts_at - datetime.timedelta(hours=23))
    worker.drain(periodic=False)
    assert [str(m["To"]) for m in mailbox.wait_for(1)] == ["flo@example.org"]


def test_an_organizer_sets_it_with_a_reason_and_another_organization_never_sees_it(
    client: Client,
    action_now: Organization,
    ocad: Organization,
    organizer: User,
    ocad_organizer: User,
) -> None:
    event = make_event(action_now, hosts=(ocad,))
    rsvp_as(event, "flo@example.org")
    flo = Supporter.objects.get(person__email_normalized="flo@example.org", organization=action_now)
    url = reverse("people_manage:contact_restriction", args=[action_now.slug, flo.pk])
    login(client, organizer)
    refused = client.post(url, {"kind": "through", "through": "", "reason": "Prison mail"})
    assert refused.status_code == 400
    assert "Name the person to go through." in refused.content.decode()
    assert not ContactRestriction.objects.exists()
    saved = client.post(url, {"kind": "through", "through": "Her sister Ana", "reason": "Prison"})
    assert saved.status_code == 303
    page = client.get(saved["Location"]).content.decode()
    assert "Safe to contact only through a named person" in page and "Her sister Ana" in page
    ocad_record = Supporter.objects.get(person=flo.person, organization=ocad)  # co-host
    other = login(Client(), ocad_organizer).get(
        reverse("people_manage:person", args=[ocad.slug, ocad_record.pk])
    )
    assert other.status_code == 200
    assert "Her sister Ana" not in other.content.decode()
    assert "Do not contact, or only one way" in other.content.decode()
    outsider_url = reverse("people_manage:contact_restriction", args=[ocad.slug, flo.pk])
    assert client.get(outsider_url).status_code in (403, 404)


def test_the_case_page_warns_of_the_family_contacts_restriction(
    action_now: Organization, manager: User
) -> None:
    from groundswell.cases import actions as case_actions
    from groundswell.cases.models import CaseType

    case_actions.seed_case_types(action_now)
    case = case_actions.open_case(
        action_now,
        case_type=CaseType.objects.get(organization=action_now, slug="torture-claim"),
        requester=case_actions.Requester(name="Rosa Martinez", email="rosa@example.org"),
    )
    rosa = case.roles.get().person
    assert rosa is not None
    record, _ = Supporter.objects.get_or_create(person=rosa, organization=action_now)
    restrictions.set_contact_restriction(
        record, kind=ContactRestriction.Kind.PHONE, reason="Calls only after 6 pm.", by=manager
    )
    page = login(Client(), manager).get(case.get_absolute_url()).content.decode()
    assert "Safe to contact only by phone" in page and "Calls only after 6 pm." in page


def test_erasing_them_from_the_organization_takes_its_restriction_and_reason_too(
    action_now: Organization, ocad: Organization, organizer: User, ocad_organizer: User
) -> None:
    from groundswell.people.rights.actions import erase_from_organization

    event = make_event(action_now, hosts=(ocad,))
    rsvp_as(event, "flo@example.org")
    flo = Supporter.objects.get(person__email_normalized="flo@example.org", organization=action_now)
    theirs = Supporter.objects.get(person=flo.person, organization=ocad)
    restrictions.set_contact_restriction(flo, kind="none", reason="Unsafe.", by=organizer)
    restrictions.set_contact_restriction(theirs, kind="phone", reason="Phone.", by=ocad_organizer)
    erase_from_organization(flo.person, action_now, by=organizer)
    assert list(ContactRestriction.objects.values_list("organization", "reason")) == [
        (ocad.pk, "Phone.")
    ]


def test_every_address_of_a_restricted_person_is_screened(
    action_now: Organization, organizer: User
) -> None:
    from groundswell.people.models import PersonEmail
    from groundswell.people.restrictions import blocked_emails

    event = make_event(action_now)
    rsvp_as(event, "flo@example.org")
    flo = Supporter.objects.get(person__email_normalized="flo@example.org")
    PersonEmail.objects.create(
        person=flo.person, address="Flo@Work.example", normalized="flo@work.example"
    )
    given = ["FLO@example.org", "flo@work.example", "ana@example.org"]
    assert blocked_emails(given) == set()
    restrictions.set_contact_restriction(flo, kind="mail", reason="Letters only.", by=organizer)
    assert blocked_emails(given) == {"FLO@example.org", "flo@work.example"}

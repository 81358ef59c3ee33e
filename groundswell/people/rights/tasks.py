"""Background work for supporters' rights: finding who asked for a link to their data,
and the email with that link (sent through the outbox)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django_tasks import task

from groundswell.core import outbox
from groundswell.core.mail import build_message
from groundswell.people.models import Person
from groundswell.people.rights import actions as rights


@task()
def send_requested_data_link(sealed_address: str) -> None:
    """A supporter asked for a link at /people/my-data/: send it if the (sealed)
    address is one of a person's, else nothing. Looked up here, not in the request, so
    that the page takes as long for an address nobody holds."""
    found = rights.person_asking(sealed_address)
    if found is not None:
        person, fingerprint = found
        # Keyed by the request, so this task run again queues the email once.
        digest = hashlib.sha256(sealed_address.encode()).hexdigest()[:32]
        send_data_link.enqueue(person.pk, fingerprint, key=f"people.data_link:{digest}")


@outbox.email("people.data_link", screened=False)  # their own request: never withheld
def send_data_link(person_id: int, fingerprint: str) -> EmailMessage | None:
    """Email the person a link to see, download or erase their data, at the address
    whose fingerprint was asked for. Sends nothing if they were erased meanwhile or
    that address is no longer theirs. The arguments hold no address (the task queue
    keeps them after the person is gone)."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return None
    address = rights.address_for(person, fingerprint)
    if address is None:
        return None
    token = rights.data_link_token(person, address)
    message = build_message(
        to=address,
        template="people/email/data_link",
        context={
            "person": person,
            "link": f"{settings.BASE_URL}{reverse('people:my_data_link', args=[token])}",
            "days": rights.link_max_age() // (24 * 3600),
        },
        language=person.language,
    )
    return message


@outbox.email("people.staff_erased")
def send_staff_erased(membership_id: int, user_id: int) -> EmailMessage | None:
    """Tell an owner or admin that a member of their staff erased their supporter data,
    and where to decide about their account; nothing once that is decided (the member
    is gone from the staff) or the reader no longer answers for the organization."""
    from groundswell.organizations.models import Membership

    membership = (
        Membership.objects.select_related("user", "organization").filter(pk=membership_id).first()
    )
    if membership is None:
        return None
    organization = membership.organization
    reader = organization.answerers().filter(user_id=user_id).first()
    if reader is None:
        return None
    link = settings.BASE_URL + reverse(
        "people_manage:staff_erased", args=[organization.slug, membership.pk]
    )
    return build_message(
        to=reader.user.email,
        template="people/email/staff_erased",
        context={"organization": organization, "member": membership.user, "link": link},
        language=reader.user.language,
    )

"""Consent: a person's permission for one organization to contact them on one channel,
given, claimed on their behalf, and withdrawn (their own withdrawal always wins)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from groundswell.organizations.models import Organization
from groundswell.people import signals
from groundswell.people.actions import suppression
from groundswell.people.actions.persons import link, record_activity
from groundswell.people.models import (
    Activity,
    Channel,
    Consent,
    Person,
    Supporter,
)

if TYPE_CHECKING:
    pass


def grant_consent(
    person: Person,
    organization: Organization,
    *,
    source: str,
    given_at: datetime.datetime | None = None,
    channel: str = Channel.EMAIL,
    claimed: bool = False,
) -> Consent:
    """Record (or renew) the person's consent to the organization on one channel.

    `given_at` is when the person gave it (e.g. ticked a box before confirming); a
    withdrawal made after that moment wins, and the consent is not renewed. A consent
    `claimed` by the organization on the person's behalf (typed in by an organizer, sent
    over the API) never renews one the person withdrew: only the person can undo their
    own unsubscribe. Nor does it for a person kept apart (record_person) whose holder
    withdrew: that consent is recorded as withdrawn already, the address's true status.
    Nor for an address or number on the suppression list for the organization (they
    had withdrawn, then erased: people.actions.suppression). The person's own consent
    starts over: it lifts their erasure everywhere and the organization's entries.
    """
    now = timezone.now()
    with transaction.atomic():
        emails, numbers = suppression.identities(person)
        if not claimed:
            suppression.start_over([*emails, *numbers], organization)
        supporter = link(person, organization, source=source)
        defaults: dict[str, Any] = {"granted_at": now, "source": source}
        if claimed and person.holder_id is not None:
            withdrawn = holders_withdrawals(organization, channel, [person.holder_id])
            if person.holder_id in withdrawn:
                defaults.update(withdrawn_at=now, withdrawn_source=withdrawn[person.holder_id])
        if claimed and suppression.claims_refused([*emails, *numbers], organization, channel):
            defaults.update(withdrawn_at=now, withdrawn_source=suppression.WITHDRAWN_SOURCE)
        consent, created = Consent.objects.get_or_create(
            person=person,
            organization=organization,
            channel=channel,
            defaults=defaults,
        )
        withdrawn_later = (
            consent.withdrawn_at is not None
            and given_at is not None
            and consent.withdrawn_at > given_at
        )
        renewed = (
            not created and consent.withdrawn_at is not None and not withdrawn_later and not claimed
        )
        if renewed:
            consent.granted_at = now
            consent.source = source
            consent.withdrawn_at = None
            consent.withdrawn_source = ""
            consent.save()
        if (created and consent.withdrawn_at is None) or renewed:
            # An incremental sync (the API's modified_date) must see consent changes.
            Supporter.objects.filter(person=person, organization=organization).update(
                updated_at=now
            )
            signals.announce(organization, [supporter.pk], created=False)
            record_activity(
                person,
                organization,
                Activity.Kind.CONSENT_GIVEN,
                summary=channel,
                source=source,
            )
    return consent


def holders_withdrawals(
    organization: Organization, channel: str, holder_ids: Iterable[int]
) -> dict[int, str]:
    """Of these people, those who withdrew their consent to the organization on the
    channel, each with how: a consent the organization claims for someone kept apart
    from them (record_person) is recorded as withdrawn already (grant_consent, imports)."""
    return dict(
        Consent.objects.filter(
            organization=organization,
            channel=channel,
            person_id__in=list(holder_ids),
            withdrawn_at__isnull=False,
        ).values_list("person_id", "withdrawn_source")
    )


def withdraw_consent(
    person: Person,
    organization: Organization,
    *,
    source: str,
    channel: str = Channel.EMAIL,
    by_person: bool = False,
) -> bool:
    """Withdraw the organization's consent on a channel everywhere; True if it changed.

    Withdrawn `by_person` (their own unsubscribe), it reaches the records the
    organization keeps apart of their addresses too (record_person): their word wins
    over whatever the organization typed. One the organization withdraws itself (over
    its API) stays on the record it named: otherwise its own records changing with it
    would tell it which of them are the same person.
    """
    people = [person.pk]
    if by_person:
        people += list(person.kept_apart.values_list("pk", flat=True))
    changed = 0
    with transaction.atomic():
        for pk in people:
            withdrawn = (
                Consent.objects.active()
                .filter(person_id=pk, organization=organization, channel=channel)
                .update(withdrawn_at=timezone.now(), withdrawn_source=source)
            )
            if not withdrawn:
                continue
            changed += withdrawn
            supporters = Supporter.objects.filter(person_id=pk, organization=organization)
            supporters.update(updated_at=timezone.now())
            signals.announce(
                organization, list(supporters.values_list("pk", flat=True)), created=False
            )
            Activity.objects.create(
                person_id=pk,
                organization=organization,
                kind=Activity.Kind.CONSENT_WITHDRAWN,
                summary=channel,
                source=source[:200],
            )
    return changed > 0


def withdraw_email_consent(person: Person, organization: Organization, *, source: str) -> bool:
    """The person's own unsubscribe from the organization's emails (their emailed link):
    withdrawn everywhere, the records it keeps apart of their addresses included;
    True if anything changed."""
    return withdraw_consent(
        person, organization, source=source, channel=Channel.EMAIL, by_person=True
    )


def grant_consents(grants: Iterable[tuple[Person, Organization, str, datetime.datetime]]) -> int:
    """The bulk variant of grant_consent for consents given on the person's own word
    (each a person, an organization, how it was given, when), email only: a consent
    that exists, given or withdrawn, is left as it is (the person's later choice wins).
    Returns how many were offered."""
    rows = [
        Consent(
            person=person,
            organization=organization,
            channel=Channel.EMAIL,
            granted_at=when,
            source=source[:200],
        )
        for person, organization, source, when in grants
    ]
    Consent.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)

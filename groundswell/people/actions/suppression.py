"""The suppression list: the addresses and phone numbers that an organization's own
input may not bring back, and the consents it may not claim, after a person erased
their data. One rule, asked by every path that creates people or claims consent for an
organization (record_person, grant_consent, record_people, the import's batches).

What is kept is a keyed hash of each normalized address ("email:<address>") and
number ("phone:<E.164>"), HMAC-SHA256 under a key derived from SECRET_KEY: the address
itself is gone, and without the key a hash cannot be tested against a guess.

- Erased everywhere (the person's own request, or an operator): for every organization.
  No import, API call or organizer entry may re-create them or claim their consent,
  whether or not that organization ever knew them: it was the person's decision to
  leave, not one organization's.
- Erased from one organization (its organizer relaying the request): for that
  organization only, and only the address and number its record held (a block on one
  it never saw would tell it that the address was the erased person's).
- Withdrawn: the organizations whose emails (or texts) they had unsubscribed from when
  they erased: such an organization's later claim of their consent is recorded as
  withdrawn, even after the person came back through someone else.

Only the person's own consent starts over: agreeing, through an action of their own
that they confirmed (signing, an RSVP, a sign-up or sign-on), to hear from an
organization (grant_consent, not claimed) lifts the erasure everywhere and that
organization's entries. Merely typing their address into a form does not.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization
from groundswell.people.addresses import normalize_email
from groundswell.people.models import Channel, Person, PersonEmail, Suppression

SALT = "groundswell.people.suppression"
BATCH = 500  # values per query, under every database's parameter limit
# How a consent the organization claimed for a suppressed address is recorded withdrawn.
WITHDRAWN_SOURCE = "withdrawn before an erasure"

# The same words whichever organization knew them and whichever way they left (erased
# everywhere, erased from this organization): the answer tells nobody who else knew them.
REFUSAL = _(
    "This address or phone number cannot be added: its owner asked for their data to be "
    "erased. Only they can sign up again (by signing a petition, answering an event or "
    "using one of your forms)."
)


class Suppressed(Exception):
    """The organization's input names an address or number it may not bring back."""

    def __init__(self) -> None:
        super().__init__(str(REFUSAL))
        self.message = REFUSAL


def email_value(normalized: str) -> str:
    return f"email:{normalized}"


def phone_value(number: str) -> str:
    return f"phone:{number}"


def input_value(key: str, number: str | None) -> str | None:
    """What names the person in an input: its address (normalized) when it has one,
    else its number (E.164), as people.actions.record_person matches them."""
    if key:
        return email_value(key)
    return phone_value(number) if number else None


def _digest(value: str, secret: str | bytes | None = None) -> str:
    return salted_hmac(SALT, value, secret=secret, algorithm="sha256").hexdigest()


def _digests(values: Iterable[str]) -> dict[str, str]:
    """digest → value, under SECRET_KEY and each of SECRET_KEY_FALLBACKS (a rotated key
    keeps the list working)."""
    secrets = [None, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return {_digest(value, secret): value for value in set(values) for secret in secrets}


def identities(person: Person) -> tuple[list[str], list[str]]:
    """(the person's addresses, their numbers) as suppression values. A person kept
    apart (people.actions.record_person) is named by the address typed on it."""
    emails = [person.email_normalized or ""]
    emails += PersonEmail.objects.filter(person=person).values_list("normalized", flat=True)
    if person.holder_id is not None and person.email:
        emails.append(normalize_email(person.email))
    numbers = list(person.phones.values_list("number", flat=True))
    return [email_value(e) for e in emails if e], [phone_value(n) for n in numbers if n]


def erased_everywhere(person: Person) -> int:
    """Keep what the person's erasure everywhere must hold: their addresses and numbers
    (and those of the records kept apart of them) for every organization, and, for each
    organization they had unsubscribed from, that withdrawal. Returns how many values."""
    from groundswell.people.models import Consent

    people = [person, *person.kept_apart.all()]
    emails: list[str] = []
    numbers: list[str] = []
    for someone in people:
        found = identities(someone)
        emails += found[0]
        numbers += found[1]
    withdrawn = Consent.objects.filter(person__in=people, withdrawn_at__isnull=False)
    for organization_id, channel in set(withdrawn.values_list("organization_id", "channel")):
        suppress(
            numbers if channel == Channel.SMS else emails,
            reason=Suppression.Reason.WITHDRAWN,
            organization=Organization(pk=organization_id),
        )
    suppress([*emails, *numbers], reason=Suppression.Reason.ERASED)
    return len(set(emails + numbers))


def erased_from(organization: Organization, *, email: str, phone: str) -> None:
    """Keep that the person asked this organization to erase them: the address and
    number its record held (what it knew), for it alone."""
    values = [email_value(normalize_email(email))] if email else []
    values += [phone_value(phone)] if phone else []
    suppress(values, reason=Suppression.Reason.ERASED, organization=organization)


def suppress(
    values: Iterable[str], *, reason: str, organization: Organization | None = None
) -> None:
    """Keep these values' hashes; an erasure outranks a withdrawal kept before it."""
    rows = {_digest(value) for value in values}
    if not rows:
        return
    Suppression.objects.bulk_create(
        [Suppression(digest=d, organization=organization, reason=reason) for d in rows],
        ignore_conflicts=True,
    )
    if reason == Suppression.Reason.ERASED:
        Suppression.objects.filter(
            digest__in=rows, organization=organization, reason=Suppression.Reason.WITHDRAWN
        ).update(reason=Suppression.Reason.ERASED)


def _found(values: Iterable[str], scope: Q) -> set[str]:
    by_digest = _digests(values)
    digests = list(by_digest)
    found: set[str] = set()
    for i in range(0, len(digests), BATCH):
        hits = Suppression.objects.filter(scope, digest__in=digests[i : i + BATCH])
        found.update(by_digest[d] for d in hits.values_list("digest", flat=True))
    return found


def blocked(values: Iterable[str], organization: Organization | None) -> set[str]:
    """Of these values, those the organization's input may not bring back (without an
    organization: a trusted bulk load, those erased everywhere)."""
    scope = Q(reason=Suppression.Reason.ERASED) & (
        Q(organization__isnull=True) | Q(organization=organization)
        if organization is not None
        else Q(organization__isnull=True)
    )
    return _found(values, scope)


def check(organization: Organization, *, key: str, number: str | None) -> None:
    """Raise Suppressed if the organization may not bring back this input's person."""
    value = input_value(key, number)
    if value is not None and blocked([value], organization):
        raise Suppressed


def claims_refused(values: Iterable[str], organization: Organization, channel: str) -> set[str]:
    """Of these values, those whose consent the organization may not claim on this
    channel: withdrawn from it or erased (everywhere, or from it)."""
    kind = "phone:" if channel == Channel.SMS else "email:"
    wanted = [v for v in values if v.startswith(kind)]
    if not wanted:
        return set()
    scope = Q(organization=organization) | Q(
        organization__isnull=True, reason=Suppression.Reason.ERASED
    )
    return _found(wanted, scope)


def start_over(values: Iterable[str], organization: Organization | None = None) -> int:
    """The person's own new action: lift the erasure everywhere for these values (and,
    with `organization`, that organization's entries too). Returns how many went."""
    digests = list(_digests(values))
    if not digests:
        return 0
    scope = Q(organization__isnull=True)
    if organization is not None:
        scope |= Q(organization=organization)
    deleted, _ = Suppression.objects.filter(scope, digest__in=digests).delete()
    return deleted

"""Writing one batch of an import's rows: matching each row to a person the organization
may see (people.actions.record_person's rule), then the people, their records, consent
and tags in a few statements per batch, committed together so a killed worker repeats
nothing (people.imports.actions runs the batches)."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.people import signals
from groundswell.people.actions import (
    FILLABLE,
    changeable,
    get_or_create_tag,
    holders_withdrawals,
    suppression,
)
from groundswell.people.addresses import normalize_email
from groundswell.people.imports import parsing as imports
from groundswell.people.models import (
    CONTACT_FIELDS,
    Activity,
    Channel,
    Consent,
    ImportJob,
    ImportRowError,
    Person,
    PersonEmail,
    PersonPhone,
    Supporter,
    Tag,
    Tagging,
)

if TYPE_CHECKING:
    from groundswell.organizations.models import Organization

logger = logging.getLogger(__name__)
SUPPORTER_FIELDS = imports.PERSON_FIELDS


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass
class Target:
    """One supporter the batch writes, and what happened to it."""

    supporter: Supporter
    created: bool
    changed: set[str] = field(default_factory=set)  # what changed: fields, consent, tags
    changed_by: set[int] = field(default_factory=set)  # the rows (numbers) that did


def skipped_rows(rows: list[imports.Row], organization: Organization) -> set[int]:
    """The numbers of the rows naming someone the organization's input may not bring
    back (people.actions.suppression: they erased their data)."""
    values = {
        row.number: suppression.input_value(row.email_key, row.fields.get("phone") or None)
        for row in rows
    }
    refused = suppression.blocked({v for v in values.values() if v}, organization)
    return {number for number, value in values.items() if value in refused}


def skipped_reason(number: int) -> str:
    return _(
        "Row %(number)s was skipped: the owner of its address or phone number asked for "
        "their data to be erased, so only they can sign up again."
    ) % {"number": number}


class BatchWriter:
    """Writes batches of cleaned rows for one job with a few queries per batch."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.organization = job.organization
        self.source = f"import:{job.pk}"
        self.consent_source = f"{self.source}: {job.consent_note}"[:200]
        self.tags: dict[str, Tag] = {}

    def commit(self, rows: list[imports.Row], start: int) -> bool:
        """Write the batch with the job's progress; False if another run already did.

        A person created by someone else at the same moment (a unique conflict) rolls
        the batch back; it is then written again, matching them.
        """
        for attempt in range(3):
            try:
                with transaction.atomic():
                    job = ImportJob.objects.select_for_update().get(pk=self.job.pk)
                    if job.rows_done != start or job.status != ImportJob.Status.RUNNING:
                        return False
                    outcome = self.write(rows)
                    job.rows_done += len(rows)
                    job.created_count += outcome.created
                    job.updated_count += outcome.updated
                    job.unchanged_count += outcome.unchanged
                    job.failed_count += outcome.failed
                    job.skipped_count += outcome.skipped
                    job.save(
                        update_fields=[
                            "rows_done",
                            "created_count",
                            "updated_count",
                            "unchanged_count",
                            "failed_count",
                            "skipped_count",
                        ]
                    )
                return True
            except IntegrityError:
                self.tags.clear()  # a tag made in the rolled-back attempt is gone
                if attempt == 2:
                    raise
        return False

    def write(self, rows: list[imports.Row]) -> Outcome:
        now = timezone.now()
        good = [r for r in rows if not r.problems]
        outcome = Outcome(failed=len(rows) - len(good))
        ImportRowError.objects.bulk_create(
            ImportRowError(
                job=self.job,
                row_number=r.number,
                reason=" ".join(r.problems)[:500],
                values=r.values,
            )
            for r in rows
            if r.problems
        )
        # Checked as each batch is written, not when the file was uploaded: someone
        # erased while the import waits, runs or stalls is not brought back by it.
        skipped = skipped_rows(good, self.organization)
        if skipped:
            good = [r for r in good if r.number not in skipped]
            outcome.skipped = len(skipped)
            # Their cells are not kept: the row number says which row it was.
            ImportRowError.objects.bulk_create(
                ImportRowError(job=self.job, row_number=n, reason=skipped_reason(n), values=[])
                for n in sorted(skipped)
            )
        if not good:
            return outcome
        people = self.match_people(good, now)
        targets = self.write_supporters(good, people, now)
        activities = self.write_consents(good, people, targets, now)
        self.write_tags(good, people, targets, now)
        activities += [
            Activity(
                person_id=pk,
                organization=self.organization,
                kind=Activity.Kind.IMPORTED,
                source=self.source,
                summary=self.job.original_name[:300],
                occurred_at=now,
            )
            for pk, target in targets.items()
            if target.created or target.changed
        ]
        Activity.objects.bulk_create(activities)
        # One signal per batch; tags are not part of a person's record (people.signals).
        signals.announce(
            self.organization,
            [t.supporter.pk for t in targets.values() if t.created],
            created=True,
        )
        signals.announce(
            self.organization,
            [t.supporter.pk for t in targets.values() if not t.created and t.changed - {"tags"}],
            created=False,
        )
        # A row created its supporter (the first row for them), changed it (fields,
        # consent, tags) or left it as it was.
        seen: set[int] = set()
        for row, person in zip(good, people, strict=True):
            target = targets[person.pk]
            if target.created and person.pk not in seen:
                outcome.created += 1
            elif row.number in target.changed_by:
                outcome.updated += 1
            else:
                outcome.unchanged += 1
            seen.add(person.pk)
        return outcome

    # People: matched as people.actions.record_person matches the organization's own
    # input: its own record of whoever it sees at that address (or, without one, that
    # number); else whoever holds it, if the organization does not know them yet; else a
    # new person kept apart from them (Person.holder), so that a row is joined to nothing
    # the organization could not see, and counts as created just as for an address
    # nobody holds. A file is typed by an organizer: nothing in it is added to a person
    # found, so no row can give someone else's record an address to receive it.

    def match_people(self, rows: list[imports.Row], now: datetime.datetime) -> list[Person]:
        keys = {r.email_key for r in rows if r.email_key}
        numbers = {r.fields["phone"] for r in rows if r.fields.get("phone") and not r.email_key}
        holders: dict[str, int] = {
            key: pk
            for key, pk in Person.objects.filter(email_normalized__in=keys).values_list(
                "email_normalized", "pk"
            )
            if key
        }
        holders.update(
            PersonEmail.objects.filter(normalized__in=keys - holders.keys()).values_list(
                "normalized", "person_id"
            )
        )
        known = PersonPhone.objects.filter(number__in=numbers)
        known_phones = set(known.values_list("number", flat=True))
        phone_alone = known.filter(
            person__email_normalized__isnull=True,
            person__other_emails__isnull=True,
        ).values_list("number", "person_id")
        phone_holders: dict[str, int] = {}
        for number, pk in phone_alone:
            phone_holders.setdefault(number, pk)
        holder_ids = {*holders.values(), *phone_holders.values()}
        knows = set(
            Supporter.objects.filter(
                organization=self.organization, person_id__in=holder_ids
            ).values_list("person_id", flat=True)
        )
        by_email, by_phone = self.own_records(rows, keys, numbers, holders)
        existing = Person.objects.in_bulk(
            {v for v in [*by_email.values(), *by_phone.values(), *holder_ids] if isinstance(v, int)}
        )
        people: list[Person] = []
        new: list[Person] = []
        changed: dict[int, Person] = {}
        phones: dict[str, Person] = {}
        for row in rows:
            key, number = row.email_key, row.fields.get("phone", "")
            # By email when there is one; a phone number only names someone without one.
            found = by_email.get(key) if key else by_phone.get(number) if number else None
            apart_from = None
            if found is None:
                holder = holders.get(key) if key else phone_holders.get(number)
                if holder in knows:
                    apart_from = holder
                else:
                    found = holder
            person = existing[found] if isinstance(found, int) else found
            if person is None:
                person = Person(
                    email=row.fields["email"] if key else "",
                    # Kept apart from someone it knows: no identity of its own.
                    email_normalized=(key or None) if apart_from is None else None,
                    holder_id=apart_from,
                    language=row.fields.get("language") or "en",
                    **{f: row.fields.get(f, "") for f in FILLABLE},
                )
                new.append(person)
                if not key and number and number not in known_phones and apart_from is None:
                    phones.setdefault(number, person)
            else:
                filled = [f for f in FILLABLE if not getattr(person, f) and row.fields.get(f)]
                for name in filled:
                    setattr(person, name, row.fields[name])
                if filled and person.pk is not None:
                    person.updated_at = now
                    changed[person.pk] = person
            if key:
                by_email[key] = person
            if number:
                # This file is the organization's own record: a later row with only
                # this number is the same person, as its Supporter row will say.
                by_phone.setdefault(number, person)
            people.append(person)
        Person.objects.bulk_create(new)
        if changed:
            Person.objects.bulk_update(list(changed.values()), [*FILLABLE, "updated_at"])
        PersonPhone.objects.bulk_create(
            [PersonPhone(person_id=p.pk, number=n) for n, p in phones.items()],
            ignore_conflicts=True,
        )
        return people

    def own_records(
        self,
        rows: list[imports.Row],
        keys: set[str],
        numbers: set[str],
        holders: dict[str, int],
    ) -> tuple[dict[str, int | Person], dict[str, int | Person]]:
        """The organization's own records (person ids) by normalized address and by
        number, where it sees that address or number (Supporter.shows): for an
        address, the holder's record first, then the oldest."""
        mine = Supporter.objects.visible_to(self.organization)
        typed = {r.fields["email"].strip().lower() for r in rows if r.email_key}
        near = mine.alias(email_lower=Lower("email")).filter(
            Q(email_lower__in=typed)
            | Q(person_id__in=holders.values())
            | Q(person__holder_id__in=holders.values())
        )
        by_email: dict[str, int | Person] = {}
        candidates = [
            (normalize_email(row.email), row)
            for row in near.order_by("pk")
            if row.email and row.shows("email")
        ]
        candidates.sort(key=lambda pair: pair[1].person_id != holders.get(pair[0]))
        for key, row in candidates:
            if key in keys:
                by_email.setdefault(key, row.person_id)
        by_phone: dict[str, int | Person] = {}
        for row in mine.filter(phone__in=numbers).order_by("pk"):
            if row.shows("phone"):
                by_phone.setdefault(row.phone, row.person_id)
        return by_email, by_phone

    # The organization's own Supporter rows.

    def write_supporters(
        self, rows: list[imports.Row], people: list[Person], now: datetime.datetime
    ) -> dict[int, Target]:
        """Write the rows to the organization's records: a new one takes every field; its
        own record only the fields it may change (people.actions.changeable), the same
        rule as its organizers' screens and its API. Contact fields written are its own
        from then on (Supporter.supplied)."""
        existing = {
            s.person_id: s
            for s in Supporter.objects.visible_to(self.organization).filter(
                person_id__in={p.pk for p in people}
            )
        }
        targets: dict[int, Target] = {}
        allowed: dict[int, frozenset[str]] = {}
        for row, person in zip(rows, people, strict=True):
            target = targets.get(person.pk)
            if target is None:
                supporter = existing.get(person.pk)
                if supporter is None:
                    supporter = Supporter(
                        person_id=person.pk,
                        organization=self.organization,
                        source=self.source,
                        created_at=now,
                    )
                    allowed[person.pk] = frozenset(SUPPORTER_FIELDS)
                else:
                    allowed[person.pk] = changeable(supporter)
                target = targets[person.pk] = Target(supporter, created=supporter.pk is None)
            supporter = target.supporter
            changed = [
                name
                for name in SUPPORTER_FIELDS
                if row.fields.get(name)
                and name in allowed[person.pk]
                and getattr(supporter, name) != row.fields[name]
            ]
            for name in changed:
                setattr(supporter, name, row.fields[name])
            supplied = {name: self.source for name in changed if name in CONTACT_FIELDS}
            if supplied:
                supporter.supplied = {**supporter.supplied, **supplied}
            custom = {**supporter.custom_fields, **row.custom}
            if custom != supporter.custom_fields:
                supporter.custom_fields = custom
                changed.append("custom_fields")
            if changed:
                target.changed.update(changed)
                target.changed_by.add(row.number)
        Supporter.objects.bulk_create(
            [t.supporter for t in targets.values() if t.created], ignore_conflicts=False
        )
        updated = [t.supporter for t in targets.values() if not t.created and t.changed]
        for supporter in updated:
            supporter.updated_at = now
        if updated:
            Supporter.objects.bulk_update(
                updated,
                [*SUPPORTER_FIELDS, "supplied", "custom_fields", "updated_at"],
                batch_size=500,
            )
        return targets

    # Consent, when the organizer said these people agreed to be emailed.

    def write_consents(
        self,
        rows: list[imports.Row],
        people: list[Person],
        targets: dict[int, Target],
        now: datetime.datetime,
    ) -> list[Activity]:
        """Record the consents; returns their timeline entries, for the caller to write."""
        if self.job.consent_basis != ImportJob.ConsentBasis.EMAIL:
            return []
        wanted = {p.pk: r for r, p in zip(rows, people, strict=True) if r.email_key}
        # A consent withdrawn since is not renewed: an old list does not outweigh a
        # person's own "unsubscribe".
        have = set(
            Consent.objects.filter(
                organization=self.organization, channel=Channel.EMAIL, person_id__in=wanted
            ).values_list("person_id", flat=True)
        )
        # Nor does it for someone kept apart from a person who withdrew (record_person):
        # their consent is recorded as withdrawn already, the address's true status.
        apart = {p.pk: p.holder_id for p in people if p.holder_id is not None}
        withdrawn = holders_withdrawals(self.organization, Channel.EMAIL, set(apart.values()))
        refused = {pk: withdrawn[apart[pk]] for pk in wanted if apart.get(pk) in withdrawn}
        # Nor for an address whose owner had withdrawn from it before erasing their data.
        values = {pk: suppression.email_value(row.email_key) for pk, row in wanted.items()}
        listed = suppression.claims_refused(values.values(), self.organization, Channel.EMAIL)
        refused.update(
            {pk: suppression.WITHDRAWN_SOURCE for pk, v in values.items() if v in listed}
        )
        Consent.objects.bulk_create(
            Consent(
                person_id=pk,
                organization=self.organization,
                channel=Channel.EMAIL,
                granted_at=now,
                source=self.consent_source,
                withdrawn_at=now if pk in refused else None,
                withdrawn_source=refused.get(pk, ""),
            )
            for pk in wanted
            if pk not in have
        )
        new = [pk for pk in wanted if pk not in have and pk not in refused]
        for pk in new:
            targets[pk].changed.add("consent")
            targets[pk].changed_by.add(wanted[pk].number)
        return [
            Activity(
                person_id=pk,
                organization=self.organization,
                kind=Activity.Kind.CONSENT_GIVEN,
                summary=Channel.EMAIL,
                source=self.consent_source,
                occurred_at=now,
            )
            for pk in new
        ]

    # Tags: the job's, for every row, and each row's own.

    def tag(self, name: str) -> Tag:
        key = name.casefold()
        if key not in self.tags:
            self.tags[key] = get_or_create_tag(self.organization, name)
        return self.tags[key]

    def write_tags(
        self,
        rows: list[imports.Row],
        people: list[Person],
        targets: dict[int, Target],
        now: datetime.datetime,
    ) -> None:
        wanted: dict[tuple[int, int], int] = {}
        for row, person in zip(rows, people, strict=True):
            for name in [*self.job.tag_names, *row.tags]:
                wanted.setdefault((self.tag(name).pk, person.pk), row.number)
        if not wanted:
            return
        have = set(
            Tagging.objects.filter(
                tag_id__in={t for t, _p in wanted}, person_id__in={p for _t, p in wanted}
            ).values_list("tag_id", "person_id")
        )
        new = [key for key in wanted if key not in have]
        Tagging.objects.bulk_create(
            [
                Tagging(tag_id=t, person_id=p, created_at=now, created_by=self.job.created_by)
                for t, p in new
            ],
            ignore_conflicts=True,
        )
        for key in new:
            targets[key[1]].changed.add("tags")
            targets[key[1]].changed_by.add(wanted[key])

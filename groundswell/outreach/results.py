"""What an action achieved, per office (ward), for its organizers: messages confirmed and
sent, calls by how they went; and the participants who agreed to hear from it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from groundswell.core.spreadsheets import neutralize
from groundswell.legislation.models import Office
from groundswell.outreach.models import Call, CallOutcome, OfficeMessage, OutreachAction
from groundswell.people.models import Person, consented


@dataclass
class OfficeResult:
    office: Office
    confirmed: int = 0  # messages their senders confirmed (sent, or waiting their turn)
    sent: int = 0
    calls: dict[str, int] = field(default_factory=dict)

    @property
    def call_total(self) -> int:
        return sum(self.calls.values())

    @property
    def call_cells(self) -> list[int]:
        """Calls by outcome, in CallOutcome's order (the table's columns)."""
        return [self.calls.get(value, 0) for value, _label in CallOutcome.choices]


def by_office(action: OutreachAction) -> list[OfficeResult]:
    """One row per office that got a message or a call, in ward order."""
    rows: dict[int, OfficeResult] = {}
    offices: dict[int, Office] = {}

    def row(office_id: int) -> OfficeResult:
        if office_id not in rows:
            rows[office_id] = OfficeResult(office=offices[office_id])
        return rows[office_id]

    message_counts = (
        OfficeMessage.objects.filter(action=action, confirmed_at__isnull=False)
        .values("office_id")
        .annotate(confirmed=Count("pk"), sent=Count("pk", filter=Q(sent_at__isnull=False)))
    )
    call_counts = (
        Call.objects.filter(action=action).values("office_id", "outcome").annotate(n=Count("pk"))
    )
    messages: list[dict[str, Any]] = list(message_counts)
    calls: list[dict[str, Any]] = list(call_counts)
    ids = {r["office_id"] for r in messages} | {r["office_id"] for r in calls}
    offices = {o.pk: o for o in Office.objects.filter(pk__in=ids).select_related("district")}
    for entry in messages:
        result = row(entry["office_id"])
        result.confirmed, result.sent = entry["confirmed"], entry["sent"]
    totals: dict[int, dict[str, int]] = defaultdict(dict)
    for entry in calls:
        totals[entry["office_id"]][entry["outcome"]] = entry["n"]
    for office_id, counts in totals.items():
        row(office_id).calls = counts
    return sorted(rows.values(), key=lambda r: (r.office.number or 0, r.office.label))


OUTCOMES = CallOutcome.choices

EXPORT_HEADER = ["first_name", "last_name", "email", "ward", "office", "confirmed_at"]


def participant_rows(action: OutreachAction) -> Iterator[list[str]]:
    """The header, then one row per confirmed message whose sender agreed to hear from
    the action's organization and has not withdrawn it since (people's consent rules):
    only what they gave it."""
    yield EXPORT_HEADER
    messages = (
        OfficeMessage.objects.filter(
            action=action, confirmed_at__isnull=False, consent=True, person__isnull=False
        )
        .filter(person__in=_consenting(action))
        .select_related("office", "office__district")
        .order_by("confirmed_at", "pk")
    )
    for message in messages.iterator(chunk_size=1000):
        first, _, last = message.name.partition(" ")
        confirmed = timezone.localtime(message.confirmed_at) if message.confirmed_at else None
        yield [
            neutralize(value)
            for value in (
                first,
                last,
                message.email,
                message.office.number or "",
                message.office.title(),
                confirmed.isoformat(timespec="seconds") if confirmed else "",
            )
        ]


def _consenting(action: OutreachAction) -> QuerySet[Any]:
    return Person.objects.filter(consented(action.owner)).values("pk")


def filename(action: OutreachAction) -> str:
    return f"{action.slug}-participants-{timezone.localdate().isoformat()}.csv"

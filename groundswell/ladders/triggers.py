"""What enrolls people: a verified signature (petitions' `signature_verified` signal, in
the verifying transaction), and, swept by the worker each round, new RSVPs, check-ins,
volunteers, tags and list members since the ladder was activated (these are written in
bulk or by other apps' actions, without signals).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from groundswell.events.models import RSVP
from groundswell.ladders.enrolling import enroll, since
from groundswell.ladders.models import Ladder, Trigger
from groundswell.people.models import ListMember, Tagging
from groundswell.petitions.models import Signature
from groundswell.petitions.signals import signature_verified
from groundswell.volunteers.models import Volunteer


def on_signature_verified(
    sender: Any, signature: Signature, organization_ids: list[int], **kwargs: Any
) -> None:
    if signature.person_id is None:
        return
    ladders = Ladder.objects.active().filter(
        trigger=Trigger.SIGNED,
        petition_id=signature.petition_id,
        organization_id__in=organization_ids,
    )
    for ladder in ladders:
        enroll(ladder, [(signature.person_id, f"signature:{signature.pk}")])


def connect() -> None:
    signature_verified.connect(on_signature_verified, dispatch_uid="ladders.signature_verified")


def _newcomers(ladder: Ladder, start: Any) -> tuple[QuerySet[Any], str] | None:
    if ladder.trigger == Trigger.TAGGED and ladder.tag_id:
        found: QuerySet[Any] = Tagging.objects.filter(tag_id=ladder.tag_id, created_at__gte=start)
        return found, f"tag:{ladder.tag_id}"
    if ladder.trigger == Trigger.JOINED and ladder.person_list_id:
        found = ListMember.objects.filter(person_list_id=ladder.person_list_id, added_at__gte=start)
        return found, f"list:{ladder.person_list_id}"
    if ladder.trigger == Trigger.RSVPED and ladder.event_id:
        found = RSVP.objects.filter(
            event_id=ladder.event_id, created_at__gte=start, person__isnull=False
        ).exclude(status=RSVP.Status.CANCELLED)
        return found, f"rsvp:event:{ladder.event_id}"
    if ladder.trigger == Trigger.ATTENDED and ladder.event_id:
        found = RSVP.objects.filter(
            event_id=ladder.event_id,
            attendance=RSVP.Attendance.ATTENDED,
            checked_in_at__gte=start,
            person__isnull=False,
        )
        return found, f"attended:event:{ladder.event_id}"
    if ladder.trigger == Trigger.VOLUNTEERED:
        found = Volunteer.objects.filter(
            organization_id=ladder.organization_id, signed_up_at__gte=start, person__isnull=False
        )
        return found, f"volunteer:{ladder.organization_id}"
    return None


def sweep() -> int:
    """Enroll who was tagged, joined a list or RSVPed since the last sweep, for every
    active ladder with such a trigger; returns how many were offered."""
    offered = 0
    now = timezone.now()
    for ladder in Ladder.objects.active().exclude(trigger=Trigger.SIGNED):
        newcomers = _newcomers(ladder, since(ladder, now))
        if newcomers is not None:
            rows, key = newcomers
            ids = rows.order_by().values_list("person_id", flat=True).distinct()
            offered += enroll(ladder, [(pk, key) for pk in ids])
        Ladder.objects.filter(pk=ladder.pk).update(swept_until=now)
    return offered

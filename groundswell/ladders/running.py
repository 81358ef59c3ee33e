"""The worker's side of ladders: every few seconds, sweep new triggers and run the steps
that are due.

Each enrollment moves in its own short transaction: a conditional UPDATE claims it (state
active → running, at the position read), its steps run until a wait or the end, and the
row is written back with the new position. A second worker claims nothing; a worker that
dies mid-way rolls everything back, so the step runs again later, once. Email steps only
queue an outbox row (keyed by enrollment and step): no network I/O in the transaction,
and never two emails for one step. Consent is asked again at each email step.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from groundswell.events.models import RSVP
from groundswell.ladders import emails, triggers
from groundswell.ladders.models import (
    Enrollment,
    EnrollmentState,
    Step,
    StepKind,
    StopCondition,
)
from groundswell.mailings.audience import mailable
from groundswell.people.actions.lists import add_to_list, tag_people
from groundswell.people.models import PersonList, Tagging
from groundswell.petitions.models import Signature, SignatureState

BATCH = 200


def advance_due(now: datetime.datetime | None = None) -> int:
    """Sweep triggers, then run every due enrollment's next steps; returns how many moved."""
    triggers.sweep()
    now = now or timezone.now()
    moved = 0
    while True:
        due = list(
            Enrollment.objects.filter(
                state=EnrollmentState.ACTIVE, due_at__lte=now, ladder__active=True
            )
            .order_by("due_at", "pk")
            .values_list("pk", "position")[:BATCH]
        )
        if not due:
            return moved
        advanced = sum(advance(pk, position, now) for pk, position in due)
        moved += advanced
        if advanced == 0:
            return moved


def _holds(step: Step, person_id: int) -> bool:
    """Whether the stop step's condition holds for the person now."""
    if step.condition == StopCondition.HAS_TAG and step.tag_id is not None:
        return Tagging.objects.filter(tag_id=step.tag_id, person_id=person_id).exists()
    if step.condition == StopCondition.RSVPED and step.event_id is not None:
        return (
            RSVP.objects.filter(event_id=step.event_id, person_id=person_id)
            .exclude(status=RSVP.Status.CANCELLED)
            .exists()
        )
    if step.condition == StopCondition.SIGNED and step.petition_id is not None:
        return Signature.objects.filter(
            petition_id=step.petition_id, person_id=person_id, state=SignatureState.VERIFIED
        ).exists()
    return False


def advance(enrollment_id: int, position: int, now: datetime.datetime) -> bool:
    """Run one enrollment's due steps from `position`; False if another worker has it (or
    it moved since it was read)."""
    with transaction.atomic():
        claimed = Enrollment.objects.filter(
            pk=enrollment_id, position=position, state=EnrollmentState.ACTIVE, due_at__lte=now
        ).update(state=EnrollmentState.RUNNING, updated_at=now)
        if claimed != 1:
            return False
        enrollment = Enrollment.objects.select_related("ladder__organization").get(pk=enrollment_id)
        organization = enrollment.ladder.organization
        steps = list(enrollment.ladder.steps.select_related("tag", "person_list"))
        state, due_at, skipped = EnrollmentState.DONE, now, 0
        while position < len(steps):
            step = steps[position]
            position += 1
            if step.kind == StepKind.WAIT:
                state = EnrollmentState.ACTIVE
                due_at = now + datetime.timedelta(hours=step.wait_hours)
                break
            if step.kind == StepKind.EMAIL:
                if mailable(organization).filter(pk=enrollment.person_id).exists():
                    emails.queue(enrollment, step)
                else:
                    skipped += 1  # no consent now: no email, the ladder goes on
            elif step.kind == StepKind.TAG and step.tag is not None:
                tag_people(step.tag, [enrollment.person_id])
            elif (
                step.kind == StepKind.LIST
                and step.person_list is not None
                and step.person_list.kind == PersonList.Kind.STATIC
            ):
                add_to_list(step.person_list, [enrollment.person_id])
            elif step.kind == StepKind.STOP and _holds(step, enrollment.person_id):
                state = EnrollmentState.STOPPED
                break
        Enrollment.objects.filter(pk=enrollment_id).update(
            state=state,
            position=position,
            due_at=due_at,
            updated_at=now,
            emails_skipped=enrollment.emails_skipped + skipped,
        )
    return True

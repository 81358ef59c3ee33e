"""Ladders: automatic follow-ups. Something a supporter does (a verified signature, an
RSVP, a tag, a list) enrolls them in the organization's ladder, whose steps then run in
order: wait, send an email, add a tag, add to a list, stop if a condition holds.

An Enrollment is one person's way through one ladder for one trigger (its key, unique
with the ladder and person): the same trigger twice enrolls once. `position` is the
index of the next step to run; the worker runs the due ones (groundswell.ladders.running).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.events.models import Event
from groundswell.organizations.models import Organization
from groundswell.people.models import Person, PersonList, Tag
from groundswell.petitions.models import Petition


class Trigger(models.TextChoices):
    SIGNED = "signed", _("Signed a petition (verified)")
    RSVPED = "rsvped", _("RSVPed to an event")
    ATTENDED = "attended", _("Came to an event (checked in)")
    VOLUNTEERED = "volunteered", _("Volunteered with the organization")
    TAGGED = "tagged", _("Was given a tag")
    JOINED = "joined", _("Joined a list")


class LadderQuerySet(models.QuerySet["Ladder"]):
    def owned_by(self, organization: Organization) -> LadderQuerySet:
        return self.filter(organization=organization)

    def active(self) -> LadderQuerySet:
        return self.filter(active=True)


class Ladder(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="ladders")
    name = models.CharField(_("name"), max_length=200)
    trigger = models.CharField(_("starts when someone"), max_length=20, choices=Trigger.choices)
    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    person_list = models.ForeignKey(
        PersonList, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(default=False)
    # Who acted after this moment is enrolled (a ladder never reaches back in time).
    activated_at = models.DateTimeField(null=True, blank=True)
    # How far the worker has looked for new RSVPs, tags and list members.
    swept_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = LadderQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class StepKind(models.TextChoices):
    WAIT = "wait", _("Wait")
    EMAIL = "email", _("Send an email")
    TAG = "tag", _("Add a tag")
    LIST = "list", _("Add to a list")
    STOP = "stop", _("Stop if")


class StopCondition(models.TextChoices):
    HAS_TAG = "has_tag", _("has the tag")
    RSVPED = "rsvped", _("has RSVPed to the event")
    SIGNED = "signed", _("has signed the petition")


class Step(models.Model):
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    kind = models.CharField(_("step"), max_length=10, choices=StepKind.choices)
    wait_hours = models.PositiveIntegerField(_("hours to wait"), default=0)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"), blank=True)
    condition = models.CharField(
        _("condition"), max_length=10, choices=StopCondition.choices, blank=True
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    person_list = models.ForeignKey(
        PersonList, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["ladder", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "position"], name="ladder_step_position")
        ]

    def __str__(self) -> str:
        return f"{self.ladder_id}#{self.position} {self.kind}"


class EnrollmentState(models.TextChoices):
    ACTIVE = "active", _("On the ladder")
    RUNNING = "running", _("Running a step")
    DONE = "done", _("Finished")
    STOPPED = "stopped", _("Stopped by a condition")


class Enrollment(models.Model):
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="enrollments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    # What enrolled them ("signature:12", "rsvp:event:3", "attended:event:3", "tag:4",
    # "list:5", "volunteer:2").
    trigger_key = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=10, choices=EnrollmentState.choices, default=EnrollmentState.ACTIVE
    )
    emails_skipped = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ladder", "person", "trigger_key"], name="ladder_enrollment_once"
            )
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="ladder_enrollment_due")]

    def __str__(self) -> str:
        return f"{self.person_id} on {self.ladder_id} at {self.position}"

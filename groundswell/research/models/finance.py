"""Campaign-finance receipts in the Illinois State Board of Elections' bulk-file shape,
for the committees of tracked decision makers, and the donors they came from.

Receipts with the same normalized name and address belong to one donor from the start
(that is the same spelling, not a guess). Variants are only ever proposed
(DonorMatch) and merged when an organizer confirms them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.legislation.models import DecisionMaker
from groundswell.organizations.models import Organization


class DonorKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ORGANIZATION = "organization", _("Business or organization")
    COMMITTEE = "committee", _("Political committee")
    OTHER = "other", _("Other")


class Committee(models.Model):
    isbe_id = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=300)
    candidate_name = models.CharField(max_length=300, blank=True)
    decision_maker = models.ForeignKey(
        DecisionMaker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="research_committees",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Donor(models.Model):
    key = models.CharField(max_length=300, unique=True)  # normalized name | address | zip
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=DonorKind.choices)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    zip_code = models.CharField(max_length=10, blank=True)
    employer = models.CharField(max_length=300, blank=True)
    # Set when an organizer confirmed that this donor is the same as another.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Receipt(models.Model):
    """One row of Receipts.txt. `archived` is ISBE's flag for a row an amended report
    replaced: it stays for the record and counts in no total."""

    isbe_id = models.BigIntegerField(unique=True)
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="receipts")
    filed_doc_id = models.BigIntegerField(null=True, blank=True)
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="receipts")
    received = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    receipt_type = models.CharField(max_length=60, blank=True)  # D2Part
    occupation = models.CharField(max_length=200, blank=True)
    employer = models.CharField(max_length=300, blank=True)
    archived = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["committee", "received"])]

    def __str__(self) -> str:
        return f"{self.isbe_id}: {self.amount}"


class MatchState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for review")
    CONFIRMED = "confirmed", _("Confirmed: the same donor")
    REJECTED = "rejected", _("Rejected: different donors")


class DonorMatch(models.Model):
    """A proposal that two donors are one, with how sure the matcher is (0 to 1)."""

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="+")
    confidence = models.FloatField()
    reason = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=MatchState.choices, default=MatchState.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_for = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    proposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["donor", "other"], name="research_donor_match_pair")
        ]
        ordering = ["-confidence", "pk"]

    def __str__(self) -> str:
        return f"{self.donor_id} ~ {self.other_id} ({self.confidence:.2f})"

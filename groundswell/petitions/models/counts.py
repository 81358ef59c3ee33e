"""Counts: the append-only changes signing writes and the totals the worker folds them
into (per petition, per day and source, per district)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from groundswell.petitions import goals
from groundswell.petitions.models.petitions import Petition


class CountChange(models.Model):
    """An append-only change to a petition's counts, folded in by the worker.

    Signing inserts one of these instead of updating a shared counter row, so a
    surge never queues signers behind one row lock.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    source = models.CharField(max_length=40, blank=True)
    total = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.total:+}/{self.verified:+} on {self.petition_id}"


class DailyCount(models.Model):
    """Signatures per petition, day signed and source: what charts and counts read."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="daily_counts")
    day = models.DateField()
    source = models.CharField(max_length=40, blank=True)
    total = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "day", "source"], name="daily_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.source or 'direct'}: {self.verified}/{self.total}"


class PetitionCount(models.Model):
    """The petition's current totals, rewritten only by the worker."""

    petition = models.OneToOneField(
        Petition, on_delete=models.CASCADE, primary_key=True, related_name="count"
    )
    total = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)
    shown = models.IntegerField(default=0, help_text="What the public sees: verified, or total.")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.shown} on {self.petition_id}"

    @property
    def pending(self) -> int:
        return self.total - self.verified

    @property
    def goal(self) -> int:
        return goals.goal_for(self.shown)


class DistrictCountChange(models.Model):
    """An append-only change to a petition's counts by district, folded in by the worker
    (as CountChange is): written when the worker locates a signature that counts, and
    when a located one is confirmed, invalidated, restored or cleared."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(
        "districts.District", on_delete=models.PROTECT, null=True, related_name="+"
    )
    precision = models.CharField(max_length=12, blank=True)
    total = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.total:+}/{self.verified:+} on {self.petition_id} in {self.district_id}"


class DistrictCount(models.Model):
    """Located signatures per petition, district and precision: what ward figures read.

    A signature not located yet is in no row; one located without a ward fact (a ZIP
    point, nothing to go by) is in a row without a district.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="district_counts")
    district = models.ForeignKey(
        "districts.District", on_delete=models.PROTECT, null=True, related_name="+"
    )
    precision = models.CharField(max_length=12, blank=True)
    total = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "district", "precision"],
                condition=Q(district__isnull=False),
                name="district_count_once",
            ),
            models.UniqueConstraint(
                fields=["petition", "precision"],
                condition=Q(district__isnull=True),
                name="district_count_unplaced_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.precision}: {self.verified}/{self.total}"

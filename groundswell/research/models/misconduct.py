"""Complaint data in the shape of the Invisible Institute's Citizens Police Data
Project: allegations (one complaint against one officer) and officers."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization


class Dataset(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="research_datasets"
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    data_date = models.DateField(_("data as of"), default=datetime.date.today)
    synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Officer(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="officers")
    officer_id = models.CharField(max_length=40)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    rank = models.CharField(max_length=100, blank=True)
    unit = models.CharField(max_length=100, blank=True)
    appointed = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "officer_id"], name="research_officer_id")
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.officer_id


class Allegation(models.Model):
    """One row of the allegations file: complaint `crid` against one officer."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="allegations")
    crid = models.CharField(max_length=40)
    officer = models.ForeignKey(
        Officer, on_delete=models.SET_NULL, null=True, blank=True, related_name="allegations"
    )
    officer_ref = models.CharField(max_length=40, blank=True)  # as the file names them
    incident_date = models.DateField()
    category = models.CharField(max_length=200)
    finding = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=100, blank=True)
    beat = models.CharField(max_length=20, blank=True)
    location = models.CharField(max_length=300, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    ward = models.PositiveIntegerField(null=True, blank=True)  # via districts, on import
    ward_division_id = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "crid", "officer_ref"], name="research_allegation_key"
            )
        ]
        indexes = [models.Index(fields=["dataset", "incident_date"])]

    def __str__(self) -> str:
        return f"{self.crid} ({self.officer_ref})"


class ComplaintImport(models.Model):
    """A complaint file an organizer uploaded, imported by the worker batch by batch
    (actions.complaint_imports): its progress, its counts and its row errors."""

    class Kind(models.TextChoices):
        OFFICERS = "officers", _("Officers")
        ALLEGATIONS = "allegations", _("Allegations")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    original_name = models.CharField(max_length=255, blank=True)
    # The file itself (public complaint data), emptied once the import is done.
    data = models.BinaryField(default=b"")
    # The officers file uploaded with this one: started once that one is done, so
    # allegations find their officers.
    after = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(max_length=10, blank=True)  # of the row errors' messages
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)  # committed with each batch
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [[line, message], ...], the first ones
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.pk} of {self.original_name}"

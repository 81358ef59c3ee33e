"""Campaigns: an organization's (or coalition's) long-term effort with clear goals and an
ordered list of demands. Petitions, events and volunteer forms attach to a campaign."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        WON = "won", _("Won")
        ENDED = "ended", _("Ended")

    owner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="campaigns_owned",
        verbose_name=_("owner organization"),
    )
    partners = models.ManyToManyField(
        Organization,
        related_name="campaigns_partnered",
        blank=True,
        verbose_name=_("partner organizations"),
    )
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    goal = models.TextField(_("goal"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.slug])

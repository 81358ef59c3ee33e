"""Campaigns: an organization's (or coalition's) long-term effort with clear goals and an
ordered list of demands. Petitions, events and volunteer forms attach to a campaign;
organizations endorse it (or one of its demands) with a coalition sign-on."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization, OrganizationInvitation


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def published(self) -> CampaignQuerySet:
        """Campaigns the public may see: every status but draft."""
        return self.exclude(status=Campaign.Status.DRAFT)

    def involving(self, organization: Organization) -> CampaignQuerySet:
        """Campaigns the organization owns or is a partner in."""
        return self.filter(Q(owner=organization) | Q(partners=organization)).distinct()


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
    image = models.ImageField(_("image"), upload_to="campaigns/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[CampaignQuerySet] = CampaignQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def takes_endorsements(self) -> bool:
        """Organizations may sign on while the campaign is running."""
        return self.status == self.Status.ACTIVE

    @property
    def organizations(self) -> list[Organization]:
        """Owner first, then partners."""
        return [self.owner, *[o for o in self.partners.all() if o.pk != self.owner_id]]


class PartnerInvitation(OrganizationInvitation):
    """The owner's invitation to another organization to be a partner in its campaign.
    Only once an owner or admin of the invited organization accepts does it join
    `Campaign.partners`: named on the campaign's page, listed on its own page, able to
    attach its events to the campaign."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="partner_invitations"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="campaign_partner_invitations",
        verbose_name=_("invited organization"),
    )

    class Meta(OrganizationInvitation.Meta):
        verbose_name = _("invitation to partner in a campaign")
        verbose_name_plural = _("invitations to partner in a campaign")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"],
                condition=Q(state="pending"),
                name="partner_invitation_pending_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} to partner in {self.campaign_id}"


class DemandStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    WON = "won", _("Won")
    PARTLY_WON = "partly_won", _("Partly won")
    LOST = "lost", _("Lost")


class Demand(models.Model):
    """One of a campaign's demands, in the campaign's order, tracked to "won"."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="demands")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("demand"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DemandStatus.choices, default=DemandStatus.OPEN
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The ordinance or resolution that would meet the demand, when there is one on
    # record: the campaign page links it, and whip boards on it count the campaign's
    # signers by ward (petitions.wards).
    matter = models.ForeignKey(
        "legislation.Matter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("matter"),
        help_text=_("The ordinance or resolution on record that would meet this demand."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> int:
        return self.position + 1


class DemandChange(models.Model):
    """A dated entry in a demand's history: a status change (from → to) and/or the
    evidence for where it stands (a link, a note). Append-only."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=12, choices=DemandStatus.choices)
    to_status = models.CharField(max_length=12, choices=DemandStatus.choices)
    evidence_date = models.DateField(_("date"), default=timezone.localdate)
    evidence_url = models.URLField(_("link"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} on {self.demand_id}"

    @property
    def changes_status(self) -> bool:
        return self.from_status != self.to_status


class EndorsementState(models.TextChoices):
    PENDING = "pending", _("Waiting for email confirmation")
    VERIFIED = "verified", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class EndorsementQuerySet(models.QuerySet["Endorsement"]):
    def approved(self) -> EndorsementQuerySet:
        return self.filter(state=EndorsementState.APPROVED)

    def awaiting_moderation(self) -> EndorsementQuerySet:
        return self.filter(state=EndorsementState.VERIFIED)


def name_key(name: str) -> str:
    """An organization's name as duplicates are found: case and spacing ignored."""
    return " ".join(name.split()).casefold()


class Endorsement(models.Model):
    """An organization's sign-on to a campaign, or to one of its demands.

    Confirmed by its contact's email, then approved (or rejected) by the owner's
    organizers; only approved ones are shown and counted.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="endorsements")
    demand = models.ForeignKey(
        Demand,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="endorsements",
        verbose_name=_("demand"),
    )
    organization_name = models.CharField(_("organization name"), max_length=200)
    name_key = models.CharField(max_length=200)
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact email"), max_length=254)
    email_normalized = models.CharField(max_length=254)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="endorsements/", blank=True)
    statement = models.TextField(_("statement"), blank=True)
    consent = models.BooleanField(default=False)  # the contact may hear from the owner
    language = models.CharField(max_length=10, default="en")
    # Where the form was sent from, to limit sign-ons per network; erased with the contact.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    state = models.CharField(
        max_length=10, choices=EndorsementState.choices, default=EndorsementState.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="endorsements",
    )

    objects: ClassVar[EndorsementQuerySet] = EndorsementQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["organization_name", "pk"]
        constraints = [
            # One sign-on per organization name and contact email, for the campaign as a
            # whole and for each demand (NULL demands are not equal in SQL: two constraints).
            models.UniqueConstraint(
                fields=["campaign", "name_key", "email_normalized"],
                condition=Q(demand__isnull=True),
                name="endorsement_once_per_campaign",
            ),
            models.UniqueConstraint(
                fields=["demand", "name_key", "email_normalized"],
                condition=Q(demand__isnull=False),
                name="endorsement_once_per_demand",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "state"], name="endorsement_by_state"),
            models.Index(fields=["ip_address", "created_at"], name="endorsement_by_ip"),
            models.Index(fields=["email_normalized", "created_at"], name="endorsement_by_email"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_name} on {self.campaign_id}"

    @property
    def day(self) -> datetime.date:
        return timezone.localdate(self.created_at)

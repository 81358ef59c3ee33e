"""Petitions, the decision makers they are addressed to, and co-sponsors' invitations."""

from __future__ import annotations

import datetime
from typing import ClassVar, Protocol

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization, OrganizationInvitation


def _localized(obj: models.Model, field: str) -> str:
    """`field` in Spanish when the reader reads Spanish and a translation exists."""
    if translation.get_language() == "es":
        value = getattr(obj, f"{field}_es", None)
        if value:
            return str(value)
    return str(getattr(obj, field))


def is_signable(status: str, deadline: datetime.date | None) -> bool:
    """Open, and its deadline (if any) not past."""
    return status == Status.OPEN and (deadline is None or deadline >= timezone.localdate())


class PetitionRef(Protocol):
    """Enough of a petition to sign it: a Petition, or the cached signing facts."""

    @property
    def pk(self) -> int: ...

    @property
    def owner_id(self) -> int: ...


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    WON = "won", _("Victory")


class PetitionQuerySet(models.QuerySet["Petition"]):
    def published(self) -> PetitionQuerySet:
        return self.exclude(status=Status.DRAFT)

    def open(self) -> PetitionQuerySet:
        today = timezone.localdate()
        return self.filter(status=Status.OPEN).filter(
            Q(deadline__isnull=True) | Q(deadline__gte=today)
        )

    def victories(self) -> PetitionQuerySet:
        return self.filter(status=Status.WON)

    def top_signed(self) -> PetitionQuerySet:
        """Most signatures first, by the count the public sees."""
        return self.select_related("count").order_by(
            models.F("count__shown").desc(nulls_last=True), "-published_at"
        )

    def trending(self, days: int = 7, *, signed_only: bool = False) -> PetitionQuerySet:
        """Most signatures in the last `days` days first, as `recent_signatures` (from the
        daily counts the worker keeps, never a scan of signatures); then by count.
        signed_only: leave out petitions nobody signed in that time."""
        since = timezone.localdate() - datetime.timedelta(days=days - 1)
        recent = models.Sum("daily_counts__total", filter=Q(daily_counts__day__gte=since))
        petitions = self.select_related("count").annotate(recent_signatures=Coalesce(recent, 0))
        if signed_only:
            petitions = petitions.filter(recent_signatures__gt=0)
        return petitions.order_by(
            "-recent_signatures",
            models.F("count__shown").desc(nulls_last=True),
            "-published_at",
        )

    def involving(self, organization: Organization) -> PetitionQuerySet:
        """Petitions the organization owns or co-sponsors."""
        return self.filter(Q(owner=organization) | Q(sponsors=organization)).distinct()


class Petition(models.Model):
    """A petition to one or more decision makers, owned by an organization."""

    owner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="petitions_owned",
        verbose_name=_("owner organization"),
    )
    # Only organizations that agreed: naming one invites it (SponsorInvitation), and it
    # joins here when its owner or an admin accepts (petitions.actions).
    sponsors = models.ManyToManyField(
        Organization,
        related_name="petitions_sponsored",
        blank=True,
        verbose_name=_("co-sponsoring organizations"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("campaign"),
    )
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    ask = models.TextField(
        _("the ask"),
        help_text=_(
            "What you ask for, with numbered demands. Markdown: "
            "blank line between paragraphs, '1.' for numbered lists, "
            "[text](https://link) for links."
        ),
    )
    why = models.TextField(_("why is this important?"), blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    ask_es = models.TextField(_("the ask (Spanish)"), blank=True)
    why_es = models.TextField(_("why is this important? (Spanish)"), blank=True)
    image = models.ImageField(_("image"), upload_to="petitions/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    counts_unverified = models.BooleanField(
        _("count unverified signatures"),
        default=False,
        help_text=_("By default only signatures confirmed by email count."),
    )
    requires_challenge = models.BooleanField(
        _("ask signers' browsers to solve a small puzzle"),
        default=False,
        help_text=_(
            "Switch on under a bot attack. It costs a person about a second and needs no "
            "third-party service; signatures sent without it wait for an organizer's review."
        ),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    show_ward_map = models.BooleanField(
        _("show the map of signers by ward on the petition page"),
        default=False,
        help_text=_("The map and its table show how many verified signers live in each ward."),
    )
    victory_note = models.TextField(_("about the victory"), blank=True)
    victory_note_es = models.TextField(_("about the victory (Spanish)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    won_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[PetitionQuerySet] = PetitionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", args=[self.slug])

    def localized(self, field: str) -> str:
        """The field in the active language, falling back to English."""
        return _localized(self, field)

    @property
    def display_title(self) -> str:
        return self.localized("title")

    @property
    def is_signable(self) -> bool:
        return is_signable(self.status, self.deadline)

    @property
    def organizations(self) -> list[Organization]:
        """Owner first, then co-sponsors: who signers may give consent to."""
        return [self.owner, *[o for o in self.sponsors.all() if o.pk != self.owner_id]]

    def shown_count(self) -> int:
        count = getattr(self, "count", None)
        return count.shown if count else 0


class Target(models.Model):
    """A decision maker the petition is addressed to."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("e.g. Mayor"))
    office = models.CharField(
        _("office"), max_length=200, blank=True, help_text=_("e.g. City of Chicago")
    )
    # The decision maker on record (legislation), when the target is one; name, title and
    # office above are then copied from it, and stay if that record is ever removed.
    decision_maker = models.ForeignKey(
        "legislation.DecisionMaker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petition_targets",
        verbose_name=_("decision maker on record"),
    )
    response_threshold = models.PositiveIntegerField(
        _("response expected at"),
        null=True,
        blank=True,
        help_text=_(
            "The number of verified signatures at which this decision maker is expected to respond."
        ),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.title} {self.name}".strip()


class SponsorInvitation(OrganizationInvitation):
    """The owner's invitation to another organization to co-sponsor its petition. Only
    once an owner or admin of the invited organization accepts does it join
    `Petition.sponsors`: shown under "Sponsored by", offered on the sign form, told
    who signed."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="sponsor_invitations"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="sponsor_invitations",
        verbose_name=_("invited organization"),
    )

    class Meta(OrganizationInvitation.Meta):
        verbose_name = _("invitation to co-sponsor")
        verbose_name_plural = _("invitations to co-sponsor")
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "organization"],
                condition=Q(state="pending"),
                name="sponsor_invitation_pending_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} to co-sponsor {self.petition_id}"

"""Whip boards: an organization's count of where each member of a body stands on a
matter, and how that changed.

A WhipBoard belongs to one organization and follows one matter; it is private (its
organizers only) or public (anyone, with the organization's name on it). For each
member of the matter's body there is at most one Stance, the latest value, and any
number of StanceChange rows, the history: the value, where it came from (a note, a
link, a co-sponsorship, a vote cast), the day it holds from and who recorded it.

Co-sponsorships and roll calls write their own StanceChange (recorded by nobody), the
same way an organizer's change is written, once per sponsorship or roll call: the
unique constraints below are what makes a second import of the same file add nothing.

The Stance is the change with the latest day (then the one recorded last): an old
co-sponsorship imported today does not overrule what an organizer heard last week.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.legislation.models.council import Body, DecisionMaker
from groundswell.legislation.models.matters import Matter, RollCall, Sponsorship

if TYPE_CHECKING:
    from groundswell.organizations.models import Organization


class StanceValue(models.TextChoices):
    """From the matter's side: yes is a vote for it."""

    YES = "yes", _("Yes")
    LEANING_YES = "leaning_yes", _("Leaning yes")
    UNDECIDED = "undecided", _("Undecided")
    LEANING_NO = "leaning_no", _("Leaning no")
    NO = "no", _("No")


STANCE_ORDER = list(StanceValue.values)  # yes first, as the board lists them
PROJECTED_YES = frozenset({StanceValue.YES, StanceValue.LEANING_YES})


class StanceSource(models.TextChoices):
    NOTE = "note", _("note")
    LINK = "link", _("link")
    COSPONSORED = "cosponsored", _("co-sponsored")
    VOTED = "voted", _("voted")


class WhipBoardQuerySet(models.QuerySet["WhipBoard"]):
    def public(self) -> WhipBoardQuerySet:
        return self.filter(is_public=True)

    def kept_by(self, organization: Organization) -> WhipBoardQuerySet:
        return self.filter(organization=organization)


class WhipBoard(models.Model):
    """One organization's whip count on one matter."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="whip_boards",
        verbose_name=_("organization"),
    )
    matter = models.ForeignKey(
        Matter, on_delete=models.CASCADE, related_name="whip_boards", verbose_name=_("matter")
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Anyone can see a public board, with your organization's name on it. A private "
            "one is seen only by your organizers."
        ),
    )
    votes_needed = models.PositiveSmallIntegerField(
        _("votes needed"),
        null=True,
        blank=True,
        help_text=_("Leave blank for a majority of the body's seats (26 of 50)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[WhipBoardQuerySet] = WhipBoardQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("whip board")
        verbose_name_plural = _("whip boards")
        constraints = [
            models.UniqueConstraint(fields=["organization", "matter"], name="whip_board_once"),
        ]

    def __str__(self) -> str:
        return f"{self.matter} ({self.organization_id})"

    def get_absolute_url(self) -> str:
        return reverse("legislation:whip_board", args=[self.matter.slug, self.organization.slug])

    def body(self) -> Body | None:
        """The body whose members are counted: the matter's, else the City Council
        (the first legislature on record)."""
        return self.matter.body or Body.objects.legislatures().order_by("pk").first()

    def needed(self) -> int:
        """The votes to win: as set on the board, else a majority of the body's seats."""
        if self.votes_needed:
            return self.votes_needed
        body = self.body()
        return body.majority() if body is not None else 0


class Stance(models.Model):
    """Where one member stands on the board's matter now: the latest change's value."""

    board = models.ForeignKey(WhipBoard, on_delete=models.CASCADE, related_name="stances")
    decision_maker = models.ForeignKey(
        DecisionMaker, on_delete=models.CASCADE, related_name="stances"
    )
    value = models.CharField(max_length=20, choices=StanceValue.choices)
    as_of = models.DateField()
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "decision_maker"], name="stance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_maker_id}: {self.value}"


class StanceChange(models.Model):
    """One entry of a member's stance history on a board. Append-only."""

    board = models.ForeignKey(WhipBoard, on_delete=models.CASCADE, related_name="changes")
    decision_maker = models.ForeignKey(
        DecisionMaker, on_delete=models.CASCADE, related_name="stance_changes"
    )
    value = models.CharField(_("stance"), max_length=20, choices=StanceValue.choices)
    source = models.CharField(
        _("source"), max_length=20, choices=StanceSource.choices, default=StanceSource.NOTE
    )
    note = models.TextField(_("note"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    on = models.DateField(_("date"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # What an automatic change came from (None for an organizer's own).
    sponsorship = models.ForeignKey(
        Sponsorship, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    roll_call = models.ForeignKey(
        RollCall, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-recorded_at", "-pk"]
        verbose_name = _("stance change")
        verbose_name_plural = _("stance changes")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "decision_maker", "sponsorship"],
                condition=Q(sponsorship__isnull=False),
                name="stance_change_once_per_sponsorship",
            ),
            models.UniqueConstraint(
                fields=["board", "decision_maker", "roll_call"],
                condition=Q(roll_call__isnull=False),
                name="stance_change_once_per_roll_call",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_maker_id} {self.value} on {self.on}"

"""Matters: what a body decides on (OCD's Bill), and what happened to it.

A Matter is an ordinance, resolution, order… with the clerk's record number
(O2023-0002065), its title, type, status and the day it was introduced. Around it:

- Sponsorship: who sponsors it, primary sponsor or co-sponsor, since when (OCD's
  BillSponsorship, with the person resolved to a DecisionMaker where the name or id is
  known);
- Referral: the committees it was referred to;
- MatterAction: its history, in order: date, body, what happened, the result (OCD's
  BillAction);
- RollCall and Vote: each recorded vote, with the motion, its result, the votes it
  needed and every member's vote (OCD's VoteEvent and PersonVote).

An imported matter keeps its source's key (OCD id or the eLMS matterId), which the
next import finds it by; a roll call keeps its own key within the matter, so that a
whip board's history can point at it across imports.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groundswell.legislation.models.council import Body, DecisionMaker, ocd_id_field


class MatterKind(models.TextChoices):
    ORDINANCE = "ordinance", _("Ordinance")
    RESOLUTION = "resolution", _("Resolution")
    ORDER = "order", _("Order")
    APPOINTMENT = "appointment", _("Appointment")
    CLAIM = "claim", _("Claim")
    COMMUNICATION = "communication", _("Communication")
    OTHER = "other", _("Other")


class MatterQuerySet(models.QuerySet["Matter"]):
    def newest_first(self) -> MatterQuerySet:
        return self.order_by(models.F("introduced_on").desc(nulls_last=True), "-pk")

    def matching(self, text: str) -> MatterQuerySet:
        """Matters whose record number or title contains the text."""
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(record_number__icontains=text) | Q(title__icontains=text))


class Matter(models.Model):
    """An ordinance, resolution or order before a body (OCD's Bill)."""

    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
        verbose_name=_("body"),
    )
    record_number = models.CharField(_("record number"), max_length=60, blank=True, db_index=True)
    slug = models.SlugField(_("short name for links"), max_length=100, unique=True)
    title = models.TextField(_("title"))
    kind = models.CharField(
        _("type"), max_length=20, choices=MatterKind.choices, default=MatterKind.ORDINANCE
    )
    status = models.CharField(_("status"), max_length=100, blank=True)
    introduced_on = models.DateField(_("introduced on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    ocd_id = ocd_id_field()
    elms_id = models.CharField(
        _("eLMS matter id"), max_length=100, null=True, blank=True, unique=True
    )
    demo = models.BooleanField(_("demo placeholder"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[MatterQuerySet] = MatterQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-introduced_on", "-pk"]
        verbose_name = _("matter")
        verbose_name_plural = _("matters")

    def __str__(self) -> str:
        return f"{self.record_number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("legislation:matter", args=[self.slug])


class Sponsorship(models.Model):
    """A sponsor of a matter: the primary sponsor or a co-sponsor, since a day."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="sponsorships")
    decision_maker = models.ForeignKey(
        DecisionMaker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsorships",
        verbose_name=_("decision maker"),
    )
    name = models.CharField(_("name as given"), max_length=300)
    primary = models.BooleanField(_("primary sponsor"), default=False)
    classification = models.CharField(_("kind of sponsorship"), max_length=100, blank=True)
    sponsored_on = models.DateField(_("since"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-primary", "position", "pk"]
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "decision_maker"],
                condition=Q(decision_maker__isnull=False),
                name="sponsorship_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.matter_id}"


class Referral(models.Model):
    """A matter's referral to a committee."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="referrals")
    committee = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("committee")
    )
    referred_on = models.DateField(_("referred on"), null=True, blank=True)

    class Meta:
        ordering = ["referred_on", "pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(fields=["matter", "committee"], name="referral_once"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} to {self.committee}"


class MatterAction(models.Model):
    """One step of a matter's history, in order (OCD's BillAction)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField()
    date = models.DateField(_("date"), null=True, blank=True)
    body = models.ForeignKey(
        Body, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    body_name = models.CharField(_("body"), max_length=300, blank=True)
    description = models.TextField(_("what happened"))
    # OCD's action classifications, comma-separated ("introduction,committee-referral").
    classification = models.CharField(max_length=300, blank=True)
    result = models.CharField(_("result"), max_length=100, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(fields=["matter", "position"], name="action_position"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.description[:60]}"


class VoteOption(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class RollCallResult(models.TextChoices):
    PASS = "pass", pgettext_lazy("a vote", "Passed")
    FAIL = "fail", pgettext_lazy("a vote", "Failed")


class RollCall(models.Model):
    """A recorded vote on a matter (OCD's VoteEvent), with every member's vote."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="roll_calls")
    # The source's key for it within the matter: an OCD vote id, or the eLMS action it
    # came with. The next import of the same file finds it by this.
    key = models.CharField(max_length=200)
    body = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roll_calls",
        verbose_name=_("body"),
    )
    action = models.ForeignKey(
        MatterAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roll_calls",
        verbose_name=_("action"),
    )
    date = models.DateField(_("date"))
    motion = models.TextField(_("motion"))
    result = models.CharField(
        _("result"), max_length=10, choices=RollCallResult.choices, blank=True
    )
    needed = models.PositiveSmallIntegerField(_("votes needed"), null=True, blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("roll call")
        verbose_name_plural = _("roll calls")
        constraints = [
            models.UniqueConstraint(fields=["matter", "key"], name="roll_call_key"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.motion[:60]}"

    def tally(self) -> dict[str, int]:
        """Votes by option, every option present (0 where none)."""
        counts = dict.fromkeys(VoteOption.values, 0)
        for option, count in (
            self.votes.values_list("option").annotate(n=models.Count("pk")).order_by()
        ):
            counts[option] = count
        return counts


class Vote(models.Model):
    """One member's vote in a roll call (OCD's PersonVote)."""

    roll_call = models.ForeignKey(RollCall, on_delete=models.CASCADE, related_name="votes")
    decision_maker = models.ForeignKey(
        DecisionMaker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="votes",
    )
    voter_name = models.CharField(_("voter"), max_length=300)
    option = models.CharField(_("vote"), max_length=10, choices=VoteOption.choices)

    class Meta:
        ordering = ["voter_name"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["roll_call", "voter_name"], name="vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.voter_name}: {self.option}"

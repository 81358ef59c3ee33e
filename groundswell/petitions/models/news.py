"""What a petition tells its signers and the public: milestones, updates, responses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.petitions.models.petitions import Petition, Target, _localized


class Milestone(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="milestones")
    threshold = models.IntegerField()
    reached_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["threshold"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "threshold"], name="milestone_once")
        ]

    def __str__(self) -> str:
        return f"{self.threshold} on {self.petition_id}"


class PetitionUpdate(models.Model):
    """News posted by the owner organization; emailed to consenting verified signers."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="updates")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    body_es = models.TextField(_("text (Spanish)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    email_signers = models.BooleanField(_("email it to signers who agreed"), default=True)
    # How far queuing its emails got (a signature id), how many went out, and when every
    # recipient had been queued.
    emailed_through = models.BigIntegerField(default=0)
    emailed_count = models.IntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title

    def localized(self, field: str) -> str:
        return _localized(self, field)

    @property
    def still_sending(self) -> bool:
        """Its emails are not all out yet: recipients still being queued, or queued."""
        from groundswell.core import outbox

        return self.email_signers and (
            self.emailed_at is None or outbox.pending_in(f"petitions.update:{self.pk}")
        )


class PetitionResponse(models.Model):
    """What a decision maker answered, as recorded by an organizer."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="responses")
    target = models.ForeignKey(
        Target,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("decision maker"),
    )
    responder = models.CharField(
        _("who responded"),
        max_length=200,
        blank=True,
        help_text=_("If not one of the petition's decision makers."),
    )
    body = models.TextField(_("the response"))
    body_es = models.TextField(_("the response (Spanish)"), blank=True)
    responded_on = models.DateField(_("date of the response"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    email_signers = models.BooleanField(_("email it to signers who agreed"), default=True)
    # How far queuing its emails got (a signature id), how many went out, and when every
    # recipient had been queued (as for PetitionUpdate).
    emailed_through = models.BigIntegerField(default=0)
    emailed_count = models.IntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["responded_on", "created_at"]

    def __str__(self) -> str:
        return f"Response on {self.petition_id}"

    @property
    def who(self) -> str:
        return str(self.target) if self.target else self.responder

    def localized(self, field: str) -> str:
        return _localized(self, field)

    @property
    def still_sending(self) -> bool:
        """Its emails are not all out yet (as PetitionUpdate.still_sending)."""
        from groundswell.core import outbox

        return self.email_signers and (
            self.emailed_at is None or outbox.pending_in(f"petitions.response:{self.pk}")
        )

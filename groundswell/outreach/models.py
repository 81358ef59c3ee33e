"""“Tell your alderperson”: an organization's action that puts supporters in touch with
the office that represents them, by email or by phone.

- OutreachAction: what the organization asks (“Tell your alderperson to co-sponsor the
  ECPS ordinance”): the suggested subject and message a supporter may edit, which office
  it goes to (the alderperson of the supporter's ward, or the Mayor), the channels
  offered (email, a call with a script), the matter or campaign it is about.
- OfficeMessage: one supporter's message to one office. It waits for the supporter to
  confirm their address (the emailed link), so nobody can write in someone else's name;
  then it is given its turn in the office's queue (OfficeQueue: at most
  OUTREACH_OFFICE_RATE a window per office, the rest later, never dropped) and sent
  through the outbox, with a copy to the supporter.
- Call: a supporter's “I called”, with how it went, counted per office.

Offices and who holds them are legislation's records (Office, DecisionMaker, Term).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from groundswell.organizations.models import Organization

RESERVED_SLUGS = frozenset({"new"})


class TargetKind(models.TextChoices):
    """Which office an action's messages go to."""

    WARD = "ward", _("The alderperson of the supporter's ward")
    MAYOR = "mayor", _("The Mayor")


class OutreachActionQuerySet(models.QuerySet["OutreachAction"]):
    def published(self) -> OutreachActionQuerySet:
        return self.filter(published=True)

    def owned_by(self, organization: Organization) -> OutreachActionQuerySet:
        return self.filter(owner=organization)


class OutreachAction(models.Model):
    """An organization's “tell your decision maker” action, at /act/<slug>/."""

    owner = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="outreach_actions",
        verbose_name=_("organization"),
    )
    slug = models.SlugField(_("short name for links"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    subject = models.CharField(_("suggested subject"), max_length=200, blank=True)
    message = models.TextField(_("suggested message"), blank=True)
    target = models.CharField(
        _("who it goes to"), max_length=10, choices=TargetKind.choices, default=TargetKind.WARD
    )
    by_email = models.BooleanField(_("supporters may send an email"), default=True)
    by_call = models.BooleanField(_("supporters may call"), default=True)
    call_script = models.TextField(_("call script"), blank=True)
    matter = models.ForeignKey(
        "legislation.Matter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_actions",
        verbose_name=_("matter"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_actions",
        verbose_name=_("campaign"),
    )
    published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[OutreachActionQuerySet] = OutreachActionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outreach action")
        verbose_name_plural = _("outreach actions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outreach:detail", args=[self.slug])


class MessageState(models.TextChoices):
    PENDING = "pending", _("waiting for the sender to confirm")
    CONFIRMED = "confirmed", _("confirmed, waiting for its turn")
    SENT = "sent", pgettext_lazy("an email", "sent")
    ERASED = "erased", _("erased at the sender's request")


class OfficeMessageQuerySet(models.QuerySet["OfficeMessage"]):
    def confirmed(self) -> OfficeMessageQuerySet:
        """Messages their senders confirmed: sent, or waiting for the office's turn."""
        return self.filter(state__in=[MessageState.CONFIRMED, MessageState.SENT])


class OfficeMessage(models.Model):
    """One supporter's message to one office, sent once they confirm their address."""

    action = models.ForeignKey(
        OutreachAction, on_delete=models.CASCADE, related_name="office_messages"
    )
    office = models.ForeignKey(
        "legislation.Office", on_delete=models.PROTECT, related_name="outreach_messages"
    )
    # Who held the office and where it was written to when the supporter wrote.
    decision_maker = models.ForeignKey(
        "legislation.DecisionMaker",
        on_delete=models.SET_NULL,
        null=True,
        related_name="outreach_messages",
    )
    recipient = models.EmailField(_("office email"))
    name = models.CharField(_("your name"), max_length=200)
    email = models.EmailField(_("your email"))
    email_normalized = models.CharField(max_length=254, db_index=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    consent = models.BooleanField(default=False)
    language = models.CharField(max_length=10, default="en")
    state = models.CharField(max_length=10, choices=MessageState.choices, default="pending")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreach_messages",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)  # its turn in the office's queue
    sent_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[OfficeMessageQuerySet] = OfficeMessageQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["action", "state"], name="outreach_msg_action_state")]

    def __str__(self) -> str:
        return f"{self.name} → {self.office}"


class OfficeQueue(models.Model):
    """Where an office's queue of messages stands: the window the last message was
    given (`window_start`) and how many it holds. Confirming a message locks this row,
    so two confirmations at once never share a window's last place."""

    office = models.OneToOneField(
        "legislation.Office", on_delete=models.CASCADE, related_name="outreach_queue"
    )
    window_start = models.DateTimeField()
    taken = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.office}: {self.taken} from {self.window_start}"


class CallOutcome(models.TextChoices):
    SPOKE = "spoke", _("I spoke to someone in the office")
    VOICEMAIL = "voicemail", _("I left a voicemail")
    NO_ANSWER = "no_answer", _("Nobody answered")


class Call(models.Model):
    """A supporter's “I called” (no personal data: the count per office is the point)."""

    action = models.ForeignKey(OutreachAction, on_delete=models.CASCADE, related_name="calls")
    office = models.ForeignKey(
        "legislation.Office", on_delete=models.PROTECT, related_name="outreach_calls"
    )
    outcome = models.CharField(_("how did it go?"), max_length=10, choices=CallOutcome.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.office}: {self.outcome}"

"""A petition's deliveries and delivery packets (imported by petitions.models, so they
are the petitions app's models)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.core import private


def packet_storage() -> FileSystemStorage:
    """Where packets are kept: under PRIVATE_ROOT, never served by URL, readable by
    their owner only (core.private); organizers download them through a view that
    checks who they are."""
    storage: FileSystemStorage = private.private_storage(settings.PRIVATE_ROOT)
    return storage


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    EMAIL = "email", _("By email")
    MAIL = "mail", _("By mail")
    HEARING = "hearing", _("At a hearing or meeting")
    OTHER = "other", _("Another way")


class Delivery(models.Model):
    """The petition handed to some of its decision makers: when, by whom, how. Shown
    on the petition's public timeline."""

    petition = models.ForeignKey(
        "petitions.Petition", on_delete=models.CASCADE, related_name="deliveries"
    )
    delivered_on = models.DateField(_("date of the delivery"), default=timezone.localdate)
    delivered_by = models.CharField(
        _("who delivered it"),
        max_length=200,
        help_text=_("e.g. “Maria Lopez and twelve members of Action Now”."),
    )
    method = models.CharField(
        _("how"), max_length=20, choices=DeliveryMethod.choices, default=DeliveryMethod.IN_PERSON
    )
    targets = models.ManyToManyField(
        "petitions.Target",
        related_name="deliveries",
        verbose_name=_("delivered to"),
    )
    note = models.TextField(_("about the delivery"), blank=True)
    note_es = models.TextField(_("about the delivery (Spanish)"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["delivered_on", "created_at"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"Delivery of {self.petition_id} on {self.delivered_on}"

    def localized(self, field: str) -> str:
        from groundswell.petitions.models import _localized

        return _localized(self, field)


class PacketState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    # Its files deleted: a signer it listed was erased or anonymized since.
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeliveryPacket(models.Model):
    """A delivery packet for one target, as PDF and CSV, made by the worker.

    `done` of `total` signers written is the progress the dashboard shows. A run cut
    off (a worker killed) is taken back by another worker and starts the files again
    from the beginning, replacing whatever half-written file it left; a packet that is
    ready is never made again (a new request makes a new packet).
    """

    petition = models.ForeignKey(
        "petitions.Petition", on_delete=models.CASCADE, related_name="packets"
    )
    target = models.ForeignKey("petitions.Target", on_delete=models.CASCADE, related_name="packets")
    state = models.CharField(max_length=10, choices=PacketState.choices, default=PacketState.QUEUED)
    total = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    pdf = models.FileField(upload_to="packets/", storage=packet_storage, blank=True)
    csv = models.FileField(upload_to="packets/", storage=packet_storage, blank=True)
    signer_count = models.IntegerField(default=0)
    signers_sha256 = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # The language its words are in: the organizer's who asked for it.
    language = models.CharField(max_length=10, default="en")

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("delivery packet")
        verbose_name_plural = _("delivery packets")

    def __str__(self) -> str:
        return f"Packet {self.pk} for target {self.target_id}"

    @property
    def percent(self) -> int:
        if self.state == PacketState.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_ready(self) -> bool:
        return self.state == PacketState.DONE

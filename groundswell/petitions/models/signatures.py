"""Signatures, the bulk invalidations that take them out of the counts, and the access
rules that screen signing."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.districts.located import Located, unlocated_index
from groundswell.organizations.models import Organization
from groundswell.people import names
from groundswell.people.models import Channel, Consent, Person
from groundswell.petitions.models.petitions import Petition


class SignatureState(models.TextChoices):
    PENDING = "pending", _("Waiting for email confirmation")
    VERIFIED = "verified", _("Verified")


def consented_to(organization: Organization) -> Exists:
    """True for a signature whose signer has active email consent to `organization`.

    Consent exists only once a signature is confirmed, and an unsubscribe withdraws it
    everywhere: this is the one place that decides whose contact details an
    organization sees (exports) and whom it emails (updates).
    """
    return Exists(
        Consent.objects.active().filter(
            person=OuterRef("person"), organization=organization, channel=Channel.EMAIL
        )
    )


SUSPECT = ~Q(suspect_reason="") & Q(cleared_at__isnull=True)
COUNTED = ~SUSPECT & Q(invalidation__isnull=True)


class SignatureQuerySet(models.QuerySet["Signature"]):
    def counted(self) -> SignatureQuerySet:
        """Signatures that count: not suspect (or cleared by an organizer), not invalidated."""
        return self.filter(COUNTED)

    def suspect(self) -> SignatureQuerySet:
        """Kept out of the counts until an organizer clears them."""
        return self.filter(SUSPECT)

    def contactable_by(self, organization: Organization) -> SignatureQuerySet:
        """Verified signatures whose signer agreed to hear from `organization`."""
        return self.filter(
            consented_to(organization), state=SignatureState.VERIFIED, person__isnull=False
        )


class Signature(Located):
    """One person's signature on one petition; counts once verified.

    Its district (Located: district, district_precision, located_at) is filled in by the
    worker after the INSERT (groundswell.districts.assignment), from the point given
    with it (`lat`, `lon`: an import, the API, the demo) or else its address and ZIP code.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    email_normalized = models.CharField(max_length=254)
    zip_code = models.CharField(max_length=10)
    address = models.CharField(max_length=255, blank=True)
    # A point given with the signature (an import, the API, a map): located as such.
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    comment = models.TextField(blank=True)
    public = models.BooleanField(default=False)
    # Organization ids the signer ticked; they take effect as consent once verified.
    consents = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=10, default="en")
    state = models.CharField(
        max_length=10, choices=SignatureState.choices, default=SignatureState.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    verification_sends = models.PositiveSmallIntegerField(default=1)
    # The outbox: a confirmation email is waiting to be sent for this signature. It is
    # set in the same transaction that stores the signature, so no acknowledged
    # signature can miss its email; the worker sends due ones in batches.
    verification_due = models.BooleanField(default=True)
    verification_sent_at = models.DateTimeField(null=True, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="signatures"
    )
    # Integrity: a suspect signature (over a rate limit, a bot trap) is kept but does
    # not count until an organizer clears it; an invalidated one never counts.
    suspect_reason = models.CharField(max_length=40, blank=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    invalidation = models.ForeignKey(
        "Invalidation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatures",
    )
    anonymized_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[SignatureQuerySet] = SignatureQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "email_normalized"], name="one_signature_per_email"
            )
        ]
        indexes = [
            models.Index(fields=["petition", "state", "-created_at"], name="signature_recent"),
            models.Index(fields=["petition", "created_at"], name="signature_by_time"),
            models.Index(fields=["ip_address", "created_at"], name="signature_by_ip"),
            models.Index(
                fields=["petition", "created_at"],
                condition=~Q(suspect_reason="") & Q(cleared_at__isnull=True),
                name="signature_suspect",
            ),
            models.Index(
                fields=["id"], condition=Q(verification_due=True), name="signature_email_due"
            ),
            # The page's recent public signers, however few chose to be shown.
            models.Index(
                fields=["petition", "-created_at"],
                condition=Q(public=True, state="verified"),
                name="signature_public_recent",
            ),
            unlocated_index("signature_unlocated"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} on {self.petition_id}"

    @property
    def counts(self) -> bool:
        """Whether this signature is in the petition's counts (verified or not)."""
        suspect = bool(self.suspect_reason) and self.cleared_at is None
        return not suspect and self.invalidation_id is None

    @property
    def public_name(self) -> str:
        """As the petition page shows it to anyone (people.names.public_name)."""
        return names.public_name(self.first_name, self.last_name) or str(_("A signer"))

    @property
    def day(self) -> datetime.date:
        return timezone.localdate(self.created_at)


class Invalidation(models.Model):
    """An organizer's bulk invalidation of signatures, with who, when and why; reversible."""

    class Kind(models.TextChoices):
        IP = "ip", _("IP address")
        CIDR = "cidr", _("IP range (CIDR)")
        DOMAIN = "domain", _("Email domain")
        WINDOW = "window", _("Time window")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="invalidations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(_("IP, range or domain"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    signature_count = models.IntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} on {self.petition_id}"


class AccessRule(models.Model):
    """Allow or block signatures from an IP, an IP range or an email domain.

    A rule without an organization applies to every petition (set by operators);
    an organization's rules apply to the petitions it owns.
    """

    class Kind(models.TextChoices):
        IP = "ip", _("IP address or range (CIDR)")
        DOMAIN = "domain", _("Email domain")

    class Action(models.TextChoices):
        ALLOW = "allow", _("Allow (never rate-limited or blocked)")
        BLOCK = "block", _("Block")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_rules",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("IP, range or domain"), max_length=100)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "value"], name="access_rule_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.value}"

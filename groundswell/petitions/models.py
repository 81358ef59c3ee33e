from __future__ import annotations

import datetime
from typing import ClassVar, Protocol

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from groundswell.districts.located import Located, unlocated_index
from groundswell.organizations.models import Organization, OrganizationInvitation
from groundswell.people import names
from groundswell.people.models import Channel, Consent, Person
from groundswell.petitions import goals


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


class CountChange(models.Model):
    """An append-only change to a petition's counts, folded in by the worker.

    Signing inserts one of these instead of updating a shared counter row, so a
    surge never queues signers behind one row lock.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    source = models.CharField(max_length=40, blank=True)
    total = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.total:+}/{self.verified:+} on {self.petition_id}"


class DailyCount(models.Model):
    """Signatures per petition, day signed and source: what charts and counts read."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="daily_counts")
    day = models.DateField()
    source = models.CharField(max_length=40, blank=True)
    total = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "day", "source"], name="daily_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.source or 'direct'}: {self.verified}/{self.total}"


class PetitionCount(models.Model):
    """The petition's current totals, rewritten only by the worker."""

    petition = models.OneToOneField(
        Petition, on_delete=models.CASCADE, primary_key=True, related_name="count"
    )
    total = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)
    shown = models.IntegerField(default=0, help_text="What the public sees: verified, or total.")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.shown} on {self.petition_id}"

    @property
    def pending(self) -> int:
        return self.total - self.verified

    @property
    def goal(self) -> int:
        return goals.goal_for(self.shown)


class DistrictCountChange(models.Model):
    """An append-only change to a petition's counts by district, folded in by the worker
    (as CountChange is): written when the worker locates a signature that counts, and
    when a located one is confirmed, invalidated, restored or cleared."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(
        "districts.District", on_delete=models.PROTECT, null=True, related_name="+"
    )
    precision = models.CharField(max_length=12, blank=True)
    total = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.total:+}/{self.verified:+} on {self.petition_id} in {self.district_id}"


class DistrictCount(models.Model):
    """Located signatures per petition, district and precision: what ward figures read.

    A signature not located yet is in no row; one located without a ward fact (a ZIP
    point, nothing to go by) is in a row without a district.
    """

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="district_counts"
    )
    district = models.ForeignKey(
        "districts.District", on_delete=models.PROTECT, null=True, related_name="+"
    )
    precision = models.CharField(max_length=12, blank=True)
    total = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "district", "precision"],
                condition=Q(district__isnull=False),
                name="district_count_once",
            ),
            models.UniqueConstraint(
                fields=["petition", "precision"],
                condition=Q(district__isnull=True),
                name="district_count_unplaced_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.precision}: {self.verified}/{self.total}"


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


# Deliveries and delivery packets live in their own module; importing them here makes
# them the petitions app's models.
from groundswell.petitions.delivery.models import (  # noqa: E402, F401
    Delivery,
    DeliveryMethod,
    DeliveryPacket,
    PacketState,
)

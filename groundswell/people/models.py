"""Supporters: one Person per human, and what each organization may know of them.

A person is visible to an organization only through a Supporter row (they acted on
one of its actions, were imported by it, or consented to it), and the organization
sees the Supporter's fields, which hold only what it was itself given; contact fields
only with an active Consent, or where it supplied them itself (`Supporter.shows`).
`Supporter.objects.visible_to(organization)` is the one place every list, search,
export and the API asks.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.core import private as core_private
from groundswell.districts.located import Located, unlocated_index
from groundswell.organizations.models import Organization

# What an organization holds only to reach someone: shown to it with the person's consent,
# or where it supplied the value itself (Supporter.shows).
CONTACT_FIELDS = ("email", "phone", "address", "city")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text messages")
    PHONE = "phone", _("Phone calls")


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, organization: Organization) -> PersonQuerySet:
        """People the organization's organizers may see at all.

        They acted on an action the organization owns or co-sponsors, were imported by
        it, or consented to it: each of those writes a Supporter row (people.actions).
        """
        return self.filter(
            Exists(Supporter.objects.filter(person=OuterRef("pk"), organization=organization))
        )


def consented(organization: Organization, channel: str = Channel.EMAIL) -> Exists:
    """True for a person (as OuterRef("pk")) with active consent on that channel."""
    return Exists(
        Consent.objects.active().filter(
            person=OuterRef("pk"), organization=organization, channel=channel
        )
    )


class Person(Located):
    """One human across every action, matched by normalized email (and phone).

    Their district (Located) is placed by the worker from their address or ZIP code
    (people.wards), never in the request that stores them."""

    email = models.EmailField(_("email address"), blank=True)
    # The primary address, normalized; other addresses are PersonEmail rows.
    email_normalized = models.CharField(max_length=254, unique=True, null=True, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=50, blank=True)
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    # The language we write to them in; `languages` are all they read or speak.
    language = models.CharField(_("language"), max_length=10, default="en")
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Set on a person an organization typed in (or imported, or sent over its API) at an
    # address or number held by someone it already knew without seeing it there: kept
    # apart from them, so that what it typed is joined to nothing it could not see, yet
    # theirs (erased with them, reached by their own unsubscribe). people.actions.record_person.
    holder = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="kept_apart"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[PersonQuerySet] = PersonQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [unlocated_index("person_unlocated")]

    def __str__(self) -> str:
        return self.full_name or self.email or f"#{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PersonEmail(models.Model):
    """An email address of a person besides the primary one."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_emails")
    address = models.EmailField(_("email address"))
    normalized = models.CharField(max_length=254, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.address


class PersonPhone(models.Model):
    """A phone number in E.164 form (+13125550123); people are matched by it too."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone number"), max_length=20, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.number


def shown(name: str) -> Q:
    """Supporter rows (from `visible_to`) whose contact field `name` their organization
    sees: the Q form of `Supporter.shows`, for a filter that must not confirm a value
    the organization may not see."""
    return Q(contactable=True) | Q(supplied__has_key=name)


class SupporterQuerySet(models.QuerySet["Supporter"]):
    def visible_to(self, organization: Organization) -> SupporterQuerySet:
        """The organization's supporters, each annotated `contactable` (active email
        consent): the rows every list, search, export and the API of that organization
        reads. Contact fields are shown only where `Supporter.shows` says so."""
        return self.filter(organization=organization).annotate(
            contactable=Exists(
                Consent.objects.active().filter(
                    person=OuterRef("person"), organization=organization, channel=Channel.EMAIL
                )
            )
        )


class Supporter(models.Model):
    """A person as one organization knows them: the row that makes them visible to it.

    The fields are what this organization itself was given (by its own actions, imports
    and edits), never what another organization collected: a coalition partner that
    types in someone's email address learns nothing it did not already have. Contact
    fields (email, phone, street address, city) are shown with the person's active
    consent, and those the organization supplied itself (`supplied`) always: what it
    typed, imported or sent is its own, given back as it gave it.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="supporters")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="supporters"
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=50, blank=True)
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    custom_fields = models.JSONField(default=dict, blank=True)
    # The contact fields the organization supplied itself (typed, imported, sent over its
    # API), each with how ("manual", "import:<id>", "api"); the others were given by the
    # person through an action, and are shown only with their consent.
    supplied = models.JSONField(default=dict, blank=True)
    # How the organization first came to know them ("petition:<slug>", "import:<id>", ...).
    source = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[SupporterQuerySet] = SupporterQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "person"], name="supporter_once")
        ]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="supporter_newest"),
            models.Index(fields=["organization", "updated_at"], name="supporter_modified"),
            models.Index(fields=["organization", "zip_code"], name="supporter_zip"),
            models.Index("organization", Lower("last_name"), name="supporter_last_name"),
            models.Index("organization", Lower("email"), name="supporter_email"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.organization_id}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def shows(self, name: str) -> bool:
        """Whether the organization sees this field of its record: every field but the
        contact ones; a contact field with the person's active email consent (the
        `contactable` of `visible_to`; a row read without it counts as without), or
        where the organization supplied it itself."""
        if name not in CONTACT_FIELDS:
            return True
        return bool(getattr(self, "contactable", False)) or name in self.supplied

    @property
    def contact(self) -> dict[str, str | None]:
        """The contact fields as the organization sees them: the value ("" when blank),
        or None where it is hidden from it."""
        return {name: getattr(self, name) if self.shows(name) else None for name in CONTACT_FIELDS}


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """A person's permission for one organization to contact them on one channel."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="consents"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    granted_at = models.DateTimeField()
    source = models.CharField(_("how it was given"), max_length=200)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_source = models.CharField(max_length=200, blank=True)

    objects: ClassVar[ConsentQuerySet] = ConsentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "channel"], name="consent_once_per_channel"
            )
        ]
        indexes = [
            models.Index(
                fields=["organization", "channel", "person"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_active",
            )
        ]

    def __str__(self) -> str:
        state = "withdrawn" if self.withdrawn_at else "active"
        return f"{self.person} → {self.organization} ({self.channel}, {state})"


class Tag(models.Model):
    """An organization's own label for people ("volunteer", "ward 25 captain")."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "organization", name="tag_name_once_per_organization"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Tagging(models.Model):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="taggings")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="taggings")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "person"], name="tagging_once")]
        indexes = [models.Index(fields=["person"], name="tagging_person")]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.person_id}"


class PersonList(models.Model):
    """A static list (chosen people) or a saved search (a dynamic list)."""

    class Kind(models.TextChoices):
        STATIC = "static", _("List")
        SAVED = "saved", _("Saved search")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="person_lists"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATIC)
    # For a saved search: the search form's cleaned parameters (people.search).
    query = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ListMember(models.Model):
    person_list = models.ForeignKey(PersonList, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="list_memberships")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_list", "person"], name="list_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.person_list_id}"


class Activity(models.Model):
    """A stored timeline entry: what happened to or with a person, and where it came from.

    Actions kept in their own tables (signatures, RSVPs, ...) reach the timeline through
    people.timeline providers instead of being copied here.
    """

    class Kind(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        CONSENT_GIVEN = "consent_given", _("Consent given")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        EMAIL_SENT = "email_sent", _("Email sent")
        CHANGED = "changed", _("Details changed")
        TAGGED = "tagged", _("Tagged")
        FORM = "form", _("Form submitted")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="activities")
    # The organization the entry belongs to; null for entries every organization that
    # sees the person may see (none today: each entry has an owner).
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    source = models.CharField(max_length=200, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["person", "-occurred_at"], name="activity_person")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.person_id}"


class AuditEvent(models.Model):
    """Who viewed, exported or changed supporter data; visible to the organization's owners.

    Holds no personal data itself: the person is a link that erasure nulls.
    """

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        SEARCHED = "searched", _("Searched")
        EXPORTED = "exported", _("Exported")
        CHANGED = "changed", _("Changed")
        IMPORTED = "imported", _("Imported")
        ERASED = "erased", _("Erased")
        API = "api", _("API access")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="audit_events"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=300, blank=True)
    records = models.PositiveIntegerField(default=0)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organization", "-at"], name="audit_newest")]

    def __str__(self) -> str:
        return f"{self.action} by {self.user_id} at {self.organization_id}"


class Erasure(models.Model):
    """That a person's data was erased, when and at whose request; nothing about them."""

    class Via(models.TextChoices):
        SUPPORTER = "supporter", _("The supporter, by emailed link")
        ORGANIZER = "organizer", _("An organizer, on the supporter's request")
        OPERATOR = "operator", _("An operator")

    erased_at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=20, choices=Via.choices)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # "scope": "everywhere" (the supporter's own request, an operator) or "organization"
    # (an organizer's, for their organization only); then, per kind of record, how many
    # were erased ({"scope": "everywhere", "signatures": 3, "consents": 2}).
    records = models.JSONField(default=dict)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"erasure {self.pk} ({self.via})"


class Suppression(models.Model):
    """An address or phone number that an organization's own input (an import, its API,
    an organizer typing it) may not bring back, kept only as a keyed hash of it
    (people.actions.suppression): the person erased their data (everywhere, no
    organization), asked one organization to erase them (that organization), or had
    withdrawn their consent from an organization before erasing (that organization's
    claims of consent). Only the person's own new action starts over."""

    class Reason(models.TextChoices):
        ERASED = "erased", _("Erased")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")
        # Written by mailings.bounces: the address bounced for good, or its owner
        # reported a mailing as spam.
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Reported as spam")

    digest = models.CharField(max_length=64)
    # None: everywhere (the person's own erasure); else for this organization only.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["digest"],
                condition=Q(organization__isnull=True),
                name="suppressed_everywhere_once",
            ),
            models.UniqueConstraint(
                fields=["digest", "organization"], name="suppressed_for_organization_once"
            ),
        ]

    def __str__(self) -> str:
        return f"suppression {self.pk} ({self.reason})"


class ContactRestriction(models.Model):
    """An organization's word that reaching this person is unsafe, or safe only one way
    (a prisoner's mail is read by staff; someone at home must not see our emails): set
    by its organizers with a reason, in its audit log, and obeyed by every email the
    platform sends, whichever organization sends it (people.restrictions, asked by the
    outbox). Each organization sees only its own; the others' mail is just not sent."""

    class Kind(models.TextChoices):
        DO_NOT_CONTACT = "none", _("Do not contact")
        EMAIL = "email", _("Safe to contact only by email")
        PHONE = "phone", _("Safe to contact only by phone")
        MAIL = "mail", _("Safe to contact only by mail")
        THROUGH = "through", _("Safe to contact only through a named person")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="contact_restrictions"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("restriction"), max_length=10, choices=Kind.choices)
    # For THROUGH: whom to go through ("his sister, Ana"), as the organizer wrote it.
    through = models.CharField(_("the person to go through"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"], name="contact_restriction_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.person_id} by {self.organization_id}"

    @property
    def allows_email(self) -> bool:
        return self.kind == self.Kind.EMAIL


def private_storage() -> FileSystemStorage:
    """Where uploaded supporter files live: under PRIVATE_ROOT, never served by URL,
    readable by their owner only (core.private)."""
    storage: FileSystemStorage = core_private.private_storage(settings.PRIVATE_ROOT)
    return storage


class ImportJob(models.Model):
    """An organizer's CSV import: uploaded, mapped, previewed, then run by the worker."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class ConsentBasis(models.TextChoices):
        NONE = "none", _("No consent: record them, but do not email them")
        EMAIL = "email", _("They agreed to receive our emails")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    file = models.FileField(upload_to="imports/", storage=private_storage)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=1, default=",")
    headers = models.JSONField(default=list)
    # Column index (as a string) → person field name; unmapped columns are skipped.
    mapping = models.JSONField(default=dict, blank=True)
    consent_basis = models.CharField(
        max_length=10, choices=ConsentBasis.choices, default=ConsentBasis.NONE
    )
    consent_note = models.CharField(_("how they gave consent"), max_length=300, blank=True)
    tag_names = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    # Rows left out because their address or number may not be brought back (Suppression).
    skipped_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.pk} of {self.original_name}"


class ImportRowError(models.Model):
    """A row an import could not take, with the reason, for the fix-and-reimport CSV."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="errors")
    row_number = models.PositiveIntegerField()
    reason = models.CharField(max_length=500)
    values = models.JSONField(default=list)

    class Meta:
        ordering = ["row_number"]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.reason}"


class ImportMapping(models.Model):
    """Remembered per organization: which person field a column header means."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="import_mappings"
    )
    header = models.CharField(max_length=200)
    field = models.CharField(max_length=50)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "header"], name="import_mapping_once")
        ]

    def __str__(self) -> str:
        return f"{self.header} → {self.field}"

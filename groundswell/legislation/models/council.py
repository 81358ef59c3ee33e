"""Who decides: bodies, their offices, the people who hold them and for how long.

The shapes follow Open Civic Data (and Popolo, which it builds on), so that data
scraped for Councilmatic imports as it is:

- Body is OCD's Organization: the City Council, its committees, the Mayor's office,
  with a classification (legislature, committee, executive, commission) and, for a
  committee, the body it belongs to.
- Office is OCD's Post: a seat in a body ("Alderperson, Ward 25"), linked to the
  districts.District it represents, or to none (the Mayor).
- DecisionMaker is OCD's Person: a name, a sort name, a photo and the contact points
  people use to reach them (office phone, email, ward office address).
- Term is OCD's Membership: a decision maker holds an office (or a role without an
  office, such as a committee chair) from one day to another.

These records are platform-wide: every organization sees the same Council. Any
organization's organizers may correct them, so every change is kept (Revision): who
changed what, when, and from which form, import or admin page.

OCD ids (`ocd-person/…`, `ocd-post/…`) are kept where a record was imported, and an
import finds its records again by them; records made by hand have none. An empty id is
stored as NULL so that the unique constraint ignores it.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from groundswell.districts.models import District


def ocd_id_field() -> models.CharField[str | None, str | None]:
    return models.CharField(
        _("Open Civic Data id"), max_length=200, null=True, blank=True, unique=True
    )


class Classification(models.TextChoices):
    """OCD's organization classifications that a city government uses."""

    LEGISLATURE = "legislature", _("Legislature")
    COMMITTEE = "committee", _("Committee")
    EXECUTIVE = "executive", _("Executive")
    COMMISSION = "commission", _("Commission")


class BodyQuerySet(models.QuerySet["Body"]):
    def legislatures(self) -> BodyQuerySet:
        return self.filter(classification=Classification.LEGISLATURE)

    def committees(self) -> BodyQuerySet:
        return self.filter(classification=Classification.COMMITTEE)

    def executives(self) -> BodyQuerySet:
        return self.filter(classification=Classification.EXECUTIVE)


class Body(models.Model):
    """A body that decides: the City Council, one of its committees, the Mayor's office."""

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("short name for links"), max_length=100, unique=True)
    classification = models.CharField(
        _("kind"), max_length=20, choices=Classification.choices, default=Classification.COMMITTEE
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committees",
        verbose_name=_("part of"),
    )
    # How many votes it has; None counts its offices (50 ward seats make a majority of 26).
    seats = models.PositiveSmallIntegerField(_("seats"), null=True, blank=True)
    ocd_id = ocd_id_field()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[BodyQuerySet] = BodyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["classification", "name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self) -> str:
        return self.name

    def seat_count(self) -> int:
        return self.seats if self.seats is not None else self.offices.count()

    def majority(self) -> int:
        """The votes a simple majority of its seats needs: 26 of 50."""
        return self.seat_count() // 2 + 1


class OfficeQuerySet(models.QuerySet["Office"]):
    def in_body(self, body: Body) -> OfficeQuerySet:
        return self.filter(body=body)

    def ward_order(self) -> OfficeQuerySet:
        return self.order_by("body__classification", "body__name", "number", "label")


class Office(models.Model):
    """A seat in a body (OCD's Post), for the district it represents or for none."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="offices", verbose_name=_("body")
    )
    label = models.CharField(pgettext_lazy("a seat in a body", "office"), max_length=300)
    role = models.CharField(_("role"), max_length=100, blank=True)
    # The district it represents: the OCD division id as given, and the District of the
    # ward map it was linked to (a new map links again by the division id).
    division_id = models.CharField(_("division id"), max_length=200, blank=True)
    district = models.ForeignKey(
        "districts.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("district"),
    )
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    ocd_id = ocd_id_field()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[OfficeQuerySet] = OfficeQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["body", "number", "label"]
        verbose_name = pgettext_lazy("a seat in a body", "office")
        verbose_name_plural = _("offices")
        constraints = [
            models.UniqueConstraint(fields=["body", "label"], name="office_label_in_body"),
        ]

    def __str__(self) -> str:
        return self.label

    def title(self) -> str:
        """The office in the reader's language: "Alderperson, Ward 25", "Mayor"."""
        if self.number is not None and self.division_id.rsplit("/", 1)[-1].startswith("ward:"):
            return gettext("Alderperson, Ward %(number)s") % {"number": self.number}
        return self.label

    def ward(self) -> District | None:
        return self.district


class DecisionMakerQuerySet(models.QuerySet["DecisionMaker"]):
    def in_office(self, on: datetime.date | None = None) -> DecisionMakerQuerySet:
        """People who hold an office on the day `on` (today by default): the ones a
        petition can be addressed to by their office."""
        terms = Term.objects.current(on).filter(office__isnull=False)
        return self.filter(pk__in=terms.values("decision_maker_id"))

    def matching(self, text: str) -> DecisionMakerQuerySet:
        """People whose name or sort name contains the text (a picker's search box)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(sort_name__icontains=text))


class DecisionMaker(models.Model):
    """A person who holds (or held) an office: OCD's Person.

    Petition targets point at these rows (petitions.Target.decision_maker); a target
    that is not in the records stays free text there.
    """

    name = models.CharField(_("name"), max_length=300)
    sort_name = models.CharField(
        _("sort name"),
        max_length=300,
        blank=True,
        help_text=_("The name as it is sorted, e.g. “Ramirez-Rosa, Carlos”."),
    )
    slug = models.SlugField(_("short name for links"), max_length=100, unique=True)
    photo = models.ImageField(_("photo"), upload_to="decision-makers/", blank=True)
    photo_url = models.URLField(_("photo address"), max_length=500, blank=True)
    phone = models.CharField(_("office phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    office_address = models.TextField(_("ward office address"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    ocd_id = ocd_id_field()
    # A placeholder of the demo (groundswell.legislation.demo), not a real person: the
    # pages say so wherever it is shown.
    demo = models.BooleanField(_("demo placeholder"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[DecisionMakerQuerySet] = DecisionMakerQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["sort_name", "name", "pk"]
        verbose_name = _("decision maker")
        verbose_name_plural = _("decision makers")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("legislation:decision_maker", args=[self.slug])

    @property
    def picture(self) -> str:
        """The photo the pages show: the uploaded one only. A photo address elsewhere is
        offered as a link, never embedded: pages load nothing from other sites (the
        Content-Security-Policy allows images from this site alone)."""
        return str(self.photo.url) if self.photo else ""

    def current_terms(self, on: datetime.date | None = None) -> list[Term]:
        return list(
            Term.objects.current(on)
            .filter(decision_maker=self)
            .select_related("office", "body", "office__district")
        )

    def label(self, on: datetime.date | None = None) -> str:
        """Name and current office, for a picker: "Jane Doe (Alderperson, Ward 25)"."""
        offices = [t.office.title() for t in self.current_terms(on) if t.office is not None]
        if not offices:
            return self.name
        return f"{self.name} ({', '.join(offices)})"


class TermQuerySet(models.QuerySet["Term"]):
    def current(self, on: datetime.date | None = None) -> TermQuerySet:
        """Terms in force on the day `on` (today by default). A term ends on its end
        date: the council elected on the new map takes office the day the old one's
        terms end, and only the new one holds the office that day."""
        on = on or timezone.localdate()
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=on),
            Q(end_date__isnull=True) | Q(end_date__gt=on),
        )

    def seated(self) -> TermQuerySet:
        """Terms that hold an office (not a role without one, such as a chair)."""
        return self.filter(office__isnull=False)


class Term(models.Model):
    """A decision maker's term: an office held, or a role in a body (a committee's
    chair), from `start_date` until `end_date` (OCD's Membership)."""

    decision_maker = models.ForeignKey(
        DecisionMaker,
        on_delete=models.CASCADE,
        related_name="terms",
        verbose_name=_("decision maker"),
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="terms", verbose_name=_("body")
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="terms",
        verbose_name=pgettext_lazy("a seat in a body", "office"),
    )
    role = models.CharField(_("role"), max_length=100, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    ocd_id = ocd_id_field()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[TermQuerySet] = TermQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-start_date", "body", "pk"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gt=models.F("start_date")),
                name="term_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        what = self.office.label if self.office else (self.role or self.body.name)
        return f"{self.decision_maker} · {what}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.start_date is None or self.start_date <= on) and (
            self.end_date is None or self.end_date > on
        )

    def is_chair(self) -> bool:
        role = self.role.casefold()
        return "chair" in role and "vice" not in role


class RevisionSource(models.TextChoices):
    FORM = "form", _("organizer form")
    IMPORT = "import", _("import")
    ADMIN = "admin", _("admin")
    DEMO = "demo", _("demo")


# How a revision's subject and its changed fields read in its history.
SUBJECTS = {
    "decision maker": _("details"),
    "matter": _("details"),
    "term": _("term"),
    "sponsors": _("sponsors"),
    "history": _("history"),
    "import": _("import"),
}
FIELDS = {
    "name": _("name"),
    "sort_name": _("sort name"),
    "photo": _("photo"),
    "photo_url": _("photo address"),
    "phone": _("office phone"),
    "email": _("email"),
    "office_address": _("ward office address"),
    "website": _("website"),
    "slug": _("short name for links"),
    "demo": _("demo placeholder"),
    "ocd_id": _("Open Civic Data id"),
    "ocd id": _("Open Civic Data id"),
    "elms_id": _("eLMS matter id"),
    "office": pgettext_lazy("a seat in a body", "office"),
    "body": _("body"),
    "role": _("role"),
    "from": _("from"),
    "until": _("until"),
    "record_number": _("record number"),
    "title": _("title"),
    "kind": _("type"),
    "status": _("status"),
    "introduced_on": _("introduced on"),
    "summary": _("summary"),
    "source_url": _("source"),
    "sponsor": _("sponsor"),
    "co-sponsor": _("co-sponsor"),
    "since": _("since"),
    "action": _("action"),
    "referral": _("referral"),
    "sponsors": _("sponsors"),
    "actions": _("actions"),
    "referrals": _("referrals"),
    "roll calls": _("roll calls"),
}


class Revision(models.Model):
    """One change to a decision maker (their details or terms) or to a matter: who
    changed what, when, from where. `changes` maps each field to {"from": …, "to": …}
    as text; a new record has only "to" values. Append-only."""

    decision_maker = models.ForeignKey(
        DecisionMaker,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
    )
    matter = models.ForeignKey(
        "legislation.Matter",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
    )
    subject = models.CharField(_("what"), max_length=50)
    changes = models.JSONField(_("changes"), default=dict)
    source = models.CharField(
        _("source"), max_length=10, choices=RevisionSource.choices, default=RevisionSource.FORM
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for organization"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision_maker__isnull=False, matter__isnull=True)
                | Q(decision_maker__isnull=True, matter__isnull=False),
                name="revision_of_one_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def subject_label(self) -> str:
        return str(SUBJECTS.get(self.subject, self.subject))

    def entries(self) -> list[tuple[str, str, str]]:
        """(field as the reader reads it, from, to) for each change."""
        return [
            (
                str(FIELDS.get(field, field.replace("_", " "))),
                str(change.get("from", "")),
                str(change.get("to", "")),
            )
            for field, change in self.changes.items()
            if isinstance(change, dict)
        ]

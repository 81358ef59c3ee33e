"""Documents (a police union contract, an ordinance, a report), their versions, the
sections each version was split into, and the clauses organizers tag and link to
campaign demands."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.campaigns.models import Demand
from groundswell.organizations.models import Organization


class DocumentKind(models.TextChoices):
    CONTRACT = "contract", _("Union contract")
    ORDINANCE = "ordinance", _("Ordinance")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other document")


class Category(models.TextChoices):
    """Campaign Zero's Police Union Contract Project taxonomy (checkthepolice.org):
    the ways a contract's language blocks accountability."""

    DISQUALIFYING_COMPLAINTS = "disqualify", _("Disqualifying misconduct complaints")
    RESTRICTING_INTERROGATIONS = "interrogation", _("Restricting or delaying interrogations")
    EVIDENCE_BEFORE_INTERROGATION = (
        "evidence",
        _("Giving officers access to information before interrogations"),
    )
    CITY_PAYS = "city-pays", _("Requiring cities to pay for police misconduct")
    ERASING_RECORDS = "erasing", _("Erasing misconduct records")
    LIMITING_OVERSIGHT = "oversight", _("Limiting oversight and discipline")


class Document(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="research_documents"
    )
    slug = models.SlugField(_("short name for links"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.CONTRACT
    )
    source_url = models.URLField(_("where it was published"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slug"], name="research_document_slug_per_org"
            )
        ]
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def newest(self) -> Version | None:
        return self.versions.order_by("-effective_date", "-pk").first()


class Version(models.Model):
    """One text of a document: "2017", "2021". Its sections are split once, on import."""

    class Format(models.TextChoices):
        TEXT = "text", _("Plain text")
        MARKDOWN = "markdown", _("Markdown")
        PDF = "pdf", _("PDF")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(_("version"), max_length=100)
    effective_date = models.DateField(_("in force from"))
    source_format = models.CharField(max_length=10, choices=Format.choices)
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "label"], name="research_version_label_per_document"
            )
        ]
        ordering = ["effective_date", "pk"]

    def __str__(self) -> str:
        return f"{self.document} ({self.label})"


class Section(models.Model):
    """An article or a section of one version. `number` ("6", "6.1") is how the same
    section is found in another version."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    level = models.PositiveSmallIntegerField(default=1)  # 1 article, 2 section
    number = models.CharField(max_length=30)
    heading = models.CharField(max_length=500)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="research_section_position"
            )
        ]

    def __str__(self) -> str:
        return self.heading


class Clause(models.Model):
    """A passage of a section, quoted word for word, tagged with a category and linked
    to the demands it stands in the way of."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="clauses")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="clauses")
    quote = models.TextField(_("quoted text"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    note = models.TextField(_("why it matters"), blank=True)
    demands = models.ManyToManyField(Demand, related_name="research_clauses", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["section__version__effective_date", "section__position", "pk"]

    def __str__(self) -> str:
        return f"{self.section.heading}: {self.quote[:60]}"


class ChartCitation(models.Model):
    """A demand cites a statistic of a complaint data set, with the filters it was
    drawn with (so anyone can reproduce and export it)."""

    class Measure(models.TextChoices):
        CATEGORY = "category", _("Complaints by category")
        FINDING = "finding", _("Findings (sustained rate)")
        OUTCOME = "outcome", _("Discipline outcomes")
        WARD = "ward", _("Complaints by ward")
        YEAR = "year", _("Complaints by year")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="research_charts")
    dataset = models.ForeignKey(
        "research.Dataset", on_delete=models.CASCADE, related_name="citations"
    )
    measure = models.CharField(_("statistic"), max_length=20, choices=Measure.choices)
    filters = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.demand}: {self.get_measure_display()}"

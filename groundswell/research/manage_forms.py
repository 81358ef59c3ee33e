"""The organizer area's forms: they read and check the input; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from groundswell.campaigns.models import Demand
from groundswell.research.models import Category, ChartCitation, DocumentKind


class DemandChoice(forms.ModelChoiceField[Demand]):
    def label_from_instance(self, obj: Demand) -> str:
        return f"{obj.campaign.title}: {obj.title}"


class DemandsChoice(forms.ModelMultipleChoiceField[Demand]):
    def label_from_instance(self, obj: Demand) -> str:
        return f"{obj.campaign.title}: {obj.title}"


class VersionForm(forms.Form):
    label = forms.CharField(
        label=_("Version"), max_length=100, help_text=_("For example, the year: 2021.")
    )
    effective_date = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Paste the text, or upload a file below. Headings such as "
            "“ARTICLE 6 — …” and “Section 6.1 …” start the sections."
        ),
    )
    upload = forms.FileField(
        label=_("Or upload a file (.txt, .md, or a PDF with a text layer)"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("text", "").strip() and not data.get("upload"):
            raise forms.ValidationError(_("Paste the document's text or upload a file."))
        return data


class DocumentForm(VersionForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    source_url = forms.URLField(
        label=_("Where it was published"), required=False, assume_scheme="https"
    )
    field_order = ["title", "kind", "source_url", "label", "effective_date", "text", "upload"]


class ClauseForm(forms.Form):
    quote = forms.CharField(
        label=_("Quoted text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Copy the words exactly from the section."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    note = forms.CharField(
        label=_("Why it matters"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    demands = DemandsChoice(
        label=_("Demands it stands in the way of"),
        queryset=Demand.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, demands: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["demands"]
        assert isinstance(field, DemandsChoice)
        field.queryset = demands


class DatasetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Who published the data: “Invisible Institute, Citizens Police Data Project”."),
    )
    source_url = forms.URLField(label=_("Source link"), required=False, assume_scheme="https")
    data_date = forms.DateField(
        label=_("Data as of"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ImportForm(forms.Form):
    officers = forms.FileField(label=_("Officers file (CSV)"), required=False)
    allegations = forms.FileField(label=_("Allegations file (CSV)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("officers") and not data.get("allegations"):
            raise forms.ValidationError(_("Choose at least one file."))
        return data


class CitationForm(forms.Form):
    demand = DemandChoice(label=_("Demand"), queryset=Demand.objects.none())
    measure = forms.ChoiceField(label=_("Statistic"), choices=ChartCitation.Measure.choices)

    def __init__(self, *args: Any, demands: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["demand"]
        assert isinstance(field, DemandChoice)
        field.queryset = demands

"""Forms of the CSV import: the upload, and the columns' mapping with consent and tags."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groundswell.people.imports import parsing as imports
from groundswell.people.models import ImportJob


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,text/csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A spreadsheet saved as CSV, up to %(limit)s MB. The first row names the columns."
        ) % {"limit": settings.IMPORT_MAX_MB}
        self.inspection: imports.Inspection | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            self.inspection = imports.inspect(upload.file)
        except imports.FileProblem as problem:
            raise forms.ValidationError(str(problem), code="unreadable") from problem
        return upload


def split_tags(text: str) -> list[str]:
    names: list[str] = []
    for name in text.split(","):
        name = " ".join(name.split())
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


class MappingForm(forms.Form):
    """One choice per column (column_0, column_1, ...), then consent and tags."""

    consent_basis = forms.ChoiceField(
        label=gettext_lazy("Did these people agree to receive your emails?"),
        choices=ImportJob.ConsentBasis.choices,
        widget=forms.RadioSelect,
    )
    consent_note = forms.CharField(
        label=gettext_lazy("How and when did they agree?"),
        help_text=gettext_lazy(
            "For example: “Signed up at our table at the May 1 march, ticking the box to "
            "get emails.” Kept with each person's consent."
        ),
        max_length=200,
        required=False,
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags to add to everyone in this file"),
        help_text=gettext_lazy("Separate tags with commas."),
        max_length=500,
        required=False,
    )

    def __init__(self, *args: Any, job: ImportJob, samples: list[list[str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.job = job
        choices = [(name, label) for name, label in imports.FIELD_LABELS.items()]
        columns = {}
        for index in range(len(job.headers)):
            examples = [row[index] for row in samples if index < len(row) and row[index].strip()]
            help_text = ""
            if examples:
                help_text = _("For example: %(values)s") % {
                    "values": ", ".join(v.strip()[:40] for v in examples[:3])
                }
            columns[f"column_{index}"] = forms.ChoiceField(
                label=imports.column_name(job.headers, index),
                choices=choices,
                help_text=help_text,
            )
        # The columns come first on the page, then consent and tags.
        self.fields = {**columns, **self.fields}

    @property
    def column_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("column_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mapping = {
            name.removeprefix("column_"): data[name]
            for name in self.fields
            if name.startswith("column_") and name in data
        }
        by_field: dict[str, list[str]] = {}
        for index, name in mapping.items():
            if name not in ("custom", "skip"):
                by_field.setdefault(name, []).append(
                    imports.column_name(self.job.headers, int(index))
                )
        for name, columns in by_field.items():
            if len(columns) > 1:
                self.add_error(
                    None,
                    _("Only one column can be imported as %(field)s; you chose %(columns)s.")
                    % {"field": imports.FIELD_LABELS[name], "columns": ", ".join(columns)},
                )
        if len(mapping) == len(self.job.headers) and not {"email", "phone"} & by_field.keys():
            self.add_error(
                None,
                _(
                    "Choose the column with email addresses or the one with phone numbers: "
                    "people are matched by them."
                ),
            )
        if data.get("consent_basis") == ImportJob.ConsentBasis.EMAIL:
            if "email" not in by_field:
                self.add_error(
                    "consent_basis",
                    _("Consent to emails needs a column of email addresses."),
                )
            if not data.get("consent_note", "").strip():
                self.add_error(
                    "consent_note",
                    _("Say how and when they agreed: it is kept as the record of their consent."),
                )
        tags = split_tags(data.get("tags", ""))
        if any(len(t) > imports.TAG_MAX for t in tags):
            self.add_error(
                "tags",
                _("A tag can be at most %(limit)s characters long.") % {"limit": imports.TAG_MAX},
            )
        data["mapping"] = mapping
        data["tag_names"] = tags
        return data

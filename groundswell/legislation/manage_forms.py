"""Organizer forms for the Council's records, matters and whip boards: they validate,
and the views hand their clean data to groundswell.legislation.actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groundswell.core.uploads import ACCEPT as IMAGE_ACCEPT
from groundswell.core.uploads import WebImageField, image_help
from groundswell.legislation.models import (
    Body,
    DecisionMaker,
    Matter,
    MatterKind,
    Office,
    StanceSource,
    StanceValue,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordChoiceField(forms.ModelChoiceField[Any]):
    def to_python(self, value: Any) -> Any:
        # A value that is not a plausible id is an invalid choice, never a database error.
        if value not in self.empty_values and not (
            str(value).isascii() and str(value).isdigit() and len(str(value)) <= 18
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class DecisionMakerChoiceField(RecordChoiceField):
    def label_from_instance(self, obj: DecisionMaker) -> str:
        return obj.label()


class OfficeChoiceField(RecordChoiceField):
    def label_from_instance(self, obj: Office) -> str:
        return f"{obj.title()} ({obj.body.name})"


class DecisionMakerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    sort_name = forms.CharField(
        label=_("Sort name"),
        max_length=300,
        required=False,
        help_text=_("Last name first, as lists sort it, e.g. “Ramirez-Rosa, Carlos”."),
    )
    photo = WebImageField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    photo_url = forms.URLField(
        assume_scheme="https",
        label=_("Photo address"),
        max_length=500,
        required=False,
        help_text=_(
            "Or the address of an official photo, linked from their page when none is uploaded."
        ),
    )
    phone = forms.CharField(label=_("Office phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    office_address = forms.CharField(
        label=_("Ward office address"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    website = forms.URLField(
        assume_scheme="https", label=_("Website"), max_length=500, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = image_help()

    def person_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("photo", None)
        return data

    def photo_change(self) -> Any:
        """The new upload, False to remove the photo, None to leave it."""
        photo = self.cleaned_data.get("photo")
        if photo is False:
            return False
        # Without a new upload the field gives back the photo already there.
        return photo if isinstance(photo, UploadedFile) else None


class TermForm(forms.Form):
    body = RecordChoiceField(label=_("Body"), queryset=Body.objects.all())
    office = OfficeChoiceField(
        label=pgettext_lazy("a seat in a body", "Office"),
        queryset=Office.objects.select_related("body").ward_order(),
        required=False,
        help_text=_("Leave empty for a role without an office, such as a committee's chair."),
    )
    role = forms.CharField(
        label=_("Role"),
        max_length=100,
        required=False,
        help_text=_("E.g. Alderperson, Mayor, Chair, Vice chair, Member."),
    )
    start_date = forms.DateField(label=_("From"), required=False, widget=DATE)
    end_date = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DATE,
        help_text=_("The day the term ends; leave empty while it lasts."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        body, office = data.get("body"), data.get("office")
        if body is not None and office is not None and office.body_id != body.pk:
            self.add_error(
                "office",
                _("%(office)s is an office of %(body)s.")
                % {"office": office.label, "body": office.body.name},
            )
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("A term must end after it starts."))
        return data


class MatterForm(forms.Form):
    record_number = forms.CharField(
        label=_("Record number"),
        max_length=60,
        required=False,
        help_text=_("The City Clerk's number, e.g. O2023-0002065."),
    )
    title = forms.CharField(
        label=_("Title"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("Type"), choices=MatterKind.choices)
    status = forms.CharField(
        label=_("Status"),
        max_length=100,
        required=False,
        help_text=_("As the clerk has it, e.g. “In committee”, “Passed”."),
    )
    introduced_on = forms.DateField(label=_("Introduced on"), required=False, widget=DATE)
    body = RecordChoiceField(
        label=_("Body"),
        queryset=Body.objects.all(),
        required=False,
        help_text=_("Where it is decided: usually the City Council."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    source_url = forms.URLField(
        assume_scheme="https",
        label=_("Source"),
        max_length=500,
        required=False,
        help_text=_("The matter's page at the City Clerk, or another source."),
    )


class SponsorForm(forms.Form):
    decision_maker = DecisionMakerChoiceField(
        label=_("Sponsor"), queryset=DecisionMaker.objects.all()
    )
    primary = forms.BooleanField(
        label=_("Primary sponsor"),
        required=False,
        help_text=_("Leave unticked for a co-sponsor."),
    )
    sponsored_on = forms.DateField(
        label=_("Since"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty for the day the matter was introduced."),
    )


class BoardSettingsForm(forms.Form):
    is_public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_(
            "Anyone can see a public board, with your organization's name on it. A private "
            "one is seen only by your organizers."
        ),
    )
    votes_needed = forms.IntegerField(
        label=_("Votes needed"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Leave blank for a majority of the body's seats (26 of 50)."),
    )


class BoardForm(BoardSettingsForm):
    matter = RecordChoiceField(
        label=_("Matter"),
        queryset=Matter.objects.newest_first(),
        help_text=_("Add the matter first if it is not on record yet."),
    )
    field_order = ["matter", "is_public", "votes_needed"]


class StanceForm(forms.Form):
    value = forms.ChoiceField(
        label=_("Stance"), choices=StanceValue.choices, widget=forms.RadioSelect
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            (StanceSource.NOTE, _("A note: what was said, by whom, where")),
            (StanceSource.LINK, _("A link: an article, a statement, a post")),
        ],
        initial=StanceSource.NOTE,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    url = forms.URLField(assume_scheme="https", label=_("Link"), max_length=500, required=False)
    on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") == StanceSource.LINK and not data.get("url"):
            self.add_error("url", _("Give the link this stance comes from."))
        if data.get("source") == StanceSource.NOTE and not data.get("note"):
            self.add_error("note", _("Say where this stance comes from."))
        on = data.get("on")
        if on and on > timezone.localdate():
            self.add_error("on", _("The date cannot be in the future."))
        return data

"""Organizers' forms for the follow-up pipeline and the volunteer form's settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.volunteers.forms import WARDS
from groundswell.volunteers.models import Interest, Stage, VolunteerForm

UNASSIGNED = "none"


def staff_of(organization: Organization) -> Any:
    return User.objects.filter(memberships__organization=organization).order_by(
        "first_name", "email"
    )


def staff_label(user: User) -> str:
    return user.get_full_name() or user.email


class StaffChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return staff_label(obj)


class FilterForm(forms.Form):
    """The pipeline's filters; an invalid value is ignored rather than shown as an error."""

    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    interest = forms.ModelChoiceField(
        label=_("Interest"),
        required=False,
        queryset=Interest.objects.none(),
        empty_label=_("All interests"),
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    ward = forms.TypedChoiceField(
        label=_("Ward"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All wards")), *[(n, str(n)) for n in range(1, WARDS + 1)]],
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        interest = self.fields["interest"]
        assert isinstance(interest, forms.ModelChoiceField)
        interest.queryset = Interest.objects.filter(organization=organization)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ChoiceField)
        assignee.choices = [
            ("", _("Anyone")),
            (UNASSIGNED, _("Nobody yet")),
            *[(str(u.pk), staff_label(u)) for u in staff_of(organization)],
        ]


class StageForm(forms.Form):
    prefix = "stage"
    stage = forms.ChoiceField(label=_("Move to stage"), choices=Stage.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(forms.Form):
    prefix = "assign"
    assignee = StaffChoiceField(
        label=_("Assigned to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, StaffChoiceField)
        assignee.queryset = staff_of(organization)


class NoteForm(forms.Form):
    prefix = "note"
    note = forms.CharField(
        label=_("Add a note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only your organization's staff see notes."),
    )


class SettingsForm(forms.ModelForm[VolunteerForm]):
    class Meta:
        model = VolunteerForm
        fields = ["is_open", "intro", "intro_es", "reminder_days"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "intro_es": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_reminder_days(self) -> int:
        days = self.cleaned_data["reminder_days"]
        if days > 60:
            raise forms.ValidationError(_("Choose at most 60 days (0 turns reminders off)."))
        return int(days)


class InterestForm(forms.Form):
    name = forms.CharField(label=_("Interest"), max_length=100)
    name_es = forms.CharField(label=_("In Spanish"), max_length=100, required=False)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Name the interest."))
        return name

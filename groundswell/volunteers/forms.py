"""The public volunteer form: validates at the edge, so the action receives clean data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization
from groundswell.people.addresses import EmailAddressField, normalize_email
from groundswell.people.phones import PhoneField
from groundswell.volunteers.models import LANGUAGES, Availability, Interest, ReachBy

WARDS = 50  # Chicago's city council wards


class InterestChoiceField(forms.ModelMultipleChoiceField[Interest]):
    def label_from_instance(self, obj: Interest) -> str:
        return obj.display_name


class SignupForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    interests = InterestChoiceField(
        label=_("What would you like to help with?"),
        queryset=Interest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.CharField(
        label=_("Skills you would like to offer"),
        max_length=1000,
        required=False,
        help_text=_("For example: design, translation, driving, legal training."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_languages = forms.CharField(label=_("Other languages"), max_length=200, required=False)
    availability = forms.MultipleChoiceField(
        label=_("When are you available?"),
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability_note = forms.CharField(
        label=_("Anything else about when you can help"),
        max_length=300,
        required=False,
    )
    neighborhood = forms.CharField(
        label=_("Neighborhood"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level3"}),
    )
    ward = forms.IntegerField(
        label=_("Ward"),
        required=False,
        min_value=1,
        max_value=WARDS,
        help_text=_("Your Chicago ward, from 1 to 50, if you know it."),
        error_messages={
            "invalid": _("Enter a ward number from 1 to 50."),
            "min_value": _("Enter a ward number from 1 to 50."),
            "max_value": _("Enter a ward number from 1 to 50."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    email = EmailAddressField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = PhoneField(
        label=_("Phone"), widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})
    )
    reach_by = forms.ChoiceField(
        label=_("How should we reach you?"),
        choices=ReachBy.choices,
        initial=ReachBy.EMAIL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        interests = self.fields["interests"]
        assert isinstance(interests, InterestChoiceField)
        interests.queryset = Interest.objects.offered().filter(organization=organization)
        self.fields["consent"] = forms.BooleanField(
            required=False,
            label=_("%(organization)s may also email me about its campaigns and events")
            % {"organization": organization.name},
        )

    @property
    def has_interests(self) -> bool:
        interests = self.fields["interests"]
        assert isinstance(interests, InterestChoiceField) and interests.queryset is not None
        return interests.queryset.exists()

    def clean_first_name(self) -> str:
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self) -> str:
        return " ".join(self.cleaned_data["last_name"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by_phone = data.get("reach_by") in (ReachBy.PHONE, ReachBy.TEXT)
        if by_phone and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Give a phone number to be reached by phone."))
        return data

    def signup_fields(self) -> dict[str, Any]:
        """Keyword arguments for actions.record_signup."""
        data = self.cleaned_data
        return {
            "interests": list(data["interests"]),
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"].strip(),
            "email_normalized": normalize_email(data["email"]),
            "phone": data["phone"],
            "reach_by": data["reach_by"],
            "skills": data["skills"].strip(),
            "languages": list(data["languages"]),
            "other_languages": data["other_languages"].strip(),
            "availability": list(data["availability"]),
            "availability_note": data["availability_note"].strip(),
            "neighborhood": data["neighborhood"].strip(),
            "ward": data["ward"],
            "consent": bool(data.get("consent")),
        }

"""The public sign-on form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from groundswell.campaigns.models import Campaign, Demand
from groundswell.core import uploads
from groundswell.people.addresses import EmailAddressField


class DemandChoiceField(forms.ModelChoiceField[Demand]):
    def to_python(self, value: Any) -> Any:
        # A value that is not a plausible id is an invalid choice, never a database error.
        if value not in self.empty_values and not (str(value).isascii() and str(value).isdigit()):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, obj: Demand) -> str:
        return _("Demand %(number)s: %(title)s") % {"number": obj.number, "title": obj.title}


class EndorsementForm(forms.Form):
    organization_name = forms.CharField(
        label=_("Organization name"),
        max_length=200,
        error_messages={"required": _("Type your organization's name.")},
    )
    demand = DemandChoiceField(
        label=_("What your organization endorses"),
        queryset=Demand.objects.none(),
        required=False,
        empty_label=_("The whole campaign"),
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        error_messages={"required": _("Type your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = EmailAddressField(
        label=_("Your email"),
        max_length=254,
        help_text=_("We send a link there to confirm the endorsement. It is never shown."),
        error_messages={"required": _("Type your email address.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.URLField(
        label=_("Organization website"),
        required=False,
        max_length=200,
        assume_scheme="https",
    )
    logo = uploads.WebImageField(
        label=_("Logo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
    )
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why your organization endorses, in a few sentences. Shown publicly."),
    )
    consent = forms.BooleanField(label="", required=False)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        demand = self.fields["demand"]
        assert isinstance(demand, forms.ModelChoiceField)
        demands: QuerySet[Demand] = campaign.demands.all()
        demand.queryset = demands
        if not demands.exists():
            demand.widget = forms.HiddenInput()
        self.fields["logo"].help_text = uploads.image_help()
        self.fields["consent"].label = _("%(organization)s may email me about this campaign") % {
            "organization": campaign.owner.name
        }

    def clean_organization_name(self) -> str:
        return " ".join(self.cleaned_data["organization_name"].split())

    def clean_contact_name(self) -> str:
        return " ".join(self.cleaned_data["contact_name"].split())

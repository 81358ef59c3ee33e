"""The organizer's forms for texts: the blast (message, language, audience) and the
organization's time zone for quiet hours."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization
from groundswell.texts import audience
from groundswell.texts.models import Blast

LANGUAGE_CHOICES = [("en", _("English")), ("es", _("Spanish"))]
TIME_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
]


class BlastForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 5, "data-segments": ""}),
        help_text=_(
            "Your organization's name goes first and a line on how to stop goes last. "
            "Accents like á, í, ó, ú and emoji make each part shorter (70 characters "
            "instead of 160)."
        ),
    )
    language = forms.ChoiceField(label=_("Written in"), choices=LANGUAGE_CHOICES, initial="en")
    tags = forms.MultipleChoiceField(
        label=_("Tagged"), required=False, widget=forms.CheckboxSelectMultiple
    )
    lists = forms.MultipleChoiceField(
        label=_("In a list or saved search"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = audience.choices(organization)
        for key in audience.KEYS:
            field = self.fields[key]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = offered[key]

    def chosen(self) -> dict[str, Any]:
        return {key: self.cleaned_data.get(key) or [] for key in audience.KEYS}

    @staticmethod
    def initial_for(blast: Blast) -> dict[str, Any]:
        return {"body": blast.body, "language": blast.language, **blast.audience}


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone of your supporters"),
        help_text=_("No text reaches them during quiet hours (%(hours)s) in this time zone."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = dict.fromkeys([settings.TIME_ZONE, *TIME_ZONES])
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(zone, zone.replace("_", " ")) for zone in zones]
        field.help_text = str(field.help_text) % {"hours": settings.TEXTS_QUIET_HOURS}

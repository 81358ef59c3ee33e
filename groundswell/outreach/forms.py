"""The public forms of an outreach action: where you live, your message, your call."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from groundswell.outreach.models import CallOutcome, OutreachAction
from groundswell.people.addresses import EmailAddressField

ZIP = r"^\d{5}(-\d{4})?$"


class LocateForm(forms.Form):
    """A street address and ZIP code, or a point (filled in by “use my location”)."""

    street = forms.CharField(
        label=_("Street address"),
        max_length=200,
        required=False,
        help_text=_("For example: 1234 W 18th St"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    zip_code = forms.RegexField(
        label=_("ZIP code"),
        regex=ZIP,
        required=False,
        error_messages={"invalid": _("Type a ZIP code of five digits, e.g. 60608.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": 10}
        ),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon = data.get("lat"), data.get("lon")
        if lat is not None or lon is not None:
            if not (
                lat is not None
                and lon is not None
                and math.isfinite(lat)
                and math.isfinite(lon)
                and abs(lat) <= 90
                and abs(lon) <= 180
            ):
                raise ValidationError(_("Your location could not be read. Type your address."))
            return data
        if self.errors:
            return data
        if not data.get("street") or not data.get("zip_code"):
            raise ValidationError(
                _("Type your street address and ZIP code, so we can find your ward.")
            )
        return data

    @property
    def point(self) -> tuple[float, float] | None:
        lat, lon = self.cleaned_data.get("lat"), self.cleaned_data.get("lon")
        return (lat, lon) if lat is not None and lon is not None else None


class MessageForm(forms.Form):
    office = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        error_messages={"required": _("Type your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = EmailAddressField(
        label=_("Your email"),
        max_length=254,
        help_text=_("We send you a link to confirm it is you. Replies from the office come here."),
        error_messages={"required": _("Type your email address.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        error_messages={"required": _("Give your message a subject.")},
    )
    body = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Change it as you like: a message in your own words counts most."),
        error_messages={"required": _("Write your message.")},
    )
    consent = forms.BooleanField(label="", required=False)

    def __init__(self, *args: Any, action: OutreachAction, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"subject": action.subject, "body": action.message, **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _("%(organization)s may email me about its work") % {
            "organization": action.owner.name
        }

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class CallForm(forms.Form):
    office = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("How did it go?"),
        choices=CallOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how the call went.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_call_%s")  # on the page beside the message form
        super().__init__(*args, **kwargs)

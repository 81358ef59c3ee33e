"""The public signing form: validates at the edge, so the action receives clean data."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization
from groundswell.people.addresses import EmailAddressField, normalize_email

ZIP_RE = re.compile(r"^[0-9]{5}(-[0-9]{4})?$")
SOURCE_RE = re.compile(r"[^a-z0-9_.-]")


def clean_source(raw: str | None) -> str:
    """A share-link source code: lower-case letters, digits, - _ . ; at most 40."""
    return SOURCE_RE.sub("", (raw or "").strip().lower())[:40]


class SignatureForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = EmailAddressField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    zip_code = forms.CharField(
        label=_("ZIP code"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    address = forms.CharField(
        label=_("Street address"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public = forms.BooleanField(
        label=_("Show my first name and last initial on this page"), required=False
    )
    source = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = organizations
        for organization in organizations:
            field = forms.BooleanField(
                required=False,
                label=_("%(organization)s may email me about this and other campaigns")
                % {"organization": organization.name},
            )
            field.organization_name = organization.name  # type: ignore[attr-defined]
            self.fields[f"consent_{organization.pk}"] = field

    def consent_fields(self) -> list[forms.BoundField]:
        return [self[f"consent_{o.pk}"] for o in self.organizations]

    # How the page shows the boxes: the owner's first, the co-sponsors' grouped. Which
    # boxes were ticked is all the form tells the action (signature_fields' consents).
    def owner_consent(self) -> forms.BoundField | None:
        fields = self.consent_fields()
        return fields[0] if fields else None

    def cosponsor_consents(self) -> list[forms.BoundField]:
        return self.consent_fields()[1:]

    def cosponsor_ticked(self) -> bool:
        """Whether a co-sponsor's box comes back ticked (the group then shows open)."""
        return any(field.value() for field in self.cosponsor_consents())

    def clean_first_name(self) -> str:
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self) -> str:
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_zip_code(self) -> str:
        value = self.cleaned_data["zip_code"].strip()
        if not ZIP_RE.match(value):
            raise forms.ValidationError(_("Enter a 5-digit ZIP code, like 60608."))
        return value

    def clean_source(self) -> str:
        return clean_source(self.cleaned_data.get("source"))

    def signature_fields(self) -> dict[str, Any]:
        """Keyword arguments for actions.record_signature."""
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"].strip(),
            "email_normalized": normalize_email(data["email"]),
            "zip_code": data["zip_code"],
            "address": data["address"].strip(),
            "comment": data["comment"].strip(),
            "public": data["public"],
            "source": data["source"],
            "consents": [o.pk for o in self.organizations if data.get(f"consent_{o.pk}")],
        }

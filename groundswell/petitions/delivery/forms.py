"""Organizer forms for delivering a petition."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.petitions.models import Delivery, Petition, Target


class DeliveryForm(forms.ModelForm[Delivery]):
    targets = forms.ModelMultipleChoiceField(
        label=_("Delivered to"),
        queryset=Target.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one decision maker.")},
    )

    class Meta:
        model = Delivery
        fields = ["delivered_on", "delivered_by", "method", "targets", "note", "note_es"]
        labels = {
            "delivered_on": _("Date of the delivery"),
            "delivered_by": _("Who delivered it"),
            "method": _("How"),
            "note": _("About the delivery"),
            "note_es": _("About the delivery (Spanish)"),
        }
        help_texts = {
            "delivered_by": _("e.g. “Maria Lopez and twelve members of Action Now”."),
            "note": _("Shown on the petition page. Markdown as in the petition."),
        }
        widgets = {
            "delivered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 5}),
            "note_es": forms.Textarea(attrs={"rows": 5, "lang": "es"}),
        }

    def __init__(self, *args: Any, petition: Petition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        targets = self.fields["targets"]
        assert isinstance(targets, forms.ModelMultipleChoiceField)
        targets.queryset = petition.targets.all()

    def clean_delivered_by(self) -> str:
        return " ".join(self.cleaned_data["delivered_by"].split())

    def clean_delivered_on(self) -> Any:
        day = self.cleaned_data["delivered_on"]
        if day > timezone.localdate():
            raise ValidationError(
                _("The date of the delivery cannot be in the future."), code="future"
            )
        return day

    def delivery_fields(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["targets"] = list(fields["targets"])
        return fields


class PacketForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Decision maker"),
        queryset=Target.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Pick one of the petition's decision makers.")},
    )

    def __init__(self, *args: Any, petition: Petition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ModelChoiceField)
        target.queryset = petition.targets.all()

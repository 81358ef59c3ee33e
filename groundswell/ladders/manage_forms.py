"""The organizer's forms for ladders: they validate the shape; actions check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from groundswell.events.models import Event
from groundswell.ladders.models import StepKind, StopCondition, Trigger
from groundswell.organizations.models import Organization
from groundswell.people.models import PersonList, Tag
from groundswell.petitions.models import Petition

NONE = [("", "—")]


def _choices(organization: Organization) -> dict[str, list[tuple[str, str]]]:
    return {
        "petition": NONE
        + [(str(p.pk), str(p.title)) for p in Petition.objects.involving(organization)],
        "event": NONE + [(str(e.pk), str(e.title)) for e in Event.objects.involving(organization)],
        "tag": NONE + [(str(t.pk), t.name) for t in Tag.objects.filter(organization=organization)],
        "person_list": NONE
        + [
            (str(pl.pk), pl.name)
            for pl in PersonList.objects.filter(
                organization=organization, kind=PersonList.Kind.STATIC
            )
        ],
    }


class LadderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    trigger = forms.ChoiceField(label=_("Starts when someone"), choices=Trigger.choices)
    petition = forms.ChoiceField(label=_("Petition"), required=False)
    event = forms.ChoiceField(label=_("Event"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    person_list = forms.ChoiceField(label=_("List"), required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in _choices(organization).items():
            self.fields[name].choices = choices  # type: ignore[attr-defined]

    def target(self) -> str:
        field = {
            Trigger.SIGNED: "petition",
            Trigger.RSVPED: "event",
            Trigger.ATTENDED: "event",
            Trigger.TAGGED: "tag",
            Trigger.JOINED: "person_list",
        }.get(Trigger(self.cleaned_data["trigger"]))
        return str(self.cleaned_data.get(field) or "") if field else ""


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=StepKind.choices)
    wait_days = forms.IntegerField(label=_("Days to wait"), min_value=0, required=False)
    wait_hours = forms.IntegerField(label=_("Hours to wait"), min_value=0, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_('Markdown. Merge fields such as {{ first_name|default:"friend" }}.'),
    )
    condition = forms.ChoiceField(
        label=_("Stop if the person"), choices=[*NONE, *StopCondition.choices], required=False
    )
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    person_list = forms.ChoiceField(label=_("List"), required=False)
    event = forms.ChoiceField(label=_("Event"), required=False)
    petition = forms.ChoiceField(label=_("Petition"), required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in _choices(organization).items():
            self.fields[name].choices = choices  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["wait_hours"] = (data.pop("wait_days") or 0) * 24 + (data.get("wait_hours") or 0)
        return data

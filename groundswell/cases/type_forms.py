"""The form of a case type, as owners and case managers edit it: statuses, activity
types and planned activities one per line."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from groundswell.cases.models import CaseType

# "24 hours: Follow up with the facility", "90 days: TIRC filing deadline",
# "-30 days: Plan housing before release" (Spanish units too).
PLANNED_LINE = re.compile(
    r"^\s*([+-]?\d{1,5})\s*(h|hours?|horas?|d|days?|d[ií]as?)\s*[:|]\s*(.+?)\s*$", re.IGNORECASE
)
MAX_PLANNED_HOURS = 20 * 365 * 24


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def planned_lines(planned: list[tuple[str, int]]) -> str:
    """The planned activities as the form shows them."""
    lines = []
    for title, hours in planned:
        if hours % 24 == 0 and hours != 0:
            lines.append(f"{hours // 24} days: {title}")
        else:
            lines.append(f"{hours} hours: {title}")
    return "\n".join(lines)


class CaseTypeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    emergency = forms.BooleanField(
        label=_("An emergency"),
        required=False,
        help_text=_("Its cases start the emergency clock: escalated by email if nobody acts."),
    )
    public = forms.BooleanField(label=_("Offered on the public request form"), required=False)
    statuses = forms.CharField(
        label=_("Statuses"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text=_("One per line, in order. The last one closes the case."),
    )
    activity_types = forms.CharField(
        label=_("Kinds of activity"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
        help_text=_("One per line: a call, a visit, a court date…"),
    )
    planned = forms.CharField(
        label=_("Planned activities"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
        help_text=_(
            "One per line, counted from the case's reference date: “24 hours: Follow up "
            "with the facility”, “90 days: TIRC filing deadline”, “-30 days: Plan housing”. "
            "New cases get them; open ones keep theirs."
        ),
    )

    @classmethod
    def initial_for(cls, case_type: CaseType) -> dict[str, Any]:
        return {
            "name": case_type.name,
            "emergency": case_type.emergency,
            "public": case_type.public,
            "statuses": "\n".join(status.name for status in case_type.statuses.all()),
            "activity_types": "\n".join(kind.name for kind in case_type.activity_types.all()),
            "planned": planned_lines(
                [(step.title, step.offset_hours) for step in case_type.planned.all()]
            ),
        }

    def clean_statuses(self) -> list[str]:
        return _lines(self.cleaned_data["statuses"])

    def clean_activity_types(self) -> list[str]:
        return _lines(self.cleaned_data["activity_types"])

    def clean_planned(self) -> list[tuple[str, int]]:
        planned = []
        for line in _lines(self.cleaned_data["planned"]):
            match = PLANNED_LINE.match(line)
            if match is None:
                raise forms.ValidationError(
                    _("“%(line)s” is not understood: write it as “24 hours: what to do”."),
                    params={"line": line[:80]},
                    code="planned",
                )
            number, unit, title = match.groups()
            hours = int(number) * (1 if unit.lower().startswith("h") else 24)
            if abs(hours) > MAX_PLANNED_HOURS:
                raise forms.ValidationError(
                    _("“%(line)s” is too far from the reference date."),
                    params={"line": line[:80]},
                    code="planned",
                )
            planned.append((title[:200], hours))
        return planned

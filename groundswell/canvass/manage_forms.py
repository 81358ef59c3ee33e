"""Organizers' forms for canvasses: they validate; actions write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from groundswell.canvass.actions import MAX_TURFS, QuestionSpec
from groundswell.canvass.models import Question, Result, Turf
from groundswell.districts.models import District

KINDS = {
    "single": Question.Kind.SINGLE,
    "multiple": Question.Kind.MULTIPLE,
    "text": Question.Kind.TEXT,
    "scale": Question.Kind.SCALE,
}


class CanvassForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Short name (in links)"), max_length=80)


class AddressListForm(forms.Form):
    file = forms.FileField(
        label=_("Address list (CSV)"),
        help_text=_(
            'The first line names the columns: "address" and "unit", and if you have them '
            '"name", "phone", "city", "state" and "zip". One household a line.'
        ),
    )


class ScriptForm(forms.Form):
    script = forms.CharField(
        label=_("Survey questions"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_(
            "One question a line: its kind (single, multiple, text or scale), a colon, "
            "the question, and for single or multiple, the choices after a bar separated "
            'by semicolons. Example: "single: Will you vote? | Yes; No; Not sure".'
        ),
    )

    def clean_script(self) -> list[QuestionSpec]:
        specs = []
        for number, line in enumerate(self.cleaned_data["script"].splitlines(), start=1):
            if not line.strip():
                continue
            kind, colon, rest = line.partition(":")
            if not colon or kind.strip().lower() not in KINDS:
                raise ValidationError(
                    _("Line %(number)s: start with single, multiple, text or scale and a colon.")
                    % {"number": number}
                )
            text, _bar, choices = rest.partition("|")
            specs.append(
                QuestionSpec(
                    KINDS[kind.strip().lower()],
                    text.strip(),
                    [c.strip() for c in choices.split(";") if c.strip()],
                )
            )
        return specs


def script_text(questions: Any) -> str:
    lines = []
    for q in questions:
        line = f"{q.kind}: {q.text}"
        if q.choices:
            line += " | " + "; ".join(q.choices)
        lines.append(line)
    return "\n".join(lines)


class CutForm(forms.Form):
    turfs = forms.IntegerField(label=_("Number of turfs"), min_value=1, max_value=MAX_TURFS)
    by_route = forms.BooleanField(
        label=_("Order each walk list by the shortest route (instead of by street and side)"),
        required=False,
    )


class DrawForm(forms.Form):
    """A turf drawn on the map (the page's script writes the polygon's points), or,
    without the map, the codes of its doors."""

    polygon = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20000)
    door_codes = forms.CharField(
        label=_("Or the codes of its doors (from the walk sheets), separated by spaces"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=20000,
    )

    def clean_polygon(self) -> list[tuple[float, float]]:
        points = []
        for pair in self.cleaned_data["polygon"].split():
            lon, _comma, lat = pair.partition(",")
            try:
                point = (float(lon), float(lat))
            except ValueError:
                raise ValidationError(
                    _("The drawn shape could not be read: draw it again.")
                ) from None
            if not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90) or point != point:
                raise ValidationError(_("The drawn shape could not be read: draw it again."))
            points.append(point)
        return points

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("polygon") and not (data.get("door_codes") or "").strip():
            raise ValidationError(_("Draw the turf on the map, or enter the codes of its doors."))
        return data


class CodeForm(forms.Form):
    name = forms.CharField(label=_("Canvasser's name"), max_length=200)
    turf = forms.ModelChoiceField(label=_("Turf"), queryset=Turf.objects.none(), required=False)
    precinct = forms.ModelChoiceField(
        label=_("Or, for a precinct captain, their precinct"),
        queryset=District.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, canvass: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["turf"].queryset = Turf.objects.filter(canvass=canvass)  # type: ignore[attr-defined]
        self.fields["precinct"].queryset = District.objects.filter(  # type: ignore[attr-defined]
            pk__in=canvass.doors.exclude(precinct=None).values("precinct")
        ).select_related("set")
        self.fields["precinct"].label_from_instance = lambda d: d.label()  # type: ignore[attr-defined]


class KeyInForm(forms.Form):
    """A walk sheet's line: the door's code, the result, and the survey answers written
    on the paper (one optional field per question). The fields only carry the answers;
    whether they fit their questions is decided by actions.key_in, by the phone's rule."""

    door_code = forms.CharField(label=_("Door code"), max_length=12)
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    client_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, canvass: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(canvass.questions.all())
        for question in self.questions:
            name = f"answer_{question.pk}"
            if question.kind == Question.Kind.MULTIPLE:
                self.fields[name] = forms.Field(
                    label=question.text,
                    required=False,
                    widget=forms.CheckboxSelectMultiple(choices=[(c, c) for c in question.choices]),
                )
                continue
            if question.kind == Question.Kind.SINGLE:
                widget: forms.Widget = forms.RadioSelect(choices=[(c, c) for c in question.choices])
            elif question.kind == Question.Kind.SCALE:
                widget = forms.RadioSelect(choices=[(str(n), str(n)) for n in range(1, 6)])
            else:
                widget = forms.TextInput()
            self.fields[name] = forms.CharField(
                label=question.text, required=False, widget=widget, max_length=None
            )

    def answers(self) -> dict[str, Any]:
        """The answers given, as a phone would send them (a blank one is no answer)."""
        given: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"answer_{question.pk}")
            if value in (None, "", []):
                continue
            if question.kind == Question.Kind.SCALE and str(value).strip().isdigit():
                value = int(value)
            given[str(question.pk)] = value
        return given

    def visit(self) -> dict[str, Any]:
        """The keyword arguments of actions.key_in."""
        data = self.cleaned_data
        return {
            "door_code": data["door_code"],
            "result": data["result"],
            "note": data["note"],
            "client_id": data["client_id"],
            "answers": self.answers(),
        }


class DoNotKnockForm(forms.Form):
    address = forms.CharField(
        label=_("Street address (with the unit, if only one unit)"), max_length=255
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

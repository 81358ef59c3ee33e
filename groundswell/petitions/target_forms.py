"""The petition form's decision makers: a formset of targets, each a decision maker on
record (picked from those who hold an office today) or a name typed in, with the number
of verified signatures at which they are expected to respond; and "every member of a
body", which adds a target per person sitting in it today."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from groundswell.legislation.models import Body, DecisionMaker, Term
from groundswell.petitions.models import Petition

MAX_TARGETS = 100  # the Council's 50 alderpersons, the Mayor, and room for others


def decision_maker_choices() -> list[tuple[str, Any]]:
    """The decision makers on record who hold an office today, for the picker: one
    group per body (the Mayor's office, the City Council by ward), each "name
    (office)". One query, however many forms show it."""
    terms = (
        Term.objects.current()
        .seated()
        .select_related("decision_maker", "office", "body")
        .order_by("body__classification", "body__name", "office__number", "decision_maker__name")
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    for term in terms:
        assert term.office is not None
        groups.setdefault(term.body.name, []).append(
            (term.decision_maker_id, f"{term.decision_maker.name} ({term.office.title()})")
        )
    return [("", _("Not on record: type the name below")), *groups.items()]


def body_choices() -> list[tuple[str, Any]]:
    """Bodies whose members can be added at once: those with someone in them today."""
    current = Term.objects.current().values("body_id")
    bodies = Body.objects.filter(pk__in=current).order_by("classification", "name")
    return [("", _("No one more")), *((str(b.pk), b.name) for b in bodies)]


def target_fields(decision_maker: DecisionMaker, threshold: int | None = None) -> dict[str, Any]:
    """A target for a decision maker on record: their name, and the office they hold
    today (its stored label, and its body) as title and office."""
    term = (
        Term.objects.current()
        .seated()
        .filter(decision_maker=decision_maker)
        .select_related("office", "body")
        .order_by("body__classification", "pk")
        .first()
    )
    return {
        "decision_maker": decision_maker,
        "name": decision_maker.name,
        "title": term.office.label if term and term.office else "",
        "office": term.body.name if term else "",
        "response_threshold": threshold,
    }


class TargetForm(forms.Form):
    decision_maker = forms.TypedChoiceField(
        label=_("Decision maker on record"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Pick someone who holds an office today, or type a name below."),
        widget=forms.Select(
            attrs={"data-filter-label": _("Type a name or a ward to narrow the list")}
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("e.g. Mayor")
    )
    office = forms.CharField(
        label=_("Office"), max_length=200, required=False, help_text=_("e.g. City of Chicago")
    )
    response_threshold = forms.IntegerField(
        label=_("Response expected at"),
        required=False,
        min_value=1,
        max_value=100_000_000,
        help_text=_("The number of verified signatures at which they should answer."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, Any]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        picker = self.fields["decision_maker"]
        assert isinstance(picker, forms.TypedChoiceField)
        picker.choices = choices if choices is not None else decision_maker_choices()

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        picked = cleaned.get("decision_maker")
        if picked is not None:
            decision_maker = DecisionMaker.objects.in_office().filter(pk=picked).first()
            if decision_maker is None:  # left office since the page was shown
                self.add_error(
                    "decision_maker",
                    ValidationError(
                        _("This decision maker no longer holds an office. Pick another."),
                        code="not_in_office",
                    ),
                )
                return cleaned
            cleaned.update(target_fields(decision_maker, cleaned.get("response_threshold")))
        elif (
            not cleaned.get("name")
            and "name" not in self.errors
            and (cleaned.get("title") or cleaned.get("office") or cleaned.get("response_threshold"))
        ):
            self.add_error(
                "name", ValidationError(_("Type the decision maker's name."), code="required")
            )
        return cleaned


class BaseTargetFormSet(forms.BaseFormSet[forms.Form]):
    default_error_messages = {
        "too_few_forms": _("Name at least one decision maker."),
        "too_many_forms": _("A petition can name at most %(num)d decision makers."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = decision_maker_choices()
        self.members = BodyMembersForm(self.data or None, prefix=f"{self.prefix}-body")

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "choices": self.choices}

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this decision maker")

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.members.is_valid() and valid

    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms) or not self.members.is_valid():
            return
        typed = self._typed()
        names = [t["name"].casefold() for t in typed]
        picked = [t["decision_maker"].pk for t in typed if t.get("decision_maker")]
        if len(names) != len(set(names)) or len(picked) != len(set(picked)):
            raise ValidationError(
                _("Each decision maker can be named once."), code="duplicate_target"
            )
        everyone = self.targets()
        if not everyone:
            raise ValidationError(self._message("too_few_forms"), code="too_few_forms")
        if len(everyone) > MAX_TARGETS:
            raise ValidationError(
                self._message("too_many_forms") % {"num": MAX_TARGETS},
                code="too_many_forms",
            )

    def _message(self, code: str) -> str:
        return str(self.error_messages[code])  # type: ignore[attr-defined]  # not in the stubs

    def _typed(self) -> list[dict[str, Any]]:
        return [
            {
                "decision_maker": f.cleaned_data.get("decision_maker") or None,
                "name": f.cleaned_data["name"],
                "title": f.cleaned_data.get("title", ""),
                "office": f.cleaned_data.get("office", ""),
                "response_threshold": f.cleaned_data.get("response_threshold"),
            }
            for f in self.forms
            if f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE")
        ]

    def targets(self) -> list[dict[str, Any]]:
        """The decision makers in the order given, blank rows and removed ones left out,
        then every member of the body picked below them who is not named already."""
        typed = self._typed()
        members = self.members
        body = members.cleaned_data.get("body") if members.is_bound and members.is_valid() else None
        if body is None:
            return typed
        named = {t["decision_maker"].pk for t in typed if t["decision_maker"]}
        names = {t["name"].casefold() for t in typed}
        threshold = self.members.cleaned_data.get("response_threshold")
        added = [
            target_fields(member, threshold)
            for member in members_of(body)
            if member.pk not in named and member.name.casefold() not in names
        ]
        return typed + added


class BodyMembersForm(forms.Form):
    """ "Every member of a body": a target per person who sits in it today."""

    body = forms.TypedChoiceField(
        label=_("Add every member of"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Adds each person who sits in it today as a decision maker, e.g. every "
            "alderperson of the City Council."
        ),
    )
    response_threshold = forms.IntegerField(
        label=_("Response expected from each at"),
        required=False,
        min_value=1,
        max_value=100_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, forms.TypedChoiceField)
        body.choices = body_choices()

    def clean_body(self) -> Body | None:
        pk = self.cleaned_data.get("body")
        if pk is None:
            return None
        body = Body.objects.filter(pk=pk).first()
        if body is None:
            raise ValidationError(_("Pick a body from the list."), code="invalid_choice")
        return body


def members_of(body: Body) -> list[DecisionMaker]:
    """The people who sit in the body today, by ward (then name)."""
    terms = (
        Term.objects.current()
        .filter(body=body)
        .select_related("decision_maker", "office")
        .order_by("office__number", "decision_maker__sort_name", "decision_maker__name")
    )
    seen: dict[int, DecisionMaker] = {}
    for term in terms:
        seen.setdefault(term.decision_maker_id, term.decision_maker)
    return list(seen.values())


TargetFormSet = forms.formset_factory(
    TargetForm,
    formset=BaseTargetFormSet,
    extra=2,
    min_num=1,  # one row to fill in at least; "none at all" is checked in clean()
    max_num=MAX_TARGETS,
    validate_max=True,
    can_delete=True,
    can_delete_extra=False,
)


def target_formset(data: Any = None, *, petition: Petition | None = None) -> BaseTargetFormSet:
    initial = (
        [
            {
                "decision_maker": t.decision_maker_id,
                "name": t.name,
                "title": t.title,
                "office": t.office,
                "response_threshold": t.response_threshold,
            }
            for t in petition.targets.all()
        ]
        if petition
        else None
    )
    formset = TargetFormSet(data, initial=initial, prefix="targets")
    assert isinstance(formset, BaseTargetFormSet)
    return formset

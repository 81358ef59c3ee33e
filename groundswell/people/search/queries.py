"""Finding an organization's supporters: a form that cleans the search parameters, and
`search()`, which turns them (from a page's query string or a saved search's stored
JSON) into the organization's Supporter rows, newest first.

Only the organization's own Supporter rows are ever searched; an email address matches
only where the organization sees it (the person agreed to be contacted by it, or it
supplied the address itself), so a search cannot confirm that someone's address is
known when the organization may not see it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization
from groundswell.people import registry
from groundswell.people.models import ListMember, PersonList, Supporter, Tag, Tagging, shown

# The languages supporters are written to in (the seeds' communities), codes as Django's.
LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("ko", _("Korean")),
    ("zh-hans", _("Chinese")),
    ("pl", _("Polish")),
]
PARAMS = ("q", "tag", "list", "zip", "action", "since", "until", "consent", "language")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or email"),
        max_length=100,
        required=False,
        help_text=_("The start of a first or last name, or of an email address."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    tag = forms.ModelChoiceField(
        label=_("Tag"),
        queryset=Tag.objects.none(),
        required=False,
        empty_label=_("Any tag"),
        error_messages={"invalid_choice": _("That tag does not exist (any more).")},
    )
    list = forms.ModelChoiceField(
        label=_("List"),
        queryset=PersonList.objects.none(),
        required=False,
        empty_label=_("Any list"),
        error_messages={"invalid_choice": _("That list does not exist (any more).")},
    )
    zip = forms.CharField(
        label=_("ZIP code"),
        max_length=10,
        required=False,
        help_text=_("All or the start of one, e.g. 606."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    action = forms.ChoiceField(
        label=_("Took action"),
        required=False,
        error_messages={"invalid_choice": _("That action is not one of yours.")},
    )
    since = forms.DateField(
        label=_("Known since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Known until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    consent = forms.ChoiceField(
        label=_("Email consent"),
        required=False,
        choices=[("", _("Either")), ("yes", _("Agreed to email")), ("no", _("No consent"))],
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *LANGUAGE_CHOICES],
    )

    def __init__(self, data: Any = None, *, organization: Organization) -> None:
        super().__init__(data)
        self.organization = organization
        fields = self.fields
        tag_field = fields["tag"]
        list_field = fields["list"]
        action_field = fields["action"]
        assert isinstance(tag_field, forms.ModelChoiceField)
        assert isinstance(list_field, forms.ModelChoiceField)
        assert isinstance(action_field, forms.ChoiceField)
        tag_field.queryset = Tag.objects.filter(organization=organization)
        # Static lists only: a saved search is a search, not a set to filter by.
        list_field.queryset = PersonList.objects.filter(
            organization=organization, kind=PersonList.Kind.STATIC
        )
        action_field.choices = [("", _("Any or none")), *registry.action_choices(organization)]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean_zip(self) -> str:
        value: str = self.cleaned_data["zip"].strip()
        if value and not value.replace("-", "").isalnum():
            raise forms.ValidationError(_("A ZIP code has only digits (and a dash)."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the date range is before its start."))
        return cleaned

    def query(self) -> dict[str, Any]:
        """The cleaned parameters as JSON-ready values, empty ones left out: what a
        page's links carry, and a saved search stores (one without `q`: a name or
        address is never saved, see manage_views.save_search)."""
        query: dict[str, Any] = {}
        for name in PARAMS:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if isinstance(value, Tag | PersonList):
                value = value.pk
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            query[name] = value
        return query

    def uses_text(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.cleaned_data.get("q"))


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _text(q: str) -> Q:
    """Names by prefix (first or last; "ana re" means first and last), or an email
    address by prefix, only where the organization sees it (Supporter.shows: so a
    search cannot confirm an address it may not see)."""
    lowered = q.lower()
    email = Q(email_lower__startswith=lowered) & shown("email")
    if "@" in lowered:
        return email
    words = lowered.split()
    if len(words) >= 2:
        first, last = words[0], " ".join(words[1:])
        return (
            Q(first_lower__startswith=first, last_lower__startswith=last)
            | Q(last_lower__startswith=lowered)
            | email
        )
    return Q(first_lower__startswith=lowered) | Q(last_lower__startswith=lowered) | email


def matching(organization: Organization, cleaned: dict[str, Any]) -> Any:
    """The organization's supporters matching a valid form's cleaned_data, newest first."""
    supporters = Supporter.objects.visible_to(organization)
    if q := cleaned.get("q"):
        supporters = supporters.alias(
            first_lower=Lower("first_name"),
            last_lower=Lower("last_name"),
            email_lower=Lower("email"),
        ).filter(_text(q))
    if tag := cleaned.get("tag"):
        supporters = supporters.filter(
            Exists(Tagging.objects.filter(tag=tag, person=OuterRef("person")))
        )
    if person_list := cleaned.get("list"):
        supporters = supporters.filter(
            Exists(ListMember.objects.filter(person_list=person_list, person=OuterRef("person")))
        )
    if zip_code := cleaned.get("zip"):
        supporters = supporters.filter(zip_code__startswith=zip_code)
    if key := cleaned.get("action"):
        people = registry.people_who(key, organization)
        if people is None:
            return supporters.none()
        supporters = supporters.filter(person_id__in=people)
    if since := cleaned.get("since"):
        supporters = supporters.filter(created_at__gte=_start_of(since))
    if until := cleaned.get("until"):
        supporters = supporters.filter(created_at__lt=_start_of(until + datetime.timedelta(1)))
    if consent := cleaned.get("consent"):
        supporters = supporters.filter(Q(contactable=consent == "yes"))
    if language := cleaned.get("language"):
        supporters = supporters.filter(language=language)
    return supporters.order_by("-created_at", "-pk")


def search(organization: Organization, params: dict[str, Any]) -> Any:
    """The organization's supporters matching the parameters (a query string's or a
    saved search's stored `query`), newest first. Parameters that no longer hold (a
    deleted tag, a forged id) match no one: a search never silently widens."""
    form = SearchForm({k: v for k, v in params.items() if k in PARAMS}, organization=organization)
    if not form.is_valid():
        return Supporter.objects.visible_to(organization).none()
    return matching(organization, form.cleaned_data)


def describe(query: dict[str, Any]) -> str:
    """The filters of a search for the audit log: which ones, never the text searched
    for (it may be someone's name or address)."""
    parts = [name if name == "q" else f"{name}={query[name]}" for name in PARAMS if name in query]
    return "; ".join(parts) or "all"

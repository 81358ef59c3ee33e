"""Forms of the organizer's people area: they validate, the views glue, people.actions writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization
from groundswell.people.addresses import EmailAddressField
from groundswell.people.models import CONTACT_FIELDS, PersonList, Supporter, Tag
from groundswell.people.phones import normalize_phone
from groundswell.people.search.queries import LANGUAGE_CHOICES

MAX_CUSTOM_FIELDS = 50


def tag_names(text: str) -> list[str]:
    """ "volunteer, ward 25 captain" → ["volunteer", "ward 25 captain"], each once."""
    names: dict[str, str] = {}
    for part in text.split(","):
        name = " ".join(part.split())[:100]
        if name:
            names.setdefault(name.lower(), name)
    return list(names.values())


def custom_field_lines(fields: dict[str, Any]) -> str:
    return "\n".join(f"{name}: {value}" for name, value in fields.items())


class SupporterForm(forms.Form):
    """The organization's record of a person, as an organizer types it."""

    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = EmailAddressField(label=_("Email address"), required=False)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Street address"), max_length=255, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    state = forms.CharField(label=_("State"), max_length=50, required=False)
    zip_code = forms.CharField(label=_("ZIP code"), max_length=10, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=LANGUAGE_CHOICES,
        initial="en",
        help_text=_("The language to write to them in."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=1000,
        required=False,
        help_text=_("Separated by commas, e.g. volunteer, ward 25 captain."),
    )
    custom_fields = forms.CharField(
        label=_("Custom fields"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, as name: value (e.g. t-shirt size: M)."),
    )

    def clean_phone(self) -> str:
        raw: str = self.cleaned_data.get("phone", "")
        if not raw.strip():
            return ""
        number = normalize_phone(raw)
        if number is None:
            raise forms.ValidationError(_("This does not look like a phone number."))
        return number

    def clean_tags(self) -> list[str]:
        return tag_names(self.cleaned_data.get("tags", ""))

    def clean_custom_fields(self) -> dict[str, str]:
        fields: dict[str, str] = {}
        for n, line in enumerate(self.cleaned_data.get("custom_fields", "").splitlines(), 1):
            if not line.strip():
                continue
            name, colon, value = line.partition(":")
            if not colon or not name.strip():
                raise forms.ValidationError(
                    _("Line %(n)s is not name: value.") % {"n": n}, code="custom"
                )
            fields[name.strip()[:100]] = value.strip()[:500]
        if len(fields) > MAX_CUSTOM_FIELDS:
            raise forms.ValidationError(
                _("At most %(n)s custom fields.") % {"n": MAX_CUSTOM_FIELDS}, code="custom"
            )
        return fields

    def record(self) -> dict[str, str]:
        """The Supporter fields given (cleaned), without tags and custom fields."""
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name not in ("tags", "custom_fields", "consent", "consent_note")
        }


class AddPersonForm(SupporterForm):
    consent = forms.ChoiceField(
        label=_("Consent to email"),
        choices=[
            ("none", _("They have not agreed to hear from us")),
            ("email", _("They agreed to receive our emails")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Say only what they told you: without consent their contact details stay hidden."
        ),
    )
    consent_note = forms.CharField(
        label=_("How they agreed"),
        max_length=150,
        required=False,
        help_text=_("E.g. sign-in sheet at the March 3 meeting."),
    )

    field_order = ["first_name", "last_name", "email", "phone", "consent", "consent_note"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("email") and not cleaned.get("phone") and not self.errors:
            raise forms.ValidationError(
                _("Give an email address or a phone number, so they can be told apart.")
            )
        if cleaned.get("consent") == "email" and not cleaned.get("email"):
            self.add_error("email", _("Consent to email needs their email address."))
        return cleaned


class EditSupporterForm(SupporterForm):
    """As SupporterForm, with only the fields the organization may change
    (people.actions.changeable): a contact field it may not change is left out, and
    stays as it is, unseen."""

    def __init__(self, *args: Any, changeable: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hidden_contact = [name for name in CONTACT_FIELDS if name not in changeable]
        for name in self.hidden_contact:
            del self.fields[name]

    @classmethod
    def initial_for(cls, supporter: Supporter, tags: list[str]) -> dict[str, Any]:
        """The record as the form starts: a contact field only where the organization
        sees it (Supporter.shows)."""
        initial: dict[str, Any] = {
            name: getattr(supporter, name)
            for name in ("first_name", "last_name", "state", "zip_code", "language")
        }
        initial.update(
            {name: value for name, value in supporter.contact.items() if value is not None},
            tags=", ".join(tags),
            custom_fields=custom_field_lines(supporter.custom_fields),
        )
        return initial


class PeopleField(forms.Field):
    """Supporter ids ticked in a list of results (checkboxes named "people")."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        try:
            return sorted({int(v) for v in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(_("The people chosen were not understood.")) from None


class BulkForm(forms.Form):
    """Apply a tag or a list to the people ticked, or to every result of the search."""

    OPERATIONS = [
        ("tag", _("Add tag")),
        ("untag", _("Remove tag")),
        ("add_to_list", _("Add to list")),
        ("remove_from_list", _("Remove from list")),
    ]
    scope = forms.ChoiceField(
        label=_("Apply to"),
        choices=[("selected", _("The people ticked")), ("all", _("Every result of this search"))],
        initial="selected",
        widget=forms.RadioSelect,
    )
    people = PeopleField(required=False)
    operation = forms.ChoiceField(label=_("What to do"), choices=OPERATIONS)
    tag_name = forms.CharField(label=_("Tag"), max_length=100, required=False)
    person_list = forms.ModelChoiceField(
        label=_("List"),
        queryset=PersonList.objects.none(),
        required=False,
        empty_label=_("A new list, named below"),
        error_messages={"invalid_choice": _("That list does not exist (any more).")},
    )
    new_list = forms.CharField(label=_("New list's name"), max_length=200, required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        list_field = self.fields["person_list"]
        assert isinstance(list_field, forms.ModelChoiceField)
        list_field.queryset = PersonList.objects.filter(
            organization=organization, kind=PersonList.Kind.STATIC
        )

    def clean_people(self) -> list[int]:
        """The person ids of the organization's supporters ticked (pages name them by
        Supporter id, never by the shared Person id)."""
        ids: list[int] = self.cleaned_data.get("people") or []
        known = list(
            Supporter.objects.filter(organization=self.organization, pk__in=ids).values_list(
                "person_id", flat=True
            )
        )
        if len(known) != len(ids):
            raise forms.ValidationError(_("Some of the people chosen are not your supporters."))
        return sorted(known)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        operation = cleaned.get("operation")
        if cleaned.get("scope") == "selected" and not cleaned.get("people") and not self.errors:
            raise forms.ValidationError(
                _("Tick at least one person, or choose every result of this search.")
            )
        name = " ".join(cleaned.get("tag_name", "").split())
        if operation in ("tag", "untag") and not name:
            self.add_error("tag_name", _("Name the tag."))
        if operation == "untag" and name:
            tag = Tag.objects.filter(organization=self.organization, name__iexact=name).first()
            if tag is None:
                self.add_error("tag_name", _("You have no tag of that name."))
            cleaned["tag"] = tag
        new_list = cleaned.get("new_list", "").strip()
        if operation == "add_to_list" and not cleaned.get("person_list") and not new_list:
            self.add_error("new_list", _("Choose a list, or name a new one."))
        if operation == "remove_from_list" and not cleaned.get("person_list"):
            self.add_error("person_list", _("Choose the list to remove them from."))
        return cleaned


class NameForm(forms.Form):
    """A name for a new list or saved search."""

    name = forms.CharField(label=_("Name"), max_length=200)


class TagForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=100)

    def __init__(self, *args: Any, tag: Tag, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tag = tag

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        taken = (
            Tag.objects.filter(organization=self.tag.organization, name__iexact=name)
            .exclude(pk=self.tag.pk)
            .exists()
        )
        if taken:
            raise forms.ValidationError(_("You already have a tag of that name."))
        return name

"""Forms for events: they validate at the edge, so the actions receive clean data.

Times are typed as wall-clock times in the event's own time zone (an event in Chicago
starts at 6 pm Chicago time, whoever types it in)."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.campaigns.models import Campaign
from groundswell.events.models import WARDS, Event, Shift, validate_time_zone
from groundswell.organizations.models import Organization
from groundswell.people.addresses import EmailAddressField
from groundswell.people.phones import PhoneField

MAX_GUESTS = 10
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def _clean_text(value: str) -> str:
    return " ".join(value.split())


class LocalDateTimeField(forms.DateTimeField):
    """A datetime-local input. The value comes back naive, as typed: it is placed in
    the event's own zone later (place_in_zone), never in the server's, where a time
    may not exist or exist twice when it is fine where the event happens."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)
    input_formats = [LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def to_python(self, value: Any) -> datetime.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return timezone.make_naive(value) if timezone.is_aware(value) else value
        text = str(value).strip()
        for fmt in self.input_formats:
            try:
                return datetime.datetime.strptime(text, fmt)
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class Ambiguous(Exception):
    """A wall-clock time that happens twice (the clocks go back): which one?"""

    def __init__(self, first: datetime.datetime, second: datetime.datetime) -> None:
        self.first, self.second = first, second


def place_in_zone(
    naive: datetime.datetime, zone: str, fold: int | None = None
) -> datetime.datetime:
    """The moment a wall-clock time of `zone` names. Raises ValidationError if the
    time does not exist there (the clocks go forward over it), and Ambiguous if it
    exists twice and `fold` (0 the first, 1 the second) does not say which."""
    tz = zoneinfo.ZoneInfo(zone)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    utc = datetime.UTC
    if first.astimezone(utc).astimezone(tz).replace(tzinfo=None) != naive:
        raise ValidationError(
            _(
                "%(time)s does not exist on that day in %(zone)s: the clocks go forward "
                "over it. Choose another time."
            ),
            code="nonexistent",
            params={"time": naive.strftime("%H:%M"), "zone": zone},
        )
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(utc)
    if fold is None:
        raise Ambiguous(first, second)
    return (second if fold else first).astimezone(utc)


def in_zone(naive: datetime.datetime, zone: str) -> datetime.datetime:
    return place_in_zone(naive, zone, fold=0)


def local_value(moment: datetime.datetime, zone: str) -> str:
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).strftime(LOCAL_FORMAT)


FOLD_CHOICES = [("0", ""), ("1", "")]


class ShiftTimesMixin(forms.Form):
    starts_at = LocalDateTimeField(label=_("Starts"))
    starts_at_fold = forms.ChoiceField(
        label=_("Which one?"), choices=FOLD_CHOICES, required=False, widget=forms.HiddenInput
    )
    ends_at = LocalDateTimeField(label=_("Ends"))
    ends_at_fold = forms.ChoiceField(
        label=_("Which one?"), choices=FOLD_CHOICES, required=False, widget=forms.HiddenInput
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_("How many people fit, guests included. Leave empty for no limit."),
    )

    def check_times(self, zone: str) -> None:
        """Place the times in the event's zone (a time that does not exist there is
        refused; one that exists twice asks which); the end must come after the start."""
        data = self.cleaned_data
        for name in ("starts_at", "ends_at"):
            naive = data.get(name)
            if naive is None:
                continue
            fold = data.get(f"{name}_fold")
            try:
                data[name] = place_in_zone(naive, zone, int(fold) if fold else None)
            except ValidationError as error:
                self.add_error(name, error)
            except Ambiguous as twice:
                self._ask_which(name, naive, twice, zone)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if (
            isinstance(starts, datetime.datetime)
            and isinstance(ends, datetime.datetime)
            and timezone.is_aware(starts)
            and timezone.is_aware(ends)
            and ends <= starts
        ):
            self.add_error("ends_at", _("The end must come after the start."))

    def _ask_which(self, name: str, naive: datetime.datetime, twice: Ambiguous, zone: str) -> None:
        field = self.fields[f"{name}_fold"]
        assert isinstance(field, forms.ChoiceField)
        when = naive.strftime("%H:%M")
        field.choices = [
            (
                "0",
                _("%(time)s %(zone)s, the first time (before the clocks go back)")
                % {"time": when, "zone": twice.first.tzname()},
            ),
            (
                "1",
                _("%(time)s %(zone)s, the second time (after the clocks go back)")
                % {"time": when, "zone": twice.second.tzname()},
            ),
        ]
        field.widget = forms.RadioSelect(choices=field.choices)
        self.add_error(
            f"{name}_fold",
            _("%(time)s happens twice on that day in %(zone)s: choose which one.")
            % {"time": when, "zone": zone},
        )
        self.cleaned_data.pop(name, None)

    def shift_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "capacity": data.get("capacity"),
        }


class ShiftForm(ShiftTimesMixin):
    def __init__(self, *args: Any, event: Event, shift: Shift | None = None, **kwargs: Any):
        if shift is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "starts_at": local_value(shift.starts_at, event.time_zone),
                "ends_at": local_value(shift.ends_at, event.time_zone),
                "capacity": shift.capacity,
            }
        super().__init__(*args, **kwargs)
        self.event = event

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_times(self.event.time_zone)
        return cleaned


def _check_place(form: forms.BaseForm) -> None:
    data = form.cleaned_data
    if data.get("kind") == Event.Kind.ONLINE:
        if not data.get("online_url"):
            form.add_error("online_url", _("Give the link people use to join."))
    elif not data.get("address"):
        form.add_error("address", _("Give the address where people meet."))


EVENT_FIELDS = [
    "title",
    "description",
    "kind",
    "address",
    "accessibility",
    "neighborhood",
    "ward",
    "online_url",
    "time_zone",
    "visibility",
    "waitlist",
    "campaign",
]


class EventForm(forms.ModelForm[Event]):
    """An organizer's event. When creating, the first shift's fields come with it."""

    hosts = forms.ModelMultipleChoiceField(
        label=_("Co-hosting organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People who RSVP can choose to hear from each of them."),
    )
    online_url = forms.URLField(
        label=_("Link to join"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to people who RSVPed: in their emails, never on the page."),
    )

    class Meta:
        model = Event
        fields = EVENT_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "accessibility": forms.Textarea(attrs={"rows": 2}),
            "kind": forms.RadioSelect,
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        campaigns = Campaign.objects.filter(Q(owner=organization) | Q(partners=organization))
        self.fields["campaign"].queryset = campaigns.distinct()  # type: ignore[attr-defined]
        # Co-hosts: the coalitions it belongs to and their members, or its own members.
        related = Organization.objects.filter(
            Q(coalitions=organization)
            | Q(members=organization)
            | Q(coalitions__members=organization)
        ).exclude(pk=organization.pk)
        self.fields["hosts"].queryset = related.distinct()  # type: ignore[attr-defined]
        self.fields["ward"].widget.attrs.update(min=1, max=WARDS)
        if self.instance.pk:
            self.fields["hosts"].initial = list(self.instance.hosts.all())

    def clean_title(self) -> str:
        return _clean_text(self.cleaned_data["title"])

    def clean_time_zone(self) -> str:
        value = str(self.cleaned_data["time_zone"]).strip()
        validate_time_zone(value)  # before clean(), which places the times in it
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_place(self)
        return cleaned

    def event_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EVENT_FIELDS}


class NewEventForm(EventForm, ShiftTimesMixin):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.check_times(cleaned.get("time_zone") or self.instance.time_zone)
        return cleaned


class RSVPForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = EmailAddressField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = PhoneField(
        label=_("Phone"), widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})
    )
    shifts = forms.TypedMultipleChoiceField(
        label=_("Which times can you come?"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one time.")},
    )
    guests = forms.IntegerField(
        label=_("Guests you are bringing"),
        min_value=0,
        max_value=MAX_GUESTS,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(
        self,
        *args: Any,
        shifts: list[tuple[int, str]],
        organizations: list[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shifts"].choices = shifts  # type: ignore[attr-defined]
        if len(shifts) == 1:
            self.fields["shifts"].initial = [shifts[0][0]]
        self.organizations = organizations
        for organization in organizations:
            self.fields[f"consent_{organization.pk}"] = forms.BooleanField(
                required=False,
                label=_("%(organization)s may email me about this and other campaigns")
                % {"organization": organization.name},
            )

    def consent_fields(self) -> list[forms.BoundField]:
        return [self[f"consent_{o.pk}"] for o in self.organizations]

    def clean_first_name(self) -> str:
        return _clean_text(self.cleaned_data["first_name"])

    def clean_last_name(self) -> str:
        return _clean_text(self.cleaned_data["last_name"])

    def rsvp_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"].strip(),
            "phone": data["phone"],
            "guests": data["guests"] or 0,
            "consents": [o.pk for o in self.organizations if data.get(f"consent_{o.pk}")],
        }


class WalkInForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = EmailAddressField(label=_("Email"), required=False)
    phone = PhoneField(label=_("Phone"))
    shift = forms.TypedChoiceField(label=_("Shift"), coerce=int)
    consent = forms.BooleanField(label=_("They agreed to hear from us by email"), required=False)

    def __init__(self, *args: Any, shifts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shift"].choices = shifts  # type: ignore[attr-defined]

    def clean_first_name(self) -> str:
        return _clean_text(self.cleaned_data["first_name"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("consent") and not cleaned.get("email"):
            self.add_error("email", _("To email them, we need their email address."))
        return cleaned


class ProposalForm(ShiftTimesMixin, forms.Form):
    """A supporter proposes an event under a campaign (volunteer-hosted)."""

    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = EmailAddressField(
        label=_("Your email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    title = forms.CharField(label=_("Event title"), max_length=200)
    description = forms.CharField(
        label=_("What will happen?"), widget=forms.Textarea(attrs={"rows": 4})
    )
    kind = forms.ChoiceField(
        label=_("Where it happens"),
        choices=Event.Kind.choices,
        initial=Event.Kind.IN_PERSON,
        widget=forms.RadioSelect,
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    accessibility = forms.CharField(
        label=_("Accessibility notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    neighborhood = forms.CharField(label=_("Neighborhood"), max_length=100, required=False)
    ward = forms.IntegerField(label=_("Ward"), min_value=1, max_value=WARDS, required=False)
    online_url = forms.URLField(label=_("Link to join"), required=False, assume_scheme="https")

    field_order = [
        "name",
        "email",
        "campaign",
        "title",
        "description",
        "kind",
        "address",
        "accessibility",
        "neighborhood",
        "ward",
        "online_url",
        "starts_at",
        "ends_at",
        "capacity",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(  # type: ignore[attr-defined]
            status=Campaign.Status.ACTIVE
        ).order_by("title")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_place(self)
        from django.conf import settings

        self.check_times(settings.TIME_ZONE)
        starts = self.cleaned_data.get("starts_at")
        if starts is not None and starts <= timezone.now():
            self.add_error("starts_at", _("Choose a time in the future."))
        return cleaned

    def event_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": _clean_text(data["title"]),
            "description": data["description"].strip(),
            "kind": data["kind"],
            "address": data["address"].strip(),
            "accessibility": data["accessibility"].strip(),
            "neighborhood": data["neighborhood"].strip(),
            "ward": data["ward"],
            "online_url": data["online_url"],
        }


class CalendarFilter(forms.Form):
    """The public calendar's filters; unknown values are ignored, never an error page."""

    organization = forms.ChoiceField(label=_("Organization"), required=False)
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)
    neighborhood = forms.ChoiceField(label=_("Neighborhood"), required=False)
    ward = forms.TypedChoiceField(label=_("Ward"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", _("All"))]
        organizations = Organization.objects.filter(
            Q(events_owned__in=events) | Q(events_cohosted__in=events)
        ).distinct()
        self.fields["organization"].choices = everyone + [  # type: ignore[attr-defined]
            (o.slug, o.name) for o in organizations.order_by("name")
        ]
        campaigns = Campaign.objects.filter(events__in=events).distinct().order_by("title")
        self.fields["campaign"].choices = everyone + [  # type: ignore[attr-defined]
            (c.slug, c.title) for c in campaigns
        ]
        neighborhoods = sorted(
            set(events.exclude(neighborhood="").values_list("neighborhood", flat=True))
        )
        self.fields["neighborhood"].choices = everyone + [  # type: ignore[attr-defined]
            (n, n) for n in neighborhoods
        ]
        self.fields["ward"].choices = everyone + [  # type: ignore[attr-defined]
            (str(n), str(n)) for n in range(1, WARDS + 1)
        ]

    def apply(self, events: Any) -> Any:
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data.get("organization"):
            events = events.filter(
                Q(owner__slug=data["organization"]) | Q(hosts__slug=data["organization"])
            )
        if data.get("campaign"):
            events = events.filter(campaign__slug=data["campaign"])
        if data.get("neighborhood"):
            events = events.filter(neighborhood=data["neighborhood"])
        if data.get("ward"):
            events = events.filter(ward=data["ward"])
        return events.distinct()

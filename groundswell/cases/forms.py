"""The cases' forms: the organizer's intake, the public request for help, and the small
forms of a case's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from groundswell.campaigns.models import Campaign
from groundswell.cases.models import ActivityType, CaseStatus, CaseType, RoleKind, Urgency
from groundswell.organizations.models import Organization

TEXT_MAX = 10_000


def _types(organization: Organization, *, public: bool = False) -> Any:
    types = CaseType.objects.filter(organization=organization)
    return types.filter(public=True) if public else types


class CaseFields(forms.Form):
    """What the intake form and the case's edit form share."""

    client_name = forms.CharField(label=_("Name of the person helped"), max_length=200)
    facility = forms.CharField(
        label=_("Facility"),
        max_length=200,
        required=False,
        help_text=_("For example, Stateville Correctional Center."),
    )
    jurisdiction = forms.CharField(
        label=_("Jurisdiction"),
        max_length=200,
        required=False,
        help_text=_("For example, IDOC or Cook County."),
    )
    idoc_number = forms.CharField(label=_("IDOC number"), max_length=30, required=False)
    tirc_number = forms.CharField(label=_("TIRC claim number"), max_length=30, required=False)
    description = forms.CharField(
        label=_("What is happening"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    medical_details = forms.CharField(
        label=_("Medical details"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept encrypted; only the people on the case can read it."),
    )
    legal_notes = forms.CharField(
        label=_("Legal notes"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept encrypted; only the people on the case can read it."),
    )


class IntakeForm(CaseFields):
    case_type = forms.ModelChoiceField(label=_("Type of case"), queryset=CaseType.objects.none())
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.ROUTINE,
        help_text=_("A medical emergency is always an emergency."),
    )
    reference_date = forms.DateField(
        label=_("Reference date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Planned activities are due counting from it; today if left empty."),
    )
    field_order = ["case_type", "urgency", "client_name"]

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = _types(organization)  # type: ignore[attr-defined]


class EditForm(CaseFields):
    """A case's fields, changed by whoever may open it."""

    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int)
    field_order = ["urgency", "client_name"]


class ActivityForm(forms.Form):
    activity_type = forms.ModelChoiceField(
        label=_("Kind"),
        queryset=ActivityType.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    title = forms.CharField(label=_("Activity"), max_length=200, required=False)
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, case_type: CaseType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].queryset = case_type.activity_types.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("title", "").strip() and not cleaned.get("activity_type"):
            raise forms.ValidationError(
                _("Choose a kind of activity or write what to do."), code="empty"
            )
        return cleaned


class CampaignForm(forms.Form):
    """The support campaign of a case: one of the organization's campaigns."""

    campaign = forms.ModelChoiceField(
        label=_("Support campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    public = forms.BooleanField(
        label=_("Count this case on the campaign's page"),
        required=False,
        help_text=_(
            "Only in figures (how many cases of each type, how old), and only in groups "
            "large enough that no one case can be told apart."
        ),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(owner=organization)  # type: ignore[attr-defined]


class RequestForm(forms.Form):
    """The public "request help for someone in prison" form."""

    case_type = forms.ModelChoiceField(
        label=_("What kind of help"),
        queryset=CaseType.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    client_name = forms.CharField(label=_("Name of the person in prison"), max_length=200)
    idoc_number = forms.CharField(label=_("IDOC number"), max_length=30, required=False)
    facility = forms.CharField(label=_("Facility"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What is happening"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only the organization's case advocates read it."),
    )
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email address"))
    phone = forms.CharField(label=_("Your phone number"), max_length=30, required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = _types(organization, public=True)  # type: ignore[attr-defined]


def _staff_choices(field: forms.Field, organization: Organization) -> None:
    """A choice of the organization's staff, by email address."""
    staff = get_user_model().objects.filter(memberships__organization=organization)
    field.queryset = staff.order_by("email")  # type: ignore[attr-defined]
    field.label_from_instance = lambda user: user.email  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=get_user_model().objects.none())
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices, initial=RoleKind.ADVOCATE)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _staff_choices(self.fields["user"], organization)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("A PDF, JPEG or PNG file. It is kept encrypted."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean_file(self) -> Any:
        from groundswell.cases import documents

        upload = self.cleaned_data["file"]
        self.checked = documents.check(upload)
        return upload


class StatusForm(forms.Form):
    status = forms.ModelChoiceField(label=_("Status"), queryset=CaseStatus.objects.none())

    def __init__(self, *args: Any, case_type: CaseType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].queryset = case_type.statuses.all()  # type: ignore[attr-defined]


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to open this case?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your reason is logged and shown to the organization's owners."),
    )


class ManagerForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _staff_choices(self.fields["user"], organization)

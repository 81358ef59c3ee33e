"""The organizer's forms for mailings: the mailing (text, versions, audience), its send
time, and the approval rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from groundswell.mailings import audience
from groundswell.mailings.models import Mailing
from groundswell.organizations.models import Organization
from groundswell.people.search.queries import LANGUAGE_CHOICES


class MailingForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Markdown: *emphasis*, lists, [links](https://…). Merge fields: "
            '{{ first_name|default:"friend" }}, {{ last_name }}, {{ city }}, {{ organization }}.'
        ),
    )
    language = forms.ChoiceField(label=_("Written in"), choices=LANGUAGE_CHOICES, initial="en")
    tags = forms.MultipleChoiceField(
        label=_("Tagged"), required=False, widget=forms.CheckboxSelectMultiple
    )
    lists = forms.MultipleChoiceField(
        label=_("In a list or saved search"), required=False, widget=forms.CheckboxSelectMultiple
    )
    actions = forms.MultipleChoiceField(
        label=_("Took an action"), required=False, widget=forms.CheckboxSelectMultiple
    )
    exclude_tags = forms.MultipleChoiceField(
        label=_("Except those tagged"), required=False, widget=forms.CheckboxSelectMultiple
    )
    exclude_lists = forms.MultipleChoiceField(
        label=_("Except those in"), required=False, widget=forms.CheckboxSelectMultiple
    )
    exclude_actions = forms.MultipleChoiceField(
        label=_("Except those who took"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = audience.choices(organization)
        for key in audience.KEYS:
            for prefix in ("", "exclude_"):
                field = self.fields[f"{prefix}{key}"]
                assert isinstance(field, forms.MultipleChoiceField)
                field.choices = offered[key]
        for code, name in LANGUAGE_CHOICES:
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject in %(language)s") % {"language": name},
                max_length=200,
                required=False,
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Message in %(language)s") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def version_fields(self) -> list[tuple[str, Any, Any]]:
        """(language name, subject field, body field) for the template."""
        return [
            (str(name), self[f"subject_{code}"], self[f"body_{code}"])
            for code, name in LANGUAGE_CHOICES
        ]

    def chosen(self) -> dict[str, Any]:
        return {
            f"{prefix}{key}": self.cleaned_data.get(f"{prefix}{key}") or []
            for key in audience.KEYS
            for prefix in ("", "exclude_")
        }

    def versions(self) -> dict[str, tuple[str, str]]:
        return {
            code: (
                self.cleaned_data.get(f"subject_{code}", ""),
                self.cleaned_data.get(f"body_{code}", ""),
            )
            for code, _name in LANGUAGE_CHOICES
        }

    @staticmethod
    def initial_for(mailing: Mailing) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "subject": mailing.subject,
            "body": mailing.body,
            "language": mailing.language,
            **mailing.audience,
        }
        for version in mailing.versions.all():
            initial[f"subject_{version.language}"] = version.subject
            initial[f"body_{version.language}"] = version.body
        return initial


class SendForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at (leave empty to send now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class ApprovalForm(forms.Form):
    approval_over = forms.IntegerField(
        label=_("Require a second person's approval for mailings to more than"),
        min_value=1,
        required=False,
        help_text=_("Number of recipients. Leave empty to never require approval."),
    )

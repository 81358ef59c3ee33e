"""Forms for supporters' rights: asking for a data link, and the owners' audit filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization
from groundswell.people.addresses import EmailAddressField
from groundswell.people.models import AuditEvent


class DataRequestForm(forms.Form):
    email = EmailAddressField(
        label=_("Your email address"),
        help_text=_("The address you used to sign petitions or join lists."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class AuditFilterForm(forms.Form):
    """Filters of the audit log; a value that is not one of the choices is an error."""

    action = forms.ChoiceField(label=_("What"), required=False)
    user = forms.ModelChoiceField(
        label=_("Who"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Everyone"),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("Everything")), *AuditEvent.Action.choices]
        users = AuditEvent.objects.filter(organization=organization, user__isnull=False)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            get_user_model().objects.filter(pk__in=users.values("user")).order_by("email")
        )

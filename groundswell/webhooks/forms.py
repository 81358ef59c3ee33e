from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from groundswell.webhooks import sending
from groundswell.webhooks.models import Event

# The only hosts allowed over plain http: a receiver on the same machine, for testing.
LOCAL_HOSTS = ("localhost", "127.0.0.1")


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where your system listens, starting with https://."),
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    events = forms.MultipleChoiceField(
        label=_("Send these events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.username or parts.password:
            raise forms.ValidationError(
                _("Leave the user name and password out: check the signature instead.")
            )
        if parts.scheme != "https" and not (parts.scheme == "http" and host in LOCAL_HOSTS):
            raise forms.ValidationError(
                _("The address must start with https:// (plain http is only for localhost).")
            )
        if parts.fragment:
            raise forms.ValidationError(_("The address cannot have a # part."))
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        local = host == "localhost" or (literal is not None and not sending.allowed_address(host))
        if local and not settings.WEBHOOKS_ALLOW_PRIVATE:
            raise forms.ValidationError(
                _("That address is on a private network; webhooks go to public addresses.")
            )
        return url

"""Organizer forms for signing integrity: bulk invalidation, clearing suspects, access
rules. They validate at the edge, so the actions receive clean values."""

from __future__ import annotations

import datetime
import ipaddress
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Organization
from groundswell.petitions import integrity
from groundswell.petitions.models import AccessRule, Invalidation, Petition, Signature

# A time window takes out every signature in it, real signers' too. Surges last hours; a
# week covers an attack over a long weekend. A longer window is far more likely a typo
# in a date than an attack, and would silently take out real signers by the thousand.
WINDOW_MAX = datetime.timedelta(days=7)
# datetime-local inputs have minutes, not seconds: "until" may be this far ahead of now.
CLOCK_SLACK = datetime.timedelta(minutes=2)
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


def clean_ip(value: str) -> str:
    """One IP address, written the standard way; a clear error for anything else."""
    value = value.strip()
    if "/" in value:
        raise ValidationError(
            _("“%(value)s” is a range. Choose “IP range (CIDR)” for it."),
            code="range",
            params={"value": value},
        )
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not an IP address. Type one like 203.0.113.7 or 2001:db8::7."),
            code="invalid_ip",
            params={"value": value},
        ) from None


def clean_network(value: str) -> str:
    """An IP address or CIDR range: one address as itself, a range as address/prefix."""
    try:
        network = integrity.parse_network(value)
    except ValueError:
        raise ValidationError(
            _(
                "“%(value)s” is not an IP address or range. Type a range like "
                "203.0.113.0/24 or 2001:db8::/48."
            ),
            code="invalid_network",
            params={"value": value.strip()},
        ) from None
    if network.num_addresses == 1:
        return str(network.network_address)
    return str(network)


def clean_domain(value: str) -> str:
    """An email domain, lower-cased, without the @: example.org."""
    domain = value.strip().lower().removeprefix("@")
    if not domain:
        raise ValidationError(_("Type an email domain, like example.org."), code="required")
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels) or any(c.isspace() or c == "@" for c in domain):
        raise ValidationError(
            _("“%(value)s” is not an email domain. Type one like example.org."),
            code="invalid_domain",
            params={"value": value.strip()},
        )
    return domain


# --- Bulk invalidation ---------------------------------------------------------------------


class InvalidationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Invalidate the signatures from"),
        choices=Invalidation.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what to invalidate by.")},
    )
    value = forms.CharField(
        label=_("IP address, range or email domain"),
        max_length=100,
        required=False,
        help_text=_(
            "For example 203.0.113.7, 203.0.113.0/24 or example.org. A domain includes its "
            "subdomains."
        ),
    )
    starts_at = forms.DateTimeField(
        label=_("From"),
        required=False,
        widget=_datetime_input(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    ends_at = forms.DateTimeField(
        label=_("Until (not included)"),
        required=False,
        widget=_datetime_input(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with your name and the time, for anyone who reviews the count."),
        error_messages={"required": _("Say why you invalidate these signatures.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = _("Time in %(zone)s.") % {"zone": zone}

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(self.fields["reason"].error_messages["required"], "required")
        return reason

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == Invalidation.Kind.WINDOW:
            cleaned["value"] = ""
            self._clean_window(cleaned)
            return cleaned
        cleaned["starts_at"] = cleaned["ends_at"] = None
        if kind is None or "value" in self.errors:
            return cleaned
        value = cleaned.get("value", "")
        if not value.strip():
            self.add_error(
                "value",
                ValidationError(
                    _("Type the IP address, range or email domain to invalidate."),
                    code="required",
                ),
            )
            return cleaned
        cleaner = {
            Invalidation.Kind.IP: clean_ip,
            Invalidation.Kind.CIDR: clean_network,
            Invalidation.Kind.DOMAIN: clean_domain,
        }[Invalidation.Kind(kind)]
        try:
            cleaned["value"] = cleaner(value)
        except ValidationError as error:
            self.add_error("value", error)
        return cleaned

    def _clean_window(self, cleaned: dict[str, Any]) -> None:
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at is None and "starts_at" not in self.errors:
            self.add_error(
                "starts_at", ValidationError(_("Give the start of the window."), "required")
            )
        if ends_at is None and "ends_at" not in self.errors:
            self.add_error("ends_at", ValidationError(_("Give the end of the window."), "required"))
        if starts_at is None or ends_at is None:
            return
        if ends_at <= starts_at:
            self.add_error(
                "ends_at",
                ValidationError(_("The end of the window must come after its start."), "order"),
            )
        elif ends_at - starts_at > WINDOW_MAX:
            self.add_error(
                "ends_at",
                ValidationError(
                    _(
                        "A window can be at most 7 days long: it takes out every signature "
                        "in it, real ones too. Invalidate a longer attack in several windows, "
                        "or by IP or domain."
                    ),
                    "too_long",
                ),
            )
        elif ends_at > timezone.now() + CLOCK_SLACK:
            self.add_error(
                "ends_at",
                ValidationError(
                    _(
                        "The end of the window cannot be in the future: invalidation takes "
                        "out signatures already made. To stop new ones, add an access rule."
                    ),
                    "future",
                ),
            )

    def invalidation_fields(self) -> dict[str, Any]:
        """What actions.invalidate and integrity.matching take."""
        return {name: self.cleaned_data[name] for name in ("kind", "value", "starts_at", "ends_at")}


# --- Clearing suspects ---------------------------------------------------------------------


class ClearSuspectsForm(forms.Form):
    """Which suspect signatures to let count: all, those with one reason, or from one IP."""

    SCOPES = (("all", _("All")), ("reason", _("By reason")), ("ip", _("By IP address")))

    scope = forms.ChoiceField(choices=SCOPES)
    value = forms.CharField(max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        scope, value = cleaned.get("scope"), (cleaned.get("value") or "").strip()
        if scope == "ip":
            try:
                cleaned["value"] = clean_ip(value)
            except ValidationError as error:
                self.add_error("value", error)
        elif scope == "reason" and not value:
            self.add_error("value", ValidationError(_("Choose a reason."), "required"))
        return cleaned

    def signatures(self, petition: Petition) -> QuerySet[Signature]:
        signatures = Signature.objects.filter(petition=petition).suspect()
        scope, value = self.cleaned_data["scope"], self.cleaned_data["value"]
        if scope == "reason":
            return signatures.filter(suspect_reason=value)
        if scope == "ip":
            return signatures.filter(ip_address=value)
        return signatures


# --- Access rules --------------------------------------------------------------------------


class AccessRuleForm(forms.ModelForm[AccessRule]):
    class Meta:
        model = AccessRule
        fields = ["kind", "value", "action", "note"]
        labels = {
            "kind": _("Kind"),
            "value": _("IP address, range or email domain"),
            "action": _("Action"),
            "note": _("Note"),
        }
        help_texts = {
            "value": _(
                "For example 203.0.113.7, 203.0.113.0/24 or example.org. Blocking a domain "
                "blocks its subdomains too; allowing one allows only that exact domain."
            ),
            "note": _("Why: for the next organizer who reads this list."),
        }
        widgets = {"kind": forms.RadioSelect, "action": forms.RadioSelect}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        # Radio buttons with no blank "---------" choice; one must be picked.
        kind, action = self.fields["kind"], self.fields["action"]
        assert isinstance(kind, forms.ChoiceField) and isinstance(action, forms.ChoiceField)
        kind.choices = AccessRule.Kind.choices
        action.choices = AccessRule.Action.choices
        self.fields["kind"].error_messages["required"] = _("Choose an IP or a domain rule.")
        self.fields["action"].error_messages["required"] = _("Choose allow or block.")
        self.fields["value"].error_messages["required"] = _(
            "Type the IP address, range or email domain."
        )

    def clean_note(self) -> str:
        return " ".join(self.cleaned_data.get("note", "").split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, value = cleaned.get("kind"), cleaned.get("value")
        if not kind or not value or "value" in self.errors:
            return cleaned
        try:
            if kind == AccessRule.Kind.IP:
                cleaned["value"] = clean_network(value)
            else:
                cleaned["value"] = clean_domain(value)
        except ValidationError as error:
            self.add_error("value", error)
            return cleaned
        exists = AccessRule.objects.filter(
            organization=self.organization, kind=kind, value=cleaned["value"]
        ).exists()
        if exists:
            self.add_error(
                "value",
                ValidationError(
                    _("There is already a rule for %(value)s. Delete it first to change it."),
                    code="duplicate",
                    params={"value": cleaned["value"]},
                ),
            )
        return cleaned

    def save(self, commit: bool = True) -> AccessRule:
        self.instance.organization = self.organization
        self.instance.value = self.cleaned_data["value"]
        return super().save(commit=commit)

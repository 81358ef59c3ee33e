"""Forms for the organization's manage pages: they validate, the actions write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from groundswell.core.uploads import WebImageField
from groundswell.organizations.models import Organization, Role, parse_embed_origins


def _formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"  # "actionnow.org" means https://actionnow.org
    if isinstance(db_field, models.ImageField):
        kwargs["form_class"] = WebImageField  # checked, and stored without its metadata
    return db_field.formfield(**kwargs)


class OrganizationForm(forms.ModelForm[Organization]):
    """The public profile an owner or admin edits; the slug stays fixed (links are shared)."""

    class Meta:
        model = Organization
        formfield_callback = _formfield
        fields = [
            "name",
            "description",
            "website",
            "logo",
            "email",
            "sender_name",
            "sender_address",
            "reply_to",
            "require_two_factor",
            "embed_origins",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "sender_address": forms.EmailInput(attrs={"autocomplete": "off"}),
            "reply_to": forms.EmailInput(attrs={"autocomplete": "off"}),
            "embed_origins": forms.Textarea(
                attrs={
                    "rows": 3,
                    "placeholder": "https://www.example.org",
                    "autocapitalize": "none",
                    "spellcheck": "false",
                }
            ),
        }

    def __init__(
        self,
        *args: Any,
        can_require_two_factor: bool = False,
        has_two_factor: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only owners decide it; for anyone else the field is not part of the form at all.
        if not can_require_two_factor:
            del self.fields["require_two_factor"]
        self.has_two_factor = has_two_factor
        self.fields["logo"].help_text = _("PNG, JPEG, GIF or WebP image, at most %(size)s.") % {
            "size": filesizeformat(settings.MAX_UPLOAD_BYTES)
        }

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the organization's name."), code="required")
        return name

    def clean_embed_origins(self) -> str:
        """One origin a line, normalized: what the embeds' frame-ancestors will list."""
        return "\n".join(parse_embed_origins(self.cleaned_data.get("embed_origins") or ""))

    def clean_require_two_factor(self) -> bool:
        required = bool(self.cleaned_data.get("require_two_factor"))
        if required and not self.has_two_factor and not self.instance.require_two_factor:
            raise forms.ValidationError(
                _(
                    "Turn on two-factor authentication for your own account first "
                    "(Account security), so that requiring it does not lock you out."
                ),
                code="own_two_factor_off",
            )
        return required


class RoleChoiceMixin(forms.Form):
    def limit_roles(self, roles: list[Role]) -> None:
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(role.value, role.label) for role in roles]


class InviteForm(RoleChoiceMixin):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.ORGANIZER,
        help_text=_(
            "Organizers run petitions; admins also manage staff and settings; "
            "owners also manage owners."
        ),
    )

    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_roles(roles)

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class RoleForm(RoleChoiceMixin):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_roles(roles)


class CoalitionMemberForm(forms.Form):
    organization = forms.SlugField(
        label=_("Organization's short name"),
        max_length=80,
        help_text=_("The last part of its page address: ocad for /orgs/ocad/."),
        widget=forms.TextInput(attrs={"list": "organization-slugs", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, coalition: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.coalition = coalition

    def clean_organization(self) -> Organization:
        slug = self.cleaned_data["organization"].strip().lower()
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise forms.ValidationError(
                _("No organization has the short name “%(slug)s”.") % {"slug": slug},
                code="unknown",
            )
        return organization

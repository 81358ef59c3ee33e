"""The organizer's form for an outreach action: validation at the edge, so the actions
receive clean data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from groundswell.campaigns.models import Campaign
from groundswell.legislation.models import Matter
from groundswell.organizations.models import Organization
from groundswell.outreach.models import RESERVED_SLUGS, OutreachAction


class ActionForm(forms.ModelForm[OutreachAction]):
    slug = forms.SlugField(
        label=_("Short name for links"),
        max_length=80,
        required=False,
        help_text=_(
            "Letters, numbers and hyphens, used in the action's address (/act/…/). "
            "Leave blank to make one from the title."
        ),
    )

    class Meta:
        model = OutreachAction
        fields = [
            "title",
            "slug",
            "intro",
            "target",
            "by_email",
            "subject",
            "message",
            "by_call",
            "call_script",
            "matter",
            "campaign",
            "published",
        ]
        labels = {
            "title": _("Title"),
            "intro": _("Introduction"),
            "target": _("Who it goes to"),
            "by_email": _("Supporters may send an email"),
            "subject": _("Suggested subject"),
            "message": _("Suggested message"),
            "by_call": _("Supporters may call"),
            "call_script": _("Call script"),
            "matter": _("Matter it is about"),
            "campaign": _("Campaign it is part of"),
            "published": _("Published"),
        }
        help_texts = {
            "intro": _("Why it matters and what you ask people to do, in a paragraph or two."),
            "message": _("Supporters see it in the form and may change it before sending."),
            "call_script": _("What to say on the phone. Shown with the office's number."),
            "published": _("Only a published action can be found at its address."),
        }
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 5}),
            "message": forms.Textarea(attrs={"rows": 10}),
            "call_script": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campaign = self.fields["campaign"]
        assert isinstance(campaign, forms.ModelChoiceField)
        campaign.queryset = Campaign.objects.involving(organization).order_by("title")
        matter = self.fields["matter"]
        assert isinstance(matter, forms.ModelChoiceField)
        matter.queryset = Matter.objects.order_by("title")
        if self.instance.pk and self.instance.published:
            # People have shared the address: changing it would break their links.
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _(
                "The address cannot change once the action is published: people share it."
            )

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.fields["slug"].disabled and "slug" not in self.errors:
            slug = cleaned.get("slug") or slugify(cleaned.get("title") or "")[:80].strip("-")
            taken = OutreachAction.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists()
            if not slug and "title" not in self.errors:
                self.add_error("slug", _("Type a short name for the link."))
            elif slug and (taken or slug in RESERVED_SLUGS):
                self.add_error(
                    "slug",
                    ValidationError(
                        _("Another action already uses “%(slug)s”. Choose another short name."),
                        code="taken",
                        params={"slug": slug},
                    ),
                )
            else:
                cleaned["slug"] = slug
        if not cleaned.get("by_email") and not cleaned.get("by_call"):
            self.add_error(None, _("Offer at least one way to reach the office: email or a call."))
        if cleaned.get("by_email"):
            for name in ("subject", "message"):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(name, _("Needed when supporters may send an email."))
        return cleaned

    def action_fields(self) -> dict[str, Any]:
        """The action's own fields, as the actions take them."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.fields["slug"].disabled:
            fields.pop("slug")
        return fields

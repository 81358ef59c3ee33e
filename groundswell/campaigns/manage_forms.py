"""Organizer forms for campaigns: validation at the edge, so actions receive clean data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from groundswell.campaigns.models import Campaign, DemandStatus
from groundswell.core.uploads import ACCEPT as IMAGE_ACCEPT
from groundswell.core.uploads import WebImageField, image_help
from groundswell.legislation.models import Matter
from groundswell.organizations.models import Organization

# Words the organizer area uses in its own URLs (/manage/<org>/campaigns/new/).
RESERVED_SLUGS = frozenset({"new", "verify", "partnerships"})


class PartnerChoiceField(forms.ModelMultipleChoiceField[Organization]):
    def _check_values(self, value: Any) -> QuerySet[Organization]:
        # A value that is not a plausible id is an invalid choice, never a database error.
        for pk in value or []:
            if not str(pk).isascii() or not str(pk).isdigit() or len(str(pk)) > 18:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:40]},
                )
        return super()._check_values(value)  # type: ignore[misc]  # not in django-stubs


class CampaignForm(forms.ModelForm[Campaign]):
    slug = forms.SlugField(
        label=_("Short name for links"),
        max_length=80,
        required=False,
        help_text=_(
            "Letters, numbers and hyphens, used in the campaign's address. "
            "Leave blank to make one from the title."
        ),
    )
    image = WebImageField(
        label=_("Image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    partners = PartnerChoiceField(
        label=_("Partner organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each one is invited, and becomes a partner once its owner or an admin accepts. "
            "Partners' organizers can see the campaign and attach their petitions to it."
        ),
    )

    class Meta:
        model = Campaign
        fields = ["title", "slug", "summary", "goal", "image", "image_alt", "status"]
        labels = {
            "title": _("Title"),
            "summary": _("Summary"),
            "goal": _("Goal"),
            "image_alt": _("Image description"),
            "status": _("Status"),
        }
        help_texts = {
            "summary": _("What the campaign is about, in a paragraph or two."),
            "goal": _("The clear and actionable goal: what winning means."),
            "image_alt": _(
                "Describe the image for people who cannot see it. Needed with an image."
            ),
            "status": _(
                "A draft is seen only by organizers; an active campaign takes endorsements."
            ),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 8}),
            "goal": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        partners = self.fields["partners"]
        assert isinstance(partners, PartnerChoiceField)
        partners.queryset = Organization.objects.exclude(pk=organization.pk).order_by("name")
        self.fields["image"].help_text = image_help()
        if self.instance.pk:
            # Partners and the organizations still invited: saving the form unchanged
            # withdraws no invitation.
            named = set(self.instance.partners.values_list("pk", flat=True))
            named |= set(
                self.instance.partner_invitations.pending().values_list(
                    "organization_id", flat=True
                )
            )
            self.initial.setdefault("partners", sorted(named))
            if self.instance.is_published:
                # People have shared the address: changing it would break their links.
                self.fields["slug"].disabled = True
                self.fields["slug"].help_text = _(
                    "The address cannot change once the campaign is published: people share it."
                )

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.fields["slug"].disabled and "slug" not in self.errors:
            typed = cleaned.get("slug") or ""
            slug = typed or slugify(cleaned.get("title") or "")[:80].strip("-")
            taken = Campaign.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists()
            if not slug and "title" not in self.errors:
                self.add_error("slug", _("Type a short name for the link."))
            elif slug and (taken or slug in RESERVED_SLUGS):
                self.add_error(
                    "slug",
                    ValidationError(
                        _("Another campaign already uses “%(slug)s”. Choose another short name."),
                        code="taken",
                        params={"slug": slug},
                    ),
                )
            else:
                cleaned["slug"] = slug
        if cleaned.get("image") and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", ValidationError(_("Describe the image."), code="required"))
        return cleaned

    def campaign_fields(self) -> dict[str, Any]:
        """The campaign's own fields, as the actions take them."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.fields["slug"].disabled:
            fields.pop("slug")
        if "image" not in self.changed_data or fields["image"] is None:
            fields.pop("image")  # no upload: keep the current image
        elif fields["image"] is False:
            fields["image"] = ""  # "clear" ticked
        return fields


class MatterChoiceField(forms.ModelChoiceField[Matter]):
    def label_from_instance(self, obj: Matter) -> str:
        title = obj.title if len(obj.title) <= 90 else f"{obj.title[:89]}…"
        return f"{obj.record_number} {title}".strip()


class DemandForm(forms.Form):
    title = forms.CharField(
        label=_("Demand"),
        max_length=300,
        error_messages={"required": _("Type the demand.")},
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Matters are public records (the Council's), so every organization sees them all.
    matter = MatterChoiceField(
        label=_("Ordinance or resolution on record"),
        queryset=Matter.objects.newest_first(),
        required=False,
        empty_label=_("None"),
        help_text=_(
            "The matter that would meet this demand: the campaign page links it, and "
            "whip boards on it count your signers by ward."
        ),
        error_messages={"invalid_choice": _("Pick a matter from the list.")},
    )

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


class DemandChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=DemandStatus.choices)
    evidence_date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When it happened: the vote, the signing, the announcement."),
    )
    evidence_url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Where people can check it: a news story, the City Council record."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happened, in a sentence or two. Shown on the campaign page."),
    )

    def clean_evidence_date(self) -> Any:
        day = self.cleaned_data["evidence_date"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."), code="future")
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        no_evidence = not cleaned.get("evidence_url") and not (cleaned.get("note") or "").strip()
        if no_evidence and "evidence_url" not in self.errors:
            self.add_error(
                "note",
                ValidationError(
                    _("Give the evidence: a link, a note, or both."), code="no_evidence"
                ),
            )
        return cleaned

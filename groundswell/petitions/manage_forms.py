"""Organizer forms for petitions: validation at the edge, so actions receive clean data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet, Value
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from groundswell.campaigns.models import Campaign
from groundswell.core.uploads import WebImageField
from groundswell.organizations.models import CoalitionMember, Organization
from groundswell.petitions.models import (
    Petition,
    PetitionResponse,
    PetitionUpdate,
    SponsorInvitation,
    Status,
    Target,
)

# Words the organizer area uses in its own URLs (/manage/<org>/petitions/new/).
RESERVED_SLUGS = frozenset({"new", "rules", "sponsorships"})  # URLs under /manage/<org>/petitions/


class SponsorChoiceField(forms.ModelMultipleChoiceField[Organization]):
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

    def label_from_instance(self, obj: Organization) -> str:
        if getattr(obj, "is_invited", False):
            return _("%(name)s (invited, waiting for an answer)") % {"name": obj.name}
        if getattr(obj, "is_coalition_member", False):
            return _("%(name)s (coalition member)") % {"name": obj.name}
        return obj.name


def sponsor_choices(
    organization: Organization, petition: Petition | None = None
) -> QuerySet[Organization]:
    """Every other organization, a coalition's own members first; those the petition
    invited and who have not answered yet are marked."""
    members = CoalitionMember.objects.filter(coalition=organization, organization=OuterRef("pk"))
    invited = SponsorInvitation.objects.pending().filter(
        petition=petition, organization=OuterRef("pk")
    )
    return (
        Organization.objects.exclude(pk=organization.pk)
        .annotate(
            is_coalition_member=Exists(members),
            is_invited=Exists(invited) if petition is not None else Value(False),
        )
        .order_by("-is_coalition_member", "name")
    )


class PetitionForm(forms.ModelForm[Petition]):
    """The petition's texts and settings; its decision makers come in a TargetFormSet."""

    slug = forms.SlugField(
        label=_("Short name for links"),
        max_length=80,
        required=False,
        help_text=_(
            "Letters, numbers and hyphens, used in the petition's address. "
            "Leave blank to make one from the title."
        ),
    )
    image = WebImageField(
        label=_("Image"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )
    sponsors = SponsorChoiceField(
        label=_("Co-sponsoring organizations"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each organization you tick is invited; its owners and admins are emailed. It is "
            "shown as a co-sponsor, and signers can agree to hear from it, once one of them "
            "accepts."
        ),
    )

    class Meta:
        model = Petition
        fields = [
            "title",
            "slug",
            "ask",
            "why",
            "image",
            "image_alt",
            "deadline",
            "title_es",
            "ask_es",
            "why_es",
            "counts_unverified",
            "requires_challenge",
            "show_ward_map",
            "campaign",
        ]
        labels = {
            "campaign": _("Campaign"),
            "title": _("Title"),
            "ask": _("The ask"),
            "why": _("Why is this important?"),
            "image_alt": _("Image description"),
            "deadline": _("Deadline"),
            "title_es": _("Title (Spanish)"),
            "ask_es": _("The ask (Spanish)"),
            "why_es": _("Why is this important? (Spanish)"),
            "counts_unverified": _("Count signatures not yet confirmed by email"),
            "requires_challenge": _("Ask signers' browsers to solve a small puzzle"),
            "show_ward_map": _("Show the map of verified signers by ward on the petition page"),
        }
        help_texts = {
            "ask": _(
                "What you ask the decision makers for, as numbered demands: start each line "
                "with “1.”, “2.”… Leave a blank line between paragraphs; write links as "
                "[text](https://example.org)."
            ),
            "why": _("Why it matters, in the words of the people it affects. Markdown as above."),
            "image_alt": _(
                "Describe the image for people who cannot see it. Needed with an image."
            ),
            "deadline": _("After this day the petition no longer takes signatures."),
            "counts_unverified": _(
                "By default only signatures confirmed by email count toward the number shown."
            ),
            "requires_challenge": _(
                "Switch this on when bots attack the petition. Each signer's browser spends "
                "a second or two on the puzzle while they fill in the form, with no cookies "
                "and no third-party service. Signatures sent without a solution, for "
                "instance from a browser without JavaScript, are kept for you to review and "
                "do not count unless you clear them."
            ),
        }
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "title_es": forms.TextInput(attrs={"autocomplete": "off", "lang": "es"}),
            "ask": forms.Textarea(attrs={"rows": 10}),
            "why": forms.Textarea(attrs={"rows": 8}),
            "ask_es": forms.Textarea(attrs={"rows": 10, "lang": "es"}),
            "why_es": forms.Textarea(attrs={"rows": 8, "lang": "es"}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        sponsors = self.fields["sponsors"]
        assert isinstance(sponsors, SponsorChoiceField)
        sponsors.queryset = sponsor_choices(
            organization, self.instance if self.instance.pk else None
        )
        campaign = self.fields["campaign"]
        assert isinstance(campaign, forms.ModelChoiceField)
        campaign.queryset = Campaign.objects.involving(organization).order_by("title")
        campaign.empty_label = _("None")
        campaign.help_text = _("A campaign your organization leads or is a partner in.")
        self.fields["image"].help_text = _("JPEG, PNG, GIF or WebP, up to %(limit)s.") % {
            "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)
        }
        if self.instance.pk:
            # Ticked: those who co-sponsor, and those invited who have not answered yet.
            invited = self.instance.sponsor_invitations.pending().values_list(
                "organization", flat=True
            )
            self.initial.setdefault(
                "sponsors",
                [*self.instance.sponsors.values_list("pk", flat=True), *invited],
            )
        if self.is_published:
            # People have shared the address: changing it would break their links.
            self.fields["slug"].disabled = True
            self.fields["slug"].help_text = _(
                "The address cannot change once the petition is published: people share it."
            )

    @property
    def is_published(self) -> bool:
        return bool(self.instance.pk) and self.instance.status != Status.DRAFT

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data.get("deadline")
        is_new_value = not self.instance.pk or "deadline" in self.changed_data
        if deadline and is_new_value and deadline < timezone.localdate():
            raise ValidationError(_("The deadline cannot be in the past."), code="past")
        return deadline

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.fields["slug"].disabled and "slug" not in self.errors:
            self._clean_new_slug(cleaned)
        image = cleaned.get("image")
        if image and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", ValidationError(_("Describe the image."), code="required"))
        return cleaned

    def _clean_new_slug(self, cleaned: dict[str, Any]) -> None:
        typed = cleaned.get("slug") or ""
        slug = typed or slugify(cleaned.get("title") or "")[:80].strip("-")
        if not slug:
            if "title" not in self.errors:
                self.add_error(
                    "slug",
                    ValidationError(_("Type a short name for the link."), code="required"),
                )
            return
        taken = Petition.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists()
        if taken or slug in RESERVED_SLUGS:
            message = (
                _("Another petition already uses “%(slug)s”. Choose another short name.")
                if typed
                else _(
                    "Another petition already uses “%(slug)s”, made from the title. "
                    "Type a different short name."
                )
            )
            self.add_error("slug", ValidationError(message, code="taken", params={"slug": slug}))
            return
        cleaned["slug"] = slug

    def petition_fields(self) -> dict[str, Any]:
        """The petition's own fields, as the actions take them."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.fields["slug"].disabled:
            fields.pop("slug")
        if "image" not in self.changed_data or fields["image"] is None:
            fields.pop("image")  # no upload: keep the current image
        elif fields["image"] is False:
            fields["image"] = ""  # "clear" ticked
        return fields


class VictoryForm(forms.Form):
    note = forms.CharField(
        label=_("About the victory"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was won and what comes next; shown on the petition page."),
    )
    note_es = forms.CharField(
        label=_("About the victory (Spanish)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "es"}),
    )


class UpdateForm(forms.ModelForm[PetitionUpdate]):
    class Meta:
        model = PetitionUpdate
        fields = ["title", "body", "title_es", "body_es", "email_signers"]
        labels = {
            "title": _("Title"),
            "body": _("Text"),
            "title_es": _("Title (Spanish)"),
            "body_es": _("Text (Spanish)"),
            "email_signers": _("Email it to signers who agreed to hear from us"),
        }
        help_texts = {
            "body": _(
                "Markdown: a blank line between paragraphs, “1.” for numbered lists, "
                "[text](https://example.org) for links."
            ),
            "body_es": _("Signers who signed in Spanish get this version."),
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "title_es": forms.TextInput(attrs={"lang": "es"}),
            "body_es": forms.Textarea(attrs={"rows": 10, "lang": "es"}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A Spanish version needs both halves, or Spanish readers get a mixed email.
        if bool(cleaned.get("title_es")) != bool(cleaned.get("body_es")):
            missing = "body_es" if cleaned.get("title_es") else "title_es"
            if missing not in self.errors:
                self.add_error(
                    missing,
                    ValidationError(
                        _("Give both the Spanish title and the Spanish text, or neither."),
                        code="incomplete_translation",
                    ),
                )
        return cleaned

    def update_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ResponseForm(forms.ModelForm[PetitionResponse]):
    target = forms.ModelChoiceField(
        label=_("Decision maker who responded"),
        queryset=Target.objects.none(),
        required=False,
        empty_label=_("Someone else (type the name below)"),
    )

    class Meta:
        model = PetitionResponse
        fields = ["target", "responder", "responded_on", "body", "body_es", "email_signers"]
        labels = {
            "email_signers": _("Email it to signers who agreed to hear from us"),
            "responder": _("Or: who responded"),
            "responded_on": _("Date of the response"),
            "body": _("The response"),
            "body_es": _("The response (Spanish)"),
        }
        help_texts = {
            "responder": _(
                "If not one of the petition's decision makers, e.g. “Office of the Mayor”."
            ),
            "body": _("What they said, quoted or summarized. Markdown as in the petition."),
        }
        widgets = {
            "responded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 8}),
            "body_es": forms.Textarea(attrs={"rows": 8, "lang": "es"}),
        }

    def __init__(self, *args: Any, petition: Petition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ModelChoiceField)
        target.queryset = petition.targets.all()

    def clean_responder(self) -> str:
        return " ".join(self.cleaned_data.get("responder", "").split())

    def clean_responded_on(self) -> Any:
        day = self.cleaned_data["responded_on"]
        if day > timezone.localdate():
            raise ValidationError(
                _("The date of the response cannot be in the future."), code="future"
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        target, responder = cleaned.get("target"), cleaned.get("responder")
        if "target" in self.errors or "responder" in self.errors:
            return cleaned
        if not target and not responder:
            self.add_error(
                "responder",
                ValidationError(
                    _("Pick the decision maker who responded, or type who did."),
                    code="required",
                ),
            )
        elif target and responder:
            self.add_error(
                "responder",
                ValidationError(_("Pick a decision maker or type a name, not both."), code="both"),
            )
        return cleaned

    def response_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

"""The operator's view of petitions in /admin/. Organizers use /manage/ instead."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groundswell.petitions import actions, integrity
from groundswell.petitions.integrity_forms import clean_domain, clean_network
from groundswell.petitions.models import (
    AccessRule,
    Invalidation,
    Milestone,
    Petition,
    PetitionCount,
    PetitionResponse,
    PetitionUpdate,
    Signature,
    SponsorInvitation,
    Status,
    Target,
)


class TargetInline(admin.TabularInline[Target, Petition]):
    model = Target
    extra = 0
    fields = ["position", "name", "title", "office"]


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin[Petition]):
    """The status changes only through the actions below, which follow the same rules as
    the organizer screen and the API; co-sponsors only by the invited organizations'
    own acceptance."""

    list_display = ["title", "slug", "owner", "status", "published_at", "deadline"]
    list_filter = ["status", "counts_unverified"]
    search_fields = ["title", "slug", "owner__name"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner", "created_by"]
    exclude = ["sponsors"]
    readonly_fields = [
        "status",
        "co_sponsors",
        "created_at",
        "updated_at",
        "published_at",
        "closed_at",
        "won_at",
    ]
    inlines = [TargetInline]
    date_hierarchy = "created_at"
    actions = ["open_petitions", "close_petitions"]

    @admin.display(description=_("co-sponsoring organizations"))
    def co_sponsors(self, petition: Petition) -> str:
        return ", ".join(o.name for o in petition.sponsors.all()) or "-"

    @admin.action(description=_("Open the selected petitions for signatures"))
    def open_petitions(self, request: HttpRequest, queryset: QuerySet[Petition]) -> None:
        self._change_status(request, queryset, Status.OPEN)

    @admin.action(description=_("Close the selected petitions"))
    def close_petitions(self, request: HttpRequest, queryset: QuerySet[Petition]) -> None:
        self._change_status(request, queryset, Status.CLOSED)

    def _change_status(
        self, request: HttpRequest, queryset: QuerySet[Petition], status: str
    ) -> None:
        changed = 0
        for petition in queryset.exclude(status=status):
            try:
                actions.change_status(petition, status)
            except actions.StatusRefused as refusal:
                self.message_user(
                    request,
                    _("“%(title)s”: %(reason)s") % {"title": petition.title, "reason": refusal},
                    messages.ERROR,
                )
            else:
                changed += 1
        if changed:
            self.message_user(
                request,
                ngettext("%(count)d petition changed.", "%(count)d petitions changed.", changed)
                % {"count": changed},
                messages.SUCCESS,
            )


@admin.register(SponsorInvitation)
class SponsorInvitationAdmin(admin.ModelAdmin[SponsorInvitation]):
    """Sent when an owner names a co-sponsor, answered by the invited organization's
    owners or admins in /manage/; here they are only looked at."""

    list_display = ["organization", "petition", "state", "invited_by", "created_at", "decided_at"]
    list_filter = ["state"]
    search_fields = ["organization__name", "petition__title", "petition__slug"]
    list_select_related = ["organization", "petition", "invited_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin[Signature]):
    """A signature's state, address and consents change only through petitions.actions
    (confirming sets its date and its count; screening, invalidation and erasure keep
    theirs): here they are read-only, and a signature is never deleted (the counts and
    the erasure records would not follow). An operator may correct what is shown in
    public (name, comment, whether it is listed); the organization's audit log hears of
    it (people.audit)."""

    list_display = ["email", "first_name", "last_name", "petition", "state", "created_at"]
    list_filter = ["state"]
    search_fields = ["email", "email_normalized"]
    list_select_related = ["petition"]
    raw_id_fields = ["petition", "person"]
    EDITABLE = ("first_name", "last_name", "comment", "public")
    # Exact counts of a viral petition's signatures are slow; the list does without.
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Signature._meta.concrete_fields if f.name not in self.EDITABLE]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PetitionUpdate)
class UpdateAdmin(admin.ModelAdmin[PetitionUpdate]):
    list_display = ["title", "petition", "created_at", "email_signers", "emailed_count"]
    search_fields = ["title", "petition__title"]
    list_select_related = ["petition"]
    raw_id_fields = ["petition", "author"]
    readonly_fields = ["emailed_through", "emailed_count", "emailed_at"]


@admin.register(PetitionResponse)
class ResponseAdmin(admin.ModelAdmin[PetitionResponse]):
    list_display = ["petition", "target", "responder", "responded_on"]
    search_fields = ["petition__title", "responder", "target__name"]
    list_select_related = ["petition", "target"]
    raw_id_fields = ["petition", "target", "recorded_by"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin[Milestone]):
    list_display = ["petition", "threshold", "reached_at", "notified_at"]
    list_select_related = ["petition"]
    raw_id_fields = ["petition"]


@admin.register(PetitionCount)
class PetitionCountAdmin(admin.ModelAdmin[PetitionCount]):
    """Counts are the worker's to write; here they can only be read."""

    list_display = ["petition", "shown", "verified", "total", "updated_at"]
    list_select_related = ["petition"]
    search_fields = ["petition__title", "petition__slug"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AccessRuleAdminForm(forms.ModelForm[AccessRule]):
    """The value checked and written the standard way, as in the organizer area."""

    class Meta:
        model = AccessRule
        fields = ["organization", "kind", "value", "action", "note"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, value = cleaned.get("kind"), cleaned.get("value")
        if kind and value:
            clean = clean_network if kind == AccessRule.Kind.IP else clean_domain
            try:
                cleaned["value"] = clean(value)
            except forms.ValidationError as error:
                self.add_error("value", error)
        return cleaned


@admin.register(AccessRule)
class AccessRuleAdmin(admin.ModelAdmin[AccessRule]):
    """Rules without an organization apply to every petition; organizations keep their own
    in /manage/<org>/petitions/rules/. Other processes see a change within RULES_TTL."""

    form = AccessRuleAdminForm
    list_display = ["value", "kind", "action", "organization", "note", "created_at"]
    list_filter = ["kind", "action"]
    search_fields = ["value", "note", "organization__name"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        integrity.forget_rules()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        integrity.forget_rules()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        integrity.forget_rules()


@admin.register(Invalidation)
class InvalidationAdmin(admin.ModelAdmin[Invalidation]):
    """Read-only: invalidating and reversing go through the integrity page, which keeps
    the counts right (deleting one here would let its signatures count uncounted)."""

    list_display = [
        "petition",
        "kind",
        "value",
        "starts_at",
        "ends_at",
        "signature_count",
        "created_by",
        "created_at",
        "reversed_at",
    ]
    list_filter = ["kind"]
    search_fields = ["petition__title", "petition__slug", "value", "reason"]
    list_select_related = ["petition", "created_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

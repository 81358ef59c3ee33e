"""Operator admin: organizations with their staff and coalition members, and invitations.

Operators may repair a staff list here (add an owner to an organization whose owners
left), held to the rules the manage pages keep: an organization always keeps an owner
(organizations.actions.only_owner_refusal), and a member taken off hands back their work
(organizations.departures). Every change reaches the organization's audit log
(people.audit records the admin's log entries).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groundswell.organizations import actions as organization_actions
from groundswell.organizations import departures
from groundswell.organizations.models import (
    CoalitionInvitation,
    CoalitionMember,
    Invitation,
    Membership,
    Organization,
)


class MembershipFormSet(BaseInlineFormSet[Membership, Organization, Any]):
    """The staff list as an operator edits it, held to the rule the manage pages keep
    (organizations.actions.only_owner_refusal): an organization always keeps an owner."""

    def clean(self) -> None:
        super().clean()
        if self.instance.pk is None:
            return
        roles: dict[int, str | None] = {}
        for form in self.forms:
            membership = form.instance
            if membership.pk is None or not hasattr(form, "cleaned_data"):
                continue
            deleted = self.can_delete and form.cleaned_data.get("DELETE")
            roles[membership.pk] = None if deleted else form.cleaned_data.get("role")
        for form in self.extra_forms:
            data = getattr(form, "cleaned_data", None)
            if data and not data.get("DELETE"):
                roles[-1 - len(roles)] = data.get("role")
        refusal = organization_actions.only_owner_refusal(self.instance, roles)
        if refusal:
            raise ValidationError(refusal)

    def delete_existing(self, obj: Membership, commit: bool = True) -> None:
        if commit:
            departures.hand_back(obj)
        super().delete_existing(obj, commit=commit)


class MembershipInline(admin.TabularInline[Membership, Organization]):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)


class CoalitionMemberInline(admin.TabularInline[CoalitionMember, Organization]):
    """Members join by accepting the coalition's invitation (its manage page); here they
    are only shown, or taken out."""

    model = CoalitionMember
    fk_name = "coalition"
    extra = 0
    fields = ("organization", "joined_at")
    readonly_fields = ("organization", "joined_at")
    verbose_name = _("coalition member")
    verbose_name_plural = _("coalition members (for coalitions)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ("name", "slug", "is_coalition", "email", "created_at")
    list_filter = ("is_coalition",)
    search_fields = ("name", "slug", "email")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at",)
    fields = (
        "name",
        "slug",
        "is_coalition",
        "description",
        "website",
        "logo",
        "email",
        "created_at",
    )
    inlines = (MembershipInline, CoalitionMemberInline)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    """Invitations are sent from the staff page (which emails them); here they are only
    looked at or withdrawn."""

    list_display = ("email", "organization", "role", "invited_by", "created_at", "state")
    list_filter = ("role",)
    search_fields = ("email", "organization__name", "organization__slug")
    list_select_related = ("organization", "invited_by")
    readonly_fields = (
        "organization",
        "email",
        "role",
        "invited_by",
        "created_at",
        "accepted_at",
        "revoked_at",
    )
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("state"))
    def state(self, invitation: Invitation) -> str:
        if invitation.accepted_at:
            return str(_("accepted"))
        if invitation.revoked_at:
            return str(_("withdrawn"))
        return str(_("open"))

    @admin.action(description=_("Withdraw the selected invitations"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        count = queryset.filter(accepted_at=None, revoked_at=None).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d invitation withdrawn.", "%(count)d invitations withdrawn.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(CoalitionInvitation)
class CoalitionInvitationAdmin(admin.ModelAdmin[CoalitionInvitation]):
    """Sent from a coalition's manage page and answered by the invited organization's
    owners or admins; here they are only looked at."""

    list_display = ("organization", "coalition", "state", "invited_by", "created_at", "decided_at")
    list_filter = ("state",)
    search_fields = ("organization__name", "coalition__name")
    list_select_related = ("organization", "coalition", "invited_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

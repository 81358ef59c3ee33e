"""Operator admin: organizations with their staff and coalition members, and invitations.

The manage pages enforce the staff rules (the last owner stays); the admin is for operators,
who may need to repair exactly that, so it edits memberships directly.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groundswell.organizations.models import (
    CoalitionInvitation,
    CoalitionMember,
    Invitation,
    Membership,
    Organization,
)


class MembershipInline(admin.TabularInline[Membership, Organization]):
    model = Membership
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

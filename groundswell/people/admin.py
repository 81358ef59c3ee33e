"""Operator admin for supporters: read-mostly. Consent records are evidence of what a
person agreed to, so the admin shows them and never edits them. A person is never
deleted here, only erased (people.rights.erase): a plain delete would leave their
signatures' names, addresses and IP addresses behind, and no Erasure record."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groundswell.people.models import AuditEvent, Consent, Erasure, Person, Supporter
from groundswell.people.rights import actions as rights


class ConsentInline(admin.TabularInline[Consent, Person]):
    model = Consent
    extra = 0
    can_delete = False
    fields = ("organization", "channel", "granted_at", "source", "withdrawn_at", "withdrawn_source")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Person | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ("email", "first_name", "last_name", "zip_code", "language", "created_at")
    list_filter = ("language",)
    search_fields = ("email_normalized", "email", "first_name", "last_name", "zip_code")
    # The email is the person's identity (matched by its normalized form): not edited here.
    readonly_fields = ("email", "email_normalized", "created_at", "updated_at")
    fields = (
        "email",
        "email_normalized",
        "first_name",
        "last_name",
        "address",
        "city",
        "state",
        "zip_code",
        "language",
        "languages",
        "created_at",
        "updated_at",
    )
    inlines = (ConsentInline,)
    actions = ("erase",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Person | None = None) -> bool:
        return False  # erase instead: see the module's docstring

    def has_erase_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("people.delete_person")

    @admin.action(description=_("Erase (irreversible)"), permissions=["erase"])
    def erase(self, request: HttpRequest, queryset: QuerySet[Person]) -> TemplateResponse | None:
        """Erase the people chosen, after a page that asks to confirm."""
        if request.POST.get("post") != "yes":
            return TemplateResponse(
                request,
                "admin/people/person/erase_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Erase these people?"),
                    "opts": self.model._meta,
                    "people": list(queryset),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        erased = 0
        for person in queryset:
            try:
                rights.erase(person, via=Erasure.Via.OPERATOR, by=request.user)  # type: ignore[arg-type]
            except Person.DoesNotExist:
                continue  # erased meanwhile
            erased += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d person erased everywhere.", "%(count)d people erased everywhere.", erased
            )
            % {"count": erased},
            messages.SUCCESS,
        )
        return None


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin[Consent]):
    list_display = ("person", "organization", "channel", "granted_at", "withdrawn_at", "source")
    list_filter = ("channel", "organization")
    search_fields = ("person__email_normalized", "person__email", "organization__name")
    list_select_related = ("person", "organization")
    readonly_fields = (
        "person",
        "organization",
        "channel",
        "granted_at",
        "source",
        "withdrawn_at",
        "withdrawn_source",
    )
    date_hierarchy = "granted_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Consent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Consent | None = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Evidence (who saw what, that an erasure happened) is read, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Supporter)
class SupporterAdmin(ReadOnlyAdmin):
    list_display = ("person", "organization", "source", "created_at")
    list_filter = ("organization",)
    list_select_related = ("person", "organization")
    search_fields = ("person__email_normalized", "organization__name")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "organization", "user", "action", "records", "detail", "ip_address")
    list_filter = ("action", "organization")
    list_select_related = ("organization", "user")
    date_hierarchy = "at"


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ("erased_at", "via", "organization", "performed_by", "records")
    list_filter = ("via",)

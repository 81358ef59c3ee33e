"""Operator admin for the Council's records, matters and whip boards.

The operator may correct any record here; a change to a decision maker or a matter is
kept in its history like an organizer's (source "admin"). Imported details (actions,
roll calls, votes) are shown read-only: the next import would write them again, so
they are corrected in the source file. Stance histories are read-only: they are a
record of what an organization heard, written only through record_stance.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from groundswell.legislation.actions.records import as_text, note_revision
from groundswell.legislation.models import (
    Body,
    DecisionMaker,
    Matter,
    MatterAction,
    Office,
    Revision,
    RevisionSource,
    RollCall,
    Sponsorship,
    StanceChange,
    Term,
    WhipBoard,
)


class ReadOnlyInline:
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _changes(form: ModelForm[Any]) -> dict[str, dict[str, str]]:
    return {
        name: {"from": as_text(form.initial.get(name)), "to": as_text(form.cleaned_data.get(name))}
        for name in form.changed_data
    }


class HistoryAdmin(admin.ModelAdmin[Any]):
    """Keeps each change made here in the record's history."""

    subject = ""
    readonly_fields = ("created_at", "updated_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        changes = (
            _changes(form)
            if change
            else {name: {"to": as_text(form.cleaned_data.get(name))} for name in form.changed_data}
        )
        super().save_model(request, obj, form, change)
        note_revision(
            obj,
            subject=self.subject,
            changes=changes,
            source=RevisionSource.ADMIN,
            by=request.user,  # type: ignore[arg-type]
        )


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin[Body]):
    readonly_fields = ("created_at", "updated_at")
    list_display = ("name", "classification", "parent", "seats", "ocd_id")
    list_filter = ("classification",)
    search_fields = ("name", "ocd_id")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin[Office]):
    readonly_fields = ("created_at", "updated_at")
    list_display = ("label", "body", "number", "division_id", "district")
    list_filter = ("body",)
    search_fields = ("label", "division_id", "ocd_id")
    raw_id_fields = ("district",)


class TermInline(ReadOnlyInline, admin.TabularInline[Term, DecisionMaker]):
    model = Term
    fields = ("body", "office", "role", "start_date", "end_date")


class RevisionInline(ReadOnlyInline, admin.TabularInline[Revision, Any]):
    model = Revision
    fields = ("at", "subject", "changes", "source", "changed_by", "organization")
    readonly_fields = fields


@admin.register(DecisionMaker)
class DecisionMakerAdmin(HistoryAdmin):
    subject = "decision maker"
    list_display = ("name", "sort_name", "email", "phone", "ocd_id", "demo")
    list_filter = ("demo",)
    search_fields = ("name", "sort_name", "ocd_id", "email")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (TermInline, RevisionInline)


@admin.register(Term)
class TermAdmin(admin.ModelAdmin[Term]):
    readonly_fields = ("created_at", "updated_at")
    list_display = ("decision_maker", "body", "office", "role", "start_date", "end_date")
    list_filter = ("body",)
    search_fields = ("decision_maker__name", "office__label", "role")
    raw_id_fields = ("decision_maker", "office")

    def save_model(self, request: HttpRequest, obj: Term, form: Any, change: bool) -> None:
        changes = _changes(form)
        super().save_model(request, obj, form, change)
        note_revision(
            obj.decision_maker,
            subject="term",
            changes=changes,
            source=RevisionSource.ADMIN,
            by=request.user,  # type: ignore[arg-type]
        )


class SponsorshipInline(admin.TabularInline[Sponsorship, Matter]):
    model = Sponsorship
    extra = 0
    fields = ("decision_maker", "name", "primary", "classification", "sponsored_on")
    raw_id_fields = ("decision_maker",)


class ActionInline(ReadOnlyInline, admin.TabularInline[MatterAction, Matter]):
    model = MatterAction
    fields = ("position", "date", "body_name", "description", "classification", "result")
    readonly_fields = fields


class RollCallInline(ReadOnlyInline, admin.TabularInline[RollCall, Matter]):
    model = RollCall
    fk_name = "matter"
    fields = ("date", "motion", "result", "needed", "body", "key")
    readonly_fields = fields


class MatterRevisionInline(RevisionInline):
    fk_name = "matter"


@admin.register(Matter)
class MatterAdmin(HistoryAdmin):
    subject = "matter"
    list_display = ("record_number", "title", "kind", "status", "introduced_on", "demo")
    list_filter = ("kind", "demo")
    search_fields = ("record_number", "title", "ocd_id", "elms_id")
    prepopulated_fields = {"slug": ("record_number",)}
    inlines = (SponsorshipInline, ActionInline, RollCallInline, MatterRevisionInline)


class StanceChangeInline(ReadOnlyInline, admin.TabularInline[StanceChange, WhipBoard]):
    model = StanceChange
    fields = ("decision_maker", "value", "source", "note", "url", "on", "recorded_by")
    readonly_fields = fields


@admin.register(WhipBoard)
class WhipBoardAdmin(admin.ModelAdmin[WhipBoard]):
    list_display = ("matter", "organization", "is_public", "votes_needed", "created_at")
    list_filter = ("is_public",)
    search_fields = ("matter__title", "matter__record_number", "organization__name")
    raw_id_fields = ("matter", "organization")
    readonly_fields = ("created_by", "created_at")
    inlines = (StanceChangeInline,)

"""Operator admin for district maps: read-only. A map changes only by importing a file
(manage.py import_districts), which keeps every version; editing a shape or deleting a
version here would change what older records' districts mean."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from groundswell.districts.models import District, DistrictSet


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DistrictSet)
class DistrictSetAdmin(ReadOnly, admin.ModelAdmin[DistrictSet]):
    list_display = (
        "slug",
        "version",
        "name",
        "kind",
        "valid_from",
        "valid_to",
        "district_count",
        "imported_at",
        "superseded_at",
    )
    list_filter = ("kind",)
    exclude = ("digest",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[DistrictSet]:
        return super().get_queryset(request).annotate(district_count=Count("districts"))

    @admin.display(description=_("districts"), ordering="district_count")
    def district_count(self, obj: Any) -> int:
        return int(obj.district_count)


@admin.register(District)
class DistrictAdmin(ReadOnly, admin.ModelAdmin[District]):
    list_display = ("name", "number", "division_id", "set")
    list_filter = ("set",)
    search_fields = ("name", "division_id")
    exclude = ("shape",)

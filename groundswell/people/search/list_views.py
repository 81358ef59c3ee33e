"""Lists and saved searches in the organizer's people area: /manage/<org>/people/lists/."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from groundswell.organizations.models import Organization
from groundswell.organizations.permissions import membership_for
from groundswell.people import actions, audit
from groundswell.people.manage.forms import BulkForm, NameForm
from groundswell.people.manage.views import (
    organizer_required,
    page_number,
    record_search,
    results_page,
    see_other,
    stream_csv,
)
from groundswell.people.models import AuditEvent, PersonList
from groundswell.people.search import exports
from groundswell.people.search.queries import SearchForm, describe, search


def list_of(organization: Organization, list_id: int) -> PersonList:
    """The organization's list; 404 for another organization's (as for none)."""
    return get_object_or_404(PersonList, organization=organization, pk=list_id)


def query_of(person_list: PersonList) -> dict[str, Any]:
    """The search a list stands for: its members, or a saved search's parameters."""
    if person_list.kind == PersonList.Kind.SAVED:
        return dict(person_list.query)
    return {"list": person_list.pk}


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def lists(request: HttpRequest, org: str) -> HttpResponse:
    organization = membership_for(request, org).organization
    form = NameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = actions.create_list(
            organization,
            form.cleaned_data["name"],
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("List “%(name)s” created.") % {"name": created.name})
        return see_other(reverse("people_manage:list_detail", args=[organization.slug, created.pk]))
    person_lists = PersonList.objects.filter(organization=organization).annotate(
        size=Count("members")
    )
    return render(
        request,
        "people/manage/lists.html",
        {
            "organization": organization,
            "static_lists": [pl for pl in person_lists if pl.kind == PersonList.Kind.STATIC],
            "saved_searches": [pl for pl in person_lists if pl.kind == PersonList.Kind.SAVED],
            "form": form,
        },
    )


@organizer_required
@require_safe
def list_detail(request: HttpRequest, org: str, list_id: int) -> HttpResponse:
    organization = membership_for(request, org).organization
    person_list = list_of(organization, list_id)
    query = query_of(person_list)
    form = SearchForm(query, organization=organization)
    stale = not form.is_valid()
    if not stale:
        record_search(request, organization, form.query(), what=f"list {person_list.pk}")
    return render(
        request,
        "people/manage/list_detail.html",
        {
            "organization": organization,
            "person_list": person_list,
            "saved": person_list.kind == PersonList.Kind.SAVED,
            "stale": stale,
            "form": form,
            "query": query,
            "querystring": "" if stale else urlencode(form.query()),
            "results": results_page(search(organization, query), page_number(request)),
            "bulk_form": BulkForm(organization=organization),
        },
    )


@organizer_required
@require_safe
def list_export(request: HttpRequest, org: str, list_id: int) -> HttpResponseBase:
    organization = membership_for(request, org).organization
    person_list = list_of(organization, list_id)
    query = query_of(person_list)
    return stream_csv(
        request,
        organization,
        search(organization, query),
        name=exports.filename(organization, f"list-{person_list.pk}"),
        detail=f"list {person_list.pk}: {describe(query)}",
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def list_delete(request: HttpRequest, org: str, list_id: int) -> HttpResponse:
    organization = membership_for(request, org).organization
    person_list = list_of(organization, list_id)
    if request.method == "POST":
        name = person_list.name
        actions.delete_list(person_list)
        audit.record(
            organization,
            AuditEvent.Action.CHANGED,
            request=request,
            detail=f"list {list_id} deleted",
        )
        messages.success(
            request,
            _("“%(name)s” deleted. The people on it are still your supporters.") % {"name": name},
        )
        return see_other(reverse("people_manage:lists", args=[organization.slug]))
    return render(
        request,
        "people/manage/list_delete.html",
        {"organization": organization, "person_list": person_list},
    )

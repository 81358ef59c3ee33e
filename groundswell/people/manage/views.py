"""The organizer's people area: /manage/<org>/people/ (search, a person, add, edit, export).

An organization sees a person only through its own Supporter row: every view starts
from `Supporter.objects.visible_to(organization)`, so someone it does not know is the
same 404 as someone who does not exist. Pages, links and exports name a person by that
row's id, never the shared Person id (whose age would tell that someone was known
elsewhere). Lists and tags are in list_views/tag_views.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.core.spreadsheets import csv_lines
from groundswell.organizations.models import Membership, Organization, Role
from groundswell.organizations.permissions import membership_for, organizer_required
from groundswell.people import actions, audit
from groundswell.people.manage.forms import (
    AddPersonForm,
    BulkForm,
    EditSupporterForm,
    NameForm,
)
from groundswell.people.models import (
    AuditEvent,
    Channel,
    Consent,
    PersonList,
    Supporter,
    Tag,
)
from groundswell.people.phones import display_phone
from groundswell.people.restrictions import restriction_of
from groundswell.people.search import exports
from groundswell.people.search.queries import SearchForm, describe, matching
from groundswell.people.timeline import empty_message, timeline

PAGE_SIZE = 25
# Beyond this many results a page says "more than 10,000" instead of counting them all.
COUNT_CAP = 10_000


def see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def supporter_of(organization: Organization, supporter: int) -> Supporter:
    """The organization's record of a person, by its own id (the URLs' `supporter`);
    404, the same as for no such record, for another organization's."""
    return get_object_or_404(
        Supporter.objects.visible_to(organization).select_related("person", "organization"),
        pk=supporter,
    )


def search_url(organization: Organization, query: dict[str, Any], name: str = "list") -> str:
    url = reverse(f"people_manage:{name}", args=[organization.slug])
    return f"{url}?{urlencode(query)}" if query else url


def page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 100_000 else 1


def results_page(supporters: QuerySet[Supporter], page: int) -> dict[str, Any]:
    """One page of results, and how many there are in all, counted only up to COUNT_CAP
    (a COUNT(*) over a million supporters on every page would be the slowest part)."""
    start = (page - 1) * PAGE_SIZE
    rows = list(supporters[start : start + PAGE_SIZE + 1])
    total = supporters.order_by()[: COUNT_CAP + 1].count()
    return {
        "rows": rows[:PAGE_SIZE],
        "page": page,
        "has_previous": page > 1,
        "has_next": len(rows) > PAGE_SIZE,
        "total": min(total, COUNT_CAP),
        "more_than_cap": total > COUNT_CAP,
        "first_number": start + 1,
    }


def stream_csv(
    request: HttpRequest,
    organization: Organization,
    supporters: QuerySet[Supporter],
    *,
    name: str,
    detail: str,
) -> StreamingHttpResponse:
    """The supporters as a CSV download, noted in the audit log with how many rows."""
    audit.record(
        organization,
        AuditEvent.Action.EXPORTED,
        request=request,
        detail=detail,
        records=supporters.order_by().count(),
    )
    rows = exports.supporter_rows(organization, supporters)
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def record_search(
    request: HttpRequest, organization: Organization, query: dict[str, Any], *, what: str = ""
) -> None:
    """Note a search for a name or email address in the audit log (the filters only, never
    the text), whether typed on the search page or run from a saved search."""
    if query.get("q"):
        detail = f"{what}: {describe(query)}" if what else describe(query)
        audit.record(organization, AuditEvent.Action.SEARCHED, request=request, detail=detail)


def rights_links(membership: Membership, supporter: int) -> dict[str, str]:
    """Links to the supporter-rights page (copy, emailed link, erasure) and to erasure,
    for owners and admins; `supporter` is the organization's Supporter id."""
    if not membership.has_role(Role.ADMIN):
        return {}
    args = [membership.organization.slug, supporter]
    return {
        "rights": reverse("people_manage:rights", args=args),
        "erase": reverse("people_manage:erase", args=args),
    }


# --- Search ---------------------------------------------------------------------------------


@organizer_required
@require_safe
def people_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    form = SearchForm(request.GET, organization=organization)
    valid = form.is_valid()
    query = form.query() if valid else {}
    supporters = (
        matching(organization, form.cleaned_data)
        if valid
        else Supporter.objects.visible_to(organization).none()
    )
    if valid:
        record_search(request, organization, query)
    querystring = urlencode(query)
    return render(
        request,
        "people/manage/list.html",
        {
            "organization": organization,
            "form": form,
            "query": query,
            "querystring": querystring,
            "filtered": bool(query),
            "results": results_page(supporters, page_number(request)),
            "bulk_form": BulkForm(organization=organization),
            "save_form": NameForm(),
            "tags": Tag.objects.filter(organization=organization),
        },
    )


@organizer_required
@require_safe
def export(request: HttpRequest, org: str) -> HttpResponseBase:
    membership = membership_for(request, org)
    organization = membership.organization
    form = SearchForm(request.GET, organization=organization)
    if not form.is_valid():
        messages.error(request, _("Nothing was exported: the search has problems, shown below."))
        return see_other(search_url(organization, {}) + "?" + request.GET.urlencode())
    query = form.query()
    return stream_csv(
        request,
        organization,
        matching(organization, form.cleaned_data),
        name=exports.filename(organization),
        detail=describe(query),
    )


@organizer_required
@require_POST
def save_search(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    search = SearchForm(request.GET, organization=organization)
    form = NameForm(request.POST)
    if not search.is_valid():
        messages.error(request, _("Nothing was saved: the search has problems, shown below."))
        return see_other(search_url(organization, {}) + "?" + request.GET.urlencode())
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: give the saved search a name."))
        return see_other(search_url(organization, search.query()))
    if search.cleaned_data["q"]:
        # Stored, a name or address would outlive the person's erasure.
        messages.error(
            request,
            _(
                "Nothing was saved: a saved search keeps its filters only, never a name or "
                "an email address. Clear the name or email to save the other filters."
            ),
        )
        return see_other(search_url(organization, search.query()))
    saved = actions.create_list(
        organization,
        form.cleaned_data["name"],
        kind=PersonList.Kind.SAVED,
        query=search.query(),
        by=request.user,  # type: ignore[arg-type]
    )
    messages.success(request, _("Search saved as “%(name)s”.") % {"name": saved.name})
    return see_other(reverse("people_manage:list_detail", args=[organization.slug, saved.pk]))


@organizer_required
@require_POST
def bulk(request: HttpRequest, org: str) -> HttpResponse:
    """A tag or a list applied to the people ticked, or to every result of the search
    in the query string."""
    membership = membership_for(request, org)
    organization = membership.organization
    search = SearchForm(request.GET, organization=organization)
    form = BulkForm(request.POST, organization=organization)
    back = search_url(organization, search.query() if search.is_valid() else {})
    if not search.is_valid() or not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        problems += [str(e) for errors in search.errors.values() for e in errors]
        messages.error(
            request,
            _("Nothing was changed: %(problems)s") % {"problems": " ".join(problems)},
        )
        return see_other(back)
    data = form.cleaned_data
    if data["scope"] == "all":
        ids: Any = actions.person_ids(matching(organization, search.cleaned_data))
        detail = "all results: " + describe(search.query())
    else:
        ids = data["people"]
        detail = f"{len(ids)} selected"
    user = request.user
    operation = data["operation"]
    if operation in ("tag", "untag"):
        if operation == "tag":
            tag = actions.get_or_create_tag(organization, data["tag_name"])
        else:
            tag = data["tag"]
        if operation == "tag":
            n = actions.tag_people(tag, ids, by=user)  # type: ignore[arg-type]
            message = _("Tag “%(tag)s” added to %(n)s people.")
        else:
            n = actions.untag_people(tag, ids)
            message = _("Tag “%(tag)s” removed from %(n)s people.")
        messages.success(request, message % {"tag": tag.name, "n": n})
        what = f"tag {tag.pk} {operation}"
    else:
        person_list = data["person_list"] or actions.create_list(
            organization,
            data["new_list"],
            by=user,  # type: ignore[arg-type]
        )
        if operation == "add_to_list":
            n = actions.add_to_list(person_list, ids)
            message = _("%(n)s people added to “%(list)s”.")
        else:
            n = actions.remove_from_list(person_list, ids)
            message = _("%(n)s people removed from “%(list)s”.")
        messages.success(request, message % {"n": n, "list": person_list.name})
        what = f"list {person_list.pk} {operation}"
        if request.POST.get("next") == "list":
            back = reverse("people_manage:list_detail", args=[organization.slug, person_list.pk])
    audit.record(
        organization,
        AuditEvent.Action.CHANGED,
        request=request,
        detail=f"{what}; {detail}",
        records=n,
    )
    return see_other(back)


# --- One person ---------------------------------------------------------------------------


def consents_by_channel(supporter: Supporter) -> list[dict[str, Any]]:
    """This organization's consents only, one line per channel."""
    given = {
        consent.channel: consent
        for consent in Consent.objects.filter(
            person=supporter.person_id, organization=supporter.organization_id
        )
    }
    return [{"channel": label, "consent": given.get(value)} for value, label in Channel.choices]


@organizer_required
@require_safe
def person(request: HttpRequest, org: str, supporter: int) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    record = supporter_of(organization, supporter)
    person = record.person_id
    audit.record(organization, AuditEvent.Action.VIEWED, request=request, person=record.person)
    contactable = record.contactable  # type: ignore[attr-defined]
    contact = record.contact
    return render(
        request,
        "people/manage/person.html",
        {
            "organization": organization,
            "supporter": record,
            "contactable": contactable,
            "contact": contact,
            "some_shown": any(value is not None for value in contact.values()),
            "phone": display_phone(contact["phone"]) if contact["phone"] else "",
            "consents": consents_by_channel(record),
            "tags": Tag.objects.filter(organization=organization, taggings__person=person),
            "lists": PersonList.objects.filter(organization=organization, members__person=person),
            "timeline": timeline(record.person, organization),
            "empty_timeline": empty_message(),
            "rights": rights_links(membership, record.pk),
            "restriction": restriction_of(person, organization),
        },
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def add(request: HttpRequest, org: str) -> HttpResponse:
    """Add a person by hand. The answer (message, redirect to the record) is the same
    whether the address typed is held by nobody, by someone another organization knows,
    or by someone this one knows without seeing that address (people.actions.add_person
    keeps them apart); only its own record of them at that very address is named."""
    membership = membership_for(request, org)
    organization = membership.organization
    form = AddPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = actions.add_person(
                organization,
                fields=form.record(),
                consent_to_email=data["consent"] == "email",
                consent_note=data["consent_note"],
                tags=data["tags"],
                custom_fields=data["custom_fields"],
                by=request.user,  # type: ignore[arg-type]
            )
        except actions.Suppressed as refused:
            # The same words whoever knew them: people.actions.suppression.
            form.add_error(None, refused.message)
            return render(
                request,
                "people/manage/add.html",
                {"organization": organization, "form": form},
                status=400,
            )
        supporter = added.supporter
        audit.record(
            organization,
            AuditEvent.Action.CHANGED,
            request=request,
            person=supporter.person,
            detail="added by hand",
            records=1,
        )
        if added.already_known:
            messages.info(
                request,
                _(
                    "They were already among your supporters. Blank fields were filled in; "
                    "edit the record to change the others."
                ),
            )
        else:
            messages.success(request, _("Added to your supporters."))
        return see_other(reverse("people_manage:person", args=[organization.slug, supporter.pk]))
    return render(request, "people/manage/add.html", {"organization": organization, "form": form})


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, org: str, supporter: int) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    record = supporter_of(organization, supporter)
    tag_names = list(
        Tag.objects.filter(
            organization=organization, taggings__person=record.person_id
        ).values_list("name", flat=True)
    )
    form = EditSupporterForm(
        request.POST or None,
        initial=EditSupporterForm.initial_for(record, tag_names),
        changeable=actions.changeable(record),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = actions.update_supporter(
                record,
                changes=form.record(),
                tags=data["tags"],
                custom_fields=data["custom_fields"],
                by=request.user,  # type: ignore[arg-type]
            )
        except actions.Suppressed as refused:
            # The same words whoever knew them: people.actions.suppression.
            messages.error(request, str(refused.message))
            return see_other(reverse("people_manage:person", args=[organization.slug, record.pk]))
        if changed:
            audit.record(
                organization,
                AuditEvent.Action.CHANGED,
                request=request,
                person=record.person,
                detail="fields: " + ", ".join(changed),
                records=1,
            )
            messages.success(request, _("Changes saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return see_other(reverse("people_manage:person", args=[organization.slug, record.pk]))
    return render(
        request,
        "people/manage/edit.html",
        {"organization": organization, "supporter": record, "form": form},
    )

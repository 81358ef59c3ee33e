"""/manage/<org>/cases/types/: owners and case managers edit the organization's case
types (cases.case_types decides who may, and writes)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from groundswell.cases import case_types
from groundswell.cases.models import CaseType, is_case_manager
from groundswell.cases.type_forms import CaseTypeForm
from groundswell.organizations.models import Membership
from groundswell.organizations.permissions import membership_for, organizer_required


def _configurer(request: HttpRequest, org: str) -> Membership:
    membership = membership_for(request, org)
    if not case_types.may_configure(membership.organization, membership.user):
        raise PermissionDenied
    return membership


def _context(membership: Membership) -> dict[str, object]:
    return {
        "organization": membership.organization,
        "membership": membership,
        "section": "cases",
        "is_case_manager": is_case_manager(membership),
    }


@organizer_required
@require_safe
def types(request: HttpRequest, org: str) -> HttpResponse:
    membership = _configurer(request, org)
    found = CaseType.objects.filter(organization=membership.organization).prefetch_related(
        "statuses", "planned"
    )
    return render(request, "cases/manage/types.html", {**_context(membership), "types": found})


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def type_form(request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
    membership = _configurer(request, org)
    organization = membership.organization
    case_type = (
        get_object_or_404(CaseType, pk=pk, organization=organization) if pk is not None else None
    )
    initial = CaseTypeForm.initial_for(case_type) if case_type else {"statuses": "New\nClosed"}
    form = CaseTypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_types.save_case_type(
                organization,
                case_type=case_type,
                name=data["name"],
                emergency=data["emergency"],
                public=data["public"],
                statuses=data["statuses"],
                activity_types=data["activity_types"],
                planned=data["planned"],
                by=membership.user,
            )
        except case_types.CaseTypeRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The case type is saved."))
            return HttpResponseRedirect(reverse("cases_manage:types", args=[org]), status=303)
    return render(
        request,
        "cases/manage/type_form.html",
        {**_context(membership), "form": form, "case_type": case_type},
        status=400 if form.is_bound else 200,
    )

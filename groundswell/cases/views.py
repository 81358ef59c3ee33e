"""The public "request help for someone in prison" form: screened like the other public
forms (core.screening, a core.ratelimit domain), it lands in the organization's triage
queue; a medical emergency starts the emergency clock."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from groundswell.cases import actions
from groundswell.cases.forms import RequestForm
from groundswell.cases.models import Case, CaseType
from groundswell.core import screening
from groundswell.organizations.models import Organization
from groundswell.people.actions import Suppressed

REQUEST_SCREEN = screening.public_form(
    "Case request",
    salt="groundswell.cases.request",
    limit="case_request_by_ip",
    over_limit=gettext_lazy(
        "Too many requests came from your network in the last hour. Please try again later, "
        "or call the organization."
    ),
)


def _taking_requests(org: str) -> Organization:
    organization = get_object_or_404(Organization, slug=org)
    if not CaseType.objects.filter(organization=organization, public=True).exists():
        raise Http404
    return organization


@require_http_methods(["GET", "HEAD", "POST"])
def request_help(request: HttpRequest, org: str) -> HttpResponse:
    organization = _taking_requests(org)
    context: dict[str, Any] = {
        "organization": organization,
        "form_token": REQUEST_SCREEN.token(),
    }
    form = RequestForm(request.POST or None, organization=organization)
    context["form"] = form
    if request.method != "POST":
        return render(request, "cases/request.html", context)
    if not form.is_valid():
        return render(request, "cases/request.html", context, status=400)
    verdict = REQUEST_SCREEN.check(request, scope=organization.pk)
    thanks = reverse("cases:thanks", args=[organization.slug])
    if verdict.dropped:
        return HttpResponseRedirect(thanks, status=303)
    if verdict.refusal:
        context["refusal"] = verdict.refusal
        return verdict.finish(render(request, "cases/request.html", context, status=verdict.status))
    data = form.cleaned_data
    fields = {
        "case_type": data["case_type"],
        "client_name": data["client_name"],
        "idoc_number": data["idoc_number"],
        "facility": data["facility"],
        "description": data["description"],
        "source": Case.Source.REQUEST,
    }
    requester = actions.Requester(
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    try:
        actions.open_case(organization, requester=requester, **fields)
    except Suppressed:
        # Someone who erased their data is not brought back by a form: the request is
        # kept without them (an emergency is not dropped), and the page is the same.
        actions.open_case(organization, **fields)
    return HttpResponseRedirect(thanks, status=303)


@require_safe
def thanks(request: HttpRequest, org: str) -> HttpResponse:
    organization = _taking_requests(org)
    return render(request, "cases/thanks.html", {"organization": organization})

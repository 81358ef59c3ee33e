"""/manage/<org>/api/webhooks/: an organization's webhook endpoints, their secrets and
delivery logs, for its owners and admins (the same people who manage API tokens: an
endpoint receives supporters' data as a token would read it)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from groundswell.organizations.models import Membership, Role
from groundswell.organizations.permissions import membership_for
from groundswell.people import audit
from groundswell.people.models import AuditEvent
from groundswell.webhooks import actions
from groundswell.webhooks.forms import EndpointForm
from groundswell.webhooks.models import Delivery, Endpoint

LOG_PAGE_SIZE = 25


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    membership: Membership = context["membership"]
    response = render(
        request,
        template,
        {"organization": membership.organization, "section": "webhooks", **context},
    )
    # The pages show endpoint secrets: never kept by a browser or a proxy.
    patch_cache_control(response, private=True, no_cache=True, no_store=True)
    return response


def _endpoint_of(membership: Membership, pk: int) -> Endpoint:
    return get_object_or_404(Endpoint, organization=membership.organization, pk=pk)


def _to(name: str, membership: Membership, *args: object) -> HttpResponseRedirect:
    url = reverse(f"webhooks_manage:{name}", args=[membership.organization.slug, *args])
    return HttpResponseRedirect(url, status=303)


def _audit(request: HttpRequest, membership: Membership, detail: str) -> None:
    audit.record(membership.organization, AuditEvent.Action.API, request=request, detail=detail)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def endpoints(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    organization = membership.organization
    existing = Endpoint.objects.filter(organization=organization)
    form = EndpointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if existing.count() >= actions.MAX_ENDPOINTS:
            form.add_error(
                None,
                _("An organization can have at most %(count)s endpoints.")
                % {"count": actions.MAX_ENDPOINTS},
            )
        else:
            endpoint = actions.create_endpoint(
                organization,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                by=membership.user,
            )
            _audit(request, membership, f"Webhook endpoint {endpoint.pk} created")
            messages.success(
                request,
                _("The endpoint is ready. Use its secret to check that deliveries come from us."),
            )
            return _to("endpoint", membership, endpoint.pk)
    return _render(
        request,
        "webhooks/manage/endpoints.html",
        {"membership": membership, "endpoints": existing, "form": form},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def endpoint(request: HttpRequest, org: str, endpoint: int) -> HttpResponse:
    """One endpoint: its secret, its settings (POST changes them) and its delivery log."""
    membership = membership_for(request, org, Role.ADMIN)
    found = _endpoint_of(membership, endpoint)
    initial = {"url": found.url, "events": found.events}
    form = EndpointForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_endpoint(
            found, url=form.cleaned_data["url"], events=form.cleaned_data["events"]
        )
        _audit(request, membership, f"Webhook endpoint {found.pk} changed")
        messages.success(request, _("Saved."))
        return _to("endpoint", membership, found.pk)
    page = Paginator(found.deliveries.order_by("-created_at", "-pk"), LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "webhooks/manage/endpoint.html",
        {"membership": membership, "endpoint": found, "form": form, "page": page},
    )


@require_POST
@login_required
def rotate(request: HttpRequest, org: str, endpoint: int) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    found = _endpoint_of(membership, endpoint)
    actions.rotate_secret(found)
    _audit(request, membership, f"Webhook endpoint {found.pk} secret rotated")
    messages.success(
        request, _("The endpoint has a new secret. Give it to your system: the old one is void.")
    )
    return _to("endpoint", membership, found.pk)


@require_POST
@login_required
def set_active(request: HttpRequest, org: str, endpoint: int) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    found = _endpoint_of(membership, endpoint)
    active = request.POST.get("active") == "1"
    actions.set_active(found, active)
    _audit(
        request,
        membership,
        f"Webhook endpoint {found.pk} {'activated' if active else 'deactivated'}",
    )
    if active:
        messages.success(request, _("The endpoint receives events again."))
    else:
        messages.success(request, _("The endpoint is paused: nothing is sent to it."))
    return _to("endpoint", membership, found.pk)


@require_POST
@login_required
def delete(request: HttpRequest, org: str, endpoint: int) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    found = _endpoint_of(membership, endpoint)
    actions.delete_endpoint(found)
    _audit(request, membership, f"Webhook endpoint {endpoint} deleted")
    messages.success(request, _("The endpoint and its delivery log are deleted."))
    return _to("endpoints", membership)


@require_POST
@login_required
def redeliver(request: HttpRequest, org: str, endpoint: int, delivery: int) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    found = _endpoint_of(membership, endpoint)
    original = get_object_or_404(Delivery, endpoint=found, pk=delivery)
    if actions.redeliver(original) is None:
        messages.error(
            request, _("This delivery cannot be sent again now (still being tried, or paused).")
        )
    else:
        messages.success(request, _("The event is on its way again."))
    return _to("endpoint", membership, found.pk)

"""The organizer area for outreach actions: /manage/<org>/outreach/.

Organizers of the owner organization list, create and edit its actions, see the
results per office and download the participants who agreed to hear from it. Anyone
else: 403 for an organization they do not organize at, 404 for another
organization's action.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from groundswell.core.spreadsheets import csv_lines
from groundswell.organizations.models import Membership
from groundswell.organizations.permissions import membership_for, organizer_required
from groundswell.outreach import actions
from groundswell.outreach import results as tallies
from groundswell.outreach.manage_forms import ActionForm
from groundswell.outreach.models import MessageState, OfficeMessage, OutreachAction

logger = logging.getLogger(__name__)


def _owned(request: HttpRequest, org: str, slug: str) -> tuple[Membership, OutreachAction]:
    membership = membership_for(request, org)
    action = get_object_or_404(
        OutreachAction.objects.owned_by(membership.organization).select_related("owner"),
        slug=slug,
    )
    return membership, action


def _results_url(action: OutreachAction) -> str:
    return reverse("outreach_manage:results", args=[action.owner.slug, action.slug])


def _slug_taken() -> str:
    return _("Another action just took this short name. Choose another.")


@organizer_required
@require_safe
def action_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    return render(
        request,
        "outreach/manage/list.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "outreach",
            "outreach_actions": OutreachAction.objects.owned_by(organization),
        },
    )


@organizer_required
@require_safe
def results(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, action = _owned(request, org, slug)
    rows = tallies.by_office(action)
    return render(
        request,
        "outreach/manage/results.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "section": "outreach",
            "action": action,
            "rows": rows,
            "outcomes": tallies.OUTCOMES,
            "waiting": OfficeMessage.objects.filter(
                action=action, state=MessageState.CONFIRMED
            ).count(),
            "unconfirmed": OfficeMessage.objects.filter(
                action=action, state=MessageState.PENDING
            ).count(),
            "total_sent": sum(r.sent for r in rows),
            "total_calls": sum(r.call_total for r in rows),
            "embed_url": request.build_absolute_uri(reverse("outreach:embed", args=[action.slug])),
        },
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, organization=organization)
        if form.is_valid():
            try:
                action = actions.create_action(
                    owner=organization, created_by=membership.user, **form.action_fields()
                )
            except IntegrityError:
                form.add_error("slug", _slug_taken())
            else:
                messages.success(request, _("“%(title)s” is saved.") % {"title": action.title})
                return HttpResponseRedirect(_results_url(action), status=303)
        status = 400
    else:
        form = ActionForm(organization=organization)
    return render(
        request,
        "outreach/manage/form.html",
        {"organization": organization, "section": "outreach", "form": form, "action": None},
        status=status,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, action = _owned(request, org, slug)
    organization = membership.organization
    instance = OutreachAction.objects.get(pk=action.pk)  # the form writes into its instance
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST, instance=instance, organization=organization)
        if form.is_valid():
            try:
                actions.update_action(action, **form.action_fields())
            except IntegrityError:
                form.add_error("slug", _slug_taken())
            else:
                messages.success(request, _("Your changes are saved."))
                return HttpResponseRedirect(_results_url(action), status=303)
        status = 400
    else:
        form = ActionForm(instance=instance, organization=organization)
    return render(
        request,
        "outreach/manage/form.html",
        {"organization": organization, "section": "outreach", "form": form, "action": action},
        status=status,
    )


@organizer_required
@require_safe
def export(request: HttpRequest, org: str, slug: str) -> StreamingHttpResponse:
    membership, action = _owned(request, org, slug)
    logger.info(
        "Participants of outreach action %s exported for organization %s by user %s",
        action.slug,
        membership.organization.slug,
        request.user.pk,
    )
    response = StreamingHttpResponse(
        csv_lines(tallies.participant_rows(action)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{tallies.filename(action)}"'
    patch_cache_control(response, private=True, no_store=True)
    return response

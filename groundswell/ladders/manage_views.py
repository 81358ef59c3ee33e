"""The organizer area for automatic follow-ups: /manage/<org>/ladders/.

Organizers list their organization's ladders, create them, add and change steps, start
and pause them, and see how many people sit at each step. 403 for an organization they
do not organize at, 404 for another organization's ladder. Every change goes through
ladders.actions, which decides who may make it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.ladders import actions
from groundswell.ladders.figures import figures
from groundswell.ladders.manage_forms import LadderForm, StepForm
from groundswell.ladders.models import Ladder, Step
from groundswell.organizations.models import Membership
from groundswell.organizations.permissions import membership_for, organizer_required


def _owned(request: HttpRequest, org: str, pk: int) -> tuple[Membership, Ladder]:
    membership = membership_for(request, org)
    ladder = get_object_or_404(Ladder.objects.owned_by(membership.organization), pk=pk)
    return membership, ladder


def _detail_url(ladder: Ladder) -> str:
    return reverse("ladders_manage:detail", args=[ladder.organization.slug, ladder.pk])


@organizer_required
@require_safe
def ladder_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    return render(
        request,
        "ladders/manage/list.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "ladders",
            "ladders": Ladder.objects.owned_by(organization),
        },
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
    if pk is None:
        membership, ladder = membership_for(request, org), None
    else:
        membership, ladder = _owned(request, org, pk)
    organization = membership.organization
    initial = {}
    if ladder is not None:
        initial = {
            "name": ladder.name,
            "trigger": ladder.trigger,
            "petition": ladder.petition_id,
            "event": ladder.event_id,
            "tag": ladder.tag_id,
            "person_list": ladder.person_list_id,
        }
    form = LadderForm(request.POST or None, initial=initial, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            ladder = actions.save_ladder(
                membership,
                ladder,
                name=form.cleaned_data["name"],
                trigger=form.cleaned_data["trigger"],
                target=form.target(),
            )
        except actions.Refused as refused:
            form.add_error(None, refused.message)
        else:
            return HttpResponseRedirect(_detail_url(ladder))
    return render(
        request,
        "ladders/manage/form.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "ladders",
            "ladder": ladder,
            "form": form,
        },
    )


@organizer_required
@require_safe
def detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership, ladder = _owned(request, org, pk)
    return render(
        request,
        "ladders/manage/detail.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "section": "ladders",
            "ladder": ladder,
            "figures": figures(ladder),
        },
    )


@organizer_required
@require_POST
def activate(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership, ladder = _owned(request, org, pk)
    try:
        actions.set_active(membership, ladder, request.POST.get("active") == "1")
    except actions.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("The follow-up is running.") if ladder.active else _("Follow-up paused.")
        )
    return HttpResponseRedirect(_detail_url(ladder))


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def step(request: HttpRequest, org: str, pk: int, step_pk: int | None = None) -> HttpResponse:
    membership, ladder = _owned(request, org, pk)
    found = None if step_pk is None else get_object_or_404(Step, ladder=ladder, pk=step_pk)
    initial = {}
    if found is not None:
        initial = {
            "kind": found.kind,
            "wait_days": found.wait_hours // 24,
            "wait_hours": found.wait_hours % 24,
            "subject": found.subject,
            "body": found.body,
            "condition": found.condition,
            "tag": found.tag_id,
            "person_list": found.person_list_id,
            "event": found.event_id,
            "petition": found.petition_id,
        }
    form = StepForm(request.POST or None, initial=initial, organization=membership.organization)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_step(membership, ladder, found, **form.values())
        except actions.Refused as refused:
            form.add_error(None, refused.message)
        else:
            return HttpResponseRedirect(_detail_url(ladder))
    return render(
        request,
        "ladders/manage/step.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "section": "ladders",
            "ladder": ladder,
            "step": found,
            "form": form,
        },
    )


@organizer_required
@require_POST
def delete_step(request: HttpRequest, org: str, pk: int, step_pk: int) -> HttpResponse:
    membership, ladder = _owned(request, org, pk)
    found = get_object_or_404(Step, ladder=ladder, pk=step_pk)
    try:
        actions.delete_step(membership, found)
    except actions.Refused as refused:
        messages.error(request, refused.message)
    return HttpResponseRedirect(_detail_url(ladder))

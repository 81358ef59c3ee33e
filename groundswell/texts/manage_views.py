"""The organizer area for texts: /manage/<org>/texts/.

Organizers list, write, preview (segments and the exact number of recipients) and send
their organization's texts, and follow their figures; owners and admins set the time
zone of quiet hours. Anyone else: 403 for an organization they do not organize at, 404
for another organization's text. Every change goes through texts.actions.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.organizations.models import Membership, Role
from groundswell.organizations.permissions import membership_for, organizer_required
from groundswell.texts import actions, audience, figures, segments
from groundswell.texts.compose import MAX_SEGMENTS, compose
from groundswell.texts.manage_forms import BlastForm, TimeZoneForm
from groundswell.texts.models import Blast, BlastState
from groundswell.texts.quiet import zone_of


def _owned(request: HttpRequest, org: str, pk: int) -> tuple[Membership, Blast]:
    membership = membership_for(request, org)
    blast = get_object_or_404(
        Blast.objects.owned_by(membership.organization).select_related("organization"), pk=pk
    )
    return membership, blast


def _detail_url(blast: Blast) -> str:
    return reverse("texts_manage:detail", args=[blast.organization.slug, blast.pk])


@organizer_required
@require_safe
def blast_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    return render(
        request,
        "texts/manage/list.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "texts",
            "blasts": Blast.objects.owned_by(organization),
            "may_set_rules": membership.has_role(Role.ADMIN),
            "time_zone": zone_of(organization),
        },
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
    if pk is None:
        membership, blast = membership_for(request, org), None
    else:
        membership, blast = _owned(request, org, pk)
        if not blast.editable:
            messages.error(request, _("Only a draft can be changed."))
            return HttpResponseRedirect(_detail_url(blast))
    organization = membership.organization
    if request.method == "POST":
        form = BlastForm(request.POST, organization=organization)
        if form.is_valid():
            try:
                blast = actions.save_blast(
                    membership,
                    blast,
                    body=form.cleaned_data["body"],
                    language=form.cleaned_data["language"],
                    chosen=form.chosen(),
                )
            except actions.Refused as refused:
                form.add_error(None, str(refused.message))
            else:
                messages.success(request, _("Text saved. Check the preview before sending."))
                return HttpResponseRedirect(_detail_url(blast))
    else:
        initial = BlastForm.initial_for(blast) if blast else {"language": "en"}
        form = BlastForm(initial=initial, organization=organization)
    return render(
        request,
        "texts/manage/form.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "texts",
            "blast": blast,
            "form": form,
            # The whole text around the message, per language, for the live count.
            "around": [
                (code, compose(organization.name, "{}", code)) for code in actions.LANGUAGES
            ],
        },
    )


@organizer_required
@require_safe
def detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership, blast = _owned(request, org, pk)
    organization = blast.organization
    text = compose(organization.name, blast.body, blast.language)
    return render(
        request,
        "texts/manage/detail.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "texts",
            "blast": blast,
            "text": text,
            "segments": segments.count(text),
            "max_segments": MAX_SEGMENTS,
            "count": audience.count(organization, blast.audience)
            if blast.state == BlastState.DRAFT
            else None,
            "figures": figures.of(blast),
            "under_way": blast.state == BlastState.SENDING,
        },
    )


@organizer_required
@require_safe
def progress(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    _membership, blast = _owned(request, org, pk)
    data: dict[str, object] = {**figures.of(blast).as_dict(), "state": blast.state}
    data["state_label"] = str(blast.get_state_display())
    return JsonResponse(data)


@organizer_required
@require_POST
def change(request: HttpRequest, org: str, pk: int, step: str) -> HttpResponse:
    membership, blast = _owned(request, org, pk)
    try:
        if step == "send":
            actions.send_now(membership, blast)
            messages.success(request, _("The text is being sent."))
        elif step == "cancel":
            actions.cancel(membership, blast)
            messages.success(request, _("Cancelled: nobody still waiting will receive it."))
        elif step == "delete":
            actions.delete_draft(membership, blast)
            messages.success(request, _("Draft deleted."))
            return HttpResponseRedirect(reverse("texts_manage:list", args=[org]))
        else:
            return HttpResponse(status=404)
    except actions.Refused as refused:
        messages.error(request, str(refused.message))
    return HttpResponseRedirect(_detail_url(blast))


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def text_settings(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    organization = membership.organization
    if request.method == "POST":
        form = TimeZoneForm(request.POST)
        if form.is_valid():
            try:
                actions.set_time_zone(membership, form.cleaned_data["time_zone"])
            except actions.Refused as refused:
                form.add_error(None, str(refused.message))
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(reverse("texts_manage:list", args=[org]))
    else:
        form = TimeZoneForm(initial={"time_zone": zone_of(organization)})
    return render(
        request,
        "texts/manage/settings.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "texts",
            "form": form,
        },
    )

"""The organizer area's delivery pages, under /manage/<org>/petitions/<slug>/: the
ward map and table, recording a delivery, and the delivery packets (asked for, made by
the worker, downloaded).

Packets hold signers' names (and the email addresses some agreed to share with the
owner), so only the owner organization's organizers ask for and download them; anyone
else gets the same 404 as for a petition that is not theirs.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.organizations.models import Membership
from groundswell.organizations.permissions import membership_for, organizer_required
from groundswell.petitions import actions, counts
from groundswell.petitions.delivery import thresholds, wards
from groundswell.petitions.delivery.forms import DeliveryForm, PacketForm
from groundswell.petitions.models import DeliveryPacket, Petition, PetitionCount

logger = logging.getLogger(__name__)


def _owned(request: HttpRequest, org: str, slug: str) -> tuple[Membership, Petition]:
    """The petition, if the organization in the URL owns it and the user organizes
    there; 404 otherwise (co-sponsors included: a packet is the owner's)."""
    membership = membership_for(request, org)
    petition = get_object_or_404(
        Petition.objects.select_related("owner", "count"),
        slug=slug,
        owner=membership.organization,
    )
    return membership, petition


def _dashboard_url(petition: Petition, anchor: str = "") -> str:
    url = reverse("petitions_manage:dashboard", args=[petition.owner.slug, petition.slug])
    return f"{url}#{anchor}" if anchor else url


def delivery_context(petition: Petition, *, can_edit: bool) -> dict[str, Any]:
    """What the dashboard shows of delivery: each target's threshold state, the signers
    by ward (map and table), deliveries and, for the owner, the packets."""
    count = getattr(petition, "count", None) or PetitionCount(petition=petition)
    by_ward = wards.signers_by_ward(petition)
    return {
        "target_states": thresholds.target_states(petition, count.verified),
        "ward_rows": wards.ward_rows(petition, by_ward),
        "ward_map": wards.ward_map(petition, by_ward, element_id="ward-map"),
        "deliveries": list(petition.deliveries.prefetch_related("targets")),
        "packets": (list(petition.packets.select_related("target")[:20]) if can_edit else []),
        "packet_form": PacketForm(petition=petition) if can_edit else None,
    }


@organizer_required
@require_safe
def ward_map(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    """The ward map and its table on a page of their own (the dashboard links here)."""
    membership = membership_for(request, org)
    petition = get_object_or_404(
        Petition.objects.involving(membership.organization).select_related("owner", "count"),
        slug=slug,
    )
    by_ward = wards.signers_by_ward(petition)
    return render(
        request,
        "petitions/manage/wards.html",
        {
            "organization": membership.organization,
            "petition": petition,
            "ward_rows": wards.ward_rows(petition, by_ward),
            "ward_map": wards.ward_map(petition, by_ward, element_id="ward-map"),
            "figures": counts.district_figures(petition),
        },
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def delivery_create(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, petition = _owned(request, org, slug)
    status = 200
    if request.method == "POST":
        form = DeliveryForm(request.POST, petition=petition)
        if form.is_valid():
            actions.record_delivery(petition, recorded_by=membership.user, **form.delivery_fields())
            messages.success(request, _("The delivery is recorded on the petition page."))
            return HttpResponseRedirect(_dashboard_url(petition, "delivery-heading"), status=303)
        status = 400
    else:
        form = DeliveryForm(petition=petition)
    return render(
        request,
        "petitions/manage/delivery_form.html",
        {"organization": membership.organization, "petition": petition, "form": form},
        status=status,
    )


@organizer_required
@require_POST
def packet_request(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, petition = _owned(request, org, slug)
    form = PacketForm(request.POST, petition=petition)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return HttpResponseRedirect(_dashboard_url(petition, "packets-heading"), status=303)
    target = form.cleaned_data["target"]
    actions.request_packet(
        petition, target, by=membership.user, language=translation.get_language() or "en"
    )
    messages.success(
        request,
        _("The packet for %(target)s is being made. It appears below when it is ready.")
        % {"target": str(target)},
    )
    return HttpResponseRedirect(_dashboard_url(petition, "packets-heading"), status=303)


@organizer_required
@require_safe
def packet_download(
    request: HttpRequest, org: str, slug: str, packet: int, kind: str
) -> FileResponse:
    _membership, petition = _owned(request, org, slug)
    if kind not in ("pdf", "csv"):
        raise Http404
    found = get_object_or_404(DeliveryPacket, pk=packet, petition=petition)
    file = found.pdf if kind == "pdf" else found.csv
    if not found.is_ready or not file:
        raise Http404
    logger.info(
        "Delivery packet %s (%s) of petition %s downloaded by user %s",
        found.pk,
        kind,
        petition.slug,
        request.user.pk,
    )
    name = f"{petition.slug}-packet-{found.target_id}-{found.pk}.{kind}"
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="application/pdf" if kind == "pdf" else "text/csv; charset=utf-8",
    )
    patch_cache_control(response, private=True, no_store=True)
    return response

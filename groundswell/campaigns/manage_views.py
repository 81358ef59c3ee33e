"""The organizer area for campaigns: /manage/<org>/campaigns/.

Organizers of the owner organization write (create, edit, demands and their status,
moderating sign-ons); organizers of partner organizations read (list and dashboard).
Anyone else: 403 for an organization they do not organize at, 404 for a campaign that
organization has no part in.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.campaigns import actions
from groundswell.campaigns.manage_forms import CampaignForm, DemandChangeForm, DemandForm
from groundswell.campaigns.models import (
    Campaign,
    Demand,
    Endorsement,
    EndorsementState,
    PartnerInvitation,
)
from groundswell.campaigns.views import demands_with_history
from groundswell.organizations import answering
from groundswell.organizations.models import Membership, Role
from groundswell.organizations.permissions import membership_for, organizer_required


def _involved(request: HttpRequest, org: str, slug: str) -> tuple[Membership, Campaign]:
    """The campaign, if the organization in the URL owns it or is a partner in it and
    the user organizes there."""
    membership = membership_for(request, org)
    campaign = get_object_or_404(
        Campaign.objects.involving(membership.organization).select_related("owner"), slug=slug
    )
    return membership, campaign


def _owned(request: HttpRequest, org: str, slug: str) -> tuple[Membership, Campaign]:
    """As _involved, and only the owner organization's staff may change the campaign."""
    membership, campaign = _involved(request, org, slug)
    if campaign.owner_id != membership.organization_id:
        raise PermissionDenied
    return membership, campaign


def _demand(campaign: Campaign, demand_id: int) -> Demand:
    return get_object_or_404(Demand, pk=demand_id, campaign=campaign)


def _dashboard_url(campaign: Campaign) -> str:
    return reverse("campaigns_manage:dashboard", args=[campaign.owner.slug, campaign.slug])


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


# --- Listing and dashboard ----------------------------------------------------------------


@organizer_required
@require_safe
def campaign_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    campaigns = (
        Campaign.objects.involving(organization).select_related("owner").order_by("-created_at")
    )
    return render(
        request,
        "campaigns/manage/list.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "campaigns",
            "campaigns": campaigns,
        },
    )


@organizer_required
@require_safe
def dashboard(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, campaign = _involved(request, org, slug)
    can_edit = campaign.owner_id == membership.organization_id
    demands = demands_with_history(campaign)
    endorsements = list(
        Endorsement.objects.filter(campaign=campaign)
        .exclude(state=EndorsementState.PENDING)
        .select_related("demand")
        .order_by("state", "-verified_at")
    )
    return render(
        request,
        "campaigns/manage/dashboard.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "section": "campaigns",
            "campaign": campaign,
            "can_edit": can_edit,
            "partners": [o for o in campaign.partners.all() if o.pk != campaign.owner_id],
            "invited": PartnerInvitation.objects.pending()
            .filter(campaign=campaign)
            .select_related("organization"),
            "demands": demands,
            "score": actions.scoreboard(demands),
            "awaiting": [e for e in endorsements if e.state == EndorsementState.VERIFIED],
            "decided": [e for e in endorsements if e.state != EndorsementState.VERIFIED],
            "unconfirmed": Endorsement.objects.filter(
                campaign=campaign, state=EndorsementState.PENDING
            ).count(),
        },
    )


# --- Creating and editing -----------------------------------------------------------------


def _slug_taken() -> str:
    """For the rare race: the short name was free when checked, taken when saved."""
    return _("Another campaign just took this short name. Choose another.")


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    status = 200
    if request.method == "POST":
        form = CampaignForm(request.POST, request.FILES, organization=organization)
        if form.is_valid():
            try:
                campaign = actions.create_campaign(
                    owner=organization,
                    created_by=membership.user,
                    partners=list(form.cleaned_data["partners"]),
                    **form.campaign_fields(),
                )
            except IntegrityError:
                form.add_error("slug", _slug_taken())
            else:
                messages.success(
                    request,
                    _("“%(title)s” is saved. Now add its demands.") % {"title": campaign.title},
                )
                return _see_other(_dashboard_url(campaign))
        status = 400
    else:
        form = CampaignForm(organization=organization)
    return render(
        request,
        "campaigns/manage/form.html",
        {"organization": organization, "form": form, "campaign": None},
        status=status,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, campaign = _owned(request, org, slug)
    organization = membership.organization
    # The form writes into its instance while validating; keep `campaign` as saved.
    instance = Campaign.objects.get(pk=campaign.pk)
    status = 200
    if request.method == "POST":
        form = CampaignForm(
            request.POST, request.FILES, instance=instance, organization=organization
        )
        if form.is_valid():
            try:
                actions.update_campaign(
                    campaign,
                    partners=list(form.cleaned_data["partners"]),
                    by=membership.user,
                    **form.campaign_fields(),
                )
            except IntegrityError:
                form.add_error("slug", _slug_taken())
            else:
                messages.success(request, _("Your changes are saved."))
                return _see_other(_dashboard_url(campaign))
        status = 400
    else:
        form = CampaignForm(instance=instance, organization=organization)
    return render(
        request,
        "campaigns/manage/form.html",
        {"organization": organization, "form": form, "campaign": campaign},
        status=status,
    )


# --- Demands ------------------------------------------------------------------------------


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def demand_create(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, campaign = _owned(request, org, slug)
    form = DemandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        demand = actions.add_demand(campaign, **form.cleaned_data)
        messages.success(request, _("Demand %(number)s is added.") % {"number": demand.number})
        return _see_other(_dashboard_url(campaign))
    return render(
        request,
        "campaigns/manage/demand_form.html",
        {"organization": membership.organization, "campaign": campaign, "form": form},
        status=400 if form.is_bound else 200,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def demand_edit(request: HttpRequest, org: str, slug: str, demand: int) -> HttpResponse:
    membership, campaign = _owned(request, org, slug)
    item = _demand(campaign, demand)
    form = DemandForm(
        request.POST or None,
        initial={"title": item.title, "details": item.details, "matter": item.matter_id},
    )
    if request.method == "POST" and form.is_valid():
        actions.update_demand(item, **form.cleaned_data)
        messages.success(request, _("Your changes are saved."))
        return _see_other(_dashboard_url(campaign))
    return render(
        request,
        "campaigns/manage/demand_form.html",
        {
            "organization": membership.organization,
            "campaign": campaign,
            "demand": item,
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@organizer_required
@require_POST
def demand_move(request: HttpRequest, org: str, slug: str, demand: int) -> HttpResponse:
    _membership, campaign = _owned(request, org, slug)
    item = _demand(campaign, demand)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Choose to move the demand up or down."))
    elif not actions.move_demand(item, -1 if direction == "up" else 1):
        messages.error(request, _("The demand is already at that end of the list."))
    return _see_other(_dashboard_url(campaign) + f"#demand-{item.pk}")


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def demand_status(request: HttpRequest, org: str, slug: str, demand: int) -> HttpResponse:
    membership, campaign = _owned(request, org, slug)
    item = _demand(campaign, demand)
    form = DemandChangeForm(request.POST or None, initial={"status": item.status})
    if request.method == "POST" and form.is_valid():
        change = actions.change_demand(item, changed_by=membership.user, **form.cleaned_data)
        if change.changes_status:
            message = _("Demand %(number)s is now “%(status)s”.") % {
                "number": item.number,
                "status": change.get_to_status_display(),
            }
        else:
            message = _("The evidence for demand %(number)s is added.") % {"number": item.number}
        messages.success(request, message)
        return _see_other(_dashboard_url(campaign) + f"#demand-{item.pk}")
    return render(
        request,
        "campaigns/manage/demand_status.html",
        {
            "organization": membership.organization,
            "campaign": campaign,
            "demand": item,
            "form": form,
            "history": list(item.changes.select_related("changed_by")),
        },
        status=400 if form.is_bound else 200,
    )


# --- Sign-ons -----------------------------------------------------------------------------


@organizer_required
@require_POST
def moderate(request: HttpRequest, org: str, slug: str, endorsement: int) -> HttpResponse:
    membership, campaign = _owned(request, org, slug)
    item = get_object_or_404(Endorsement, pk=endorsement, campaign=campaign)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose to approve or reject the endorsement."))
        return _see_other(_dashboard_url(campaign))
    try:
        actions.moderate_endorsement(item, approve=decision == "approve", by=membership.user)
    except actions.ModerationError:
        messages.error(
            request,
            _("This endorsement is not confirmed by email yet. Nothing was changed."),
        )
    else:
        text = (
            _("%(organization)s is shown as endorsing.")
            if decision == "approve"
            else _("%(organization)s is rejected and not shown.")
        )
        messages.success(request, text % {"organization": item.organization_name})
    return _see_other(_dashboard_url(campaign) + "#endorsements")


# --- Partnerships: invitations to this organization ---------------------------------------


def _partnerships_url(org: str) -> str:
    return reverse("campaigns_manage:partnerships", args=[org])


@organizer_required
@require_safe
def partnerships(request: HttpRequest, org: str) -> HttpResponse:
    """The invitations to be a partner that wait for this organization's answer, with
    what each campaign is about, and the campaigns it is a partner in."""
    membership = membership_for(request, org)
    organization = membership.organization
    return render(
        request,
        "campaigns/manage/partnerships.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "campaigns",
            "can_answer": membership.has_role(Role.ADMIN),
            "invitations": PartnerInvitation.objects.pending()
            .addressed_to(organization)
            .select_related("campaign", "campaign__owner"),
            "partnered": organization.campaigns_partnered.select_related("owner").order_by(
                "-created_at"
            ),
        },
    )


def _invitation_to(membership: Membership, invitation: int) -> PartnerInvitation:
    return answering.invitation_to(PartnerInvitation, membership, invitation, "campaign")


@organizer_required
@require_POST
def accept_partnership(request: HttpRequest, org: str, invitation: int) -> HttpResponse:
    membership = membership_for(request, org)
    target = _invitation_to(membership, invitation)
    return answering.answer(
        request,
        lambda: actions.accept_partnership(membership, target),
        done=_("%(organization)s is now a partner in “%(title)s”.")
        % {"organization": membership.organization.name, "title": target.campaign.title},
        then=reverse("campaigns_manage:dashboard", args=[org, target.campaign.slug]),
        refused=_partnerships_url(org),
    )


@organizer_required
@require_POST
def decline_partnership(request: HttpRequest, org: str, invitation: int) -> HttpResponse:
    membership = membership_for(request, org)
    target = _invitation_to(membership, invitation)
    return answering.answer(
        request,
        lambda: actions.decline_partnership(membership, target),
        done=_("You declined to be a partner in “%(title)s”.") % {"title": target.campaign.title},
        then=_partnerships_url(org),
        refused=_partnerships_url(org),
    )


@organizer_required
@require_POST
def leave(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, campaign = _involved(request, org, slug)
    return answering.answer(
        request,
        lambda: actions.leave_campaign(membership, campaign),
        done=_("%(organization)s is no longer a partner in “%(title)s”.")
        % {"organization": membership.organization.name, "title": campaign.title},
        then=_partnerships_url(org),
        refused=reverse("campaigns_manage:dashboard", args=[org, campaign.slug]),
    )

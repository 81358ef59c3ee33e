"""The organizer area for petitions: /manage/<org>/petitions/.

Organizers of the owner organization write (create, edit, publish, close, victory,
updates, responses); organizers of co-sponsoring organizations read (dashboard,
preview, export of the signers who consented to them). An organization named as
co-sponsor answers its invitation at /manage/<org>/petitions/sponsorships/.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.organizations import answering
from groundswell.organizations.models import InvitationState, Membership, Role
from groundswell.organizations.permissions import membership_for, organizer_required
from groundswell.petitions import actions, charts, delivery_views, exports, goals
from groundswell.petitions.forms import SignatureForm
from groundswell.petitions.manage_forms import (
    PetitionForm,
    ResponseForm,
    UpdateForm,
    VictoryForm,
)
from groundswell.petitions.models import (
    Petition,
    PetitionCount,
    Signature,
    SponsorInvitation,
    Status,
)
from groundswell.petitions.target_forms import target_formset

logger = logging.getLogger(__name__)


def _slug_taken() -> str:
    """For the rare race: the short name was free when checked, taken when saved."""
    return _("Another petition just took this short name. Choose another.")


def _involved(request: HttpRequest, org: str, slug: str) -> tuple[Membership, Petition]:
    """The petition, if the organization in the URL owns or co-sponsors it and the user
    organizes there. 403 for anyone else; 404 for a petition not in this area."""
    membership = membership_for(request, org)
    petition = get_object_or_404(
        Petition.objects.involving(membership.organization).select_related("owner", "count"),
        slug=slug,
    )
    return membership, petition


def _owned(request: HttpRequest, org: str, slug: str) -> tuple[Membership, Petition]:
    """As _involved, and only the owner organization may change the petition."""
    membership, petition = _involved(request, org, slug)
    if petition.owner_id != membership.organization_id:
        raise PermissionDenied
    return membership, petition


def _dashboard_url(petition: Petition) -> str:
    return reverse("petitions_manage:dashboard", args=[petition.owner.slug, petition.slug])


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _count(petition: Petition) -> PetitionCount:
    """The folded counts; zeros before the worker's first fold."""
    count = getattr(petition, "count", None)
    return count if count is not None else PetitionCount(petition=petition)


def _consenting_signers(petition: Petition) -> int:
    """How many verified signers agreed to hear from the owner: who an update reaches."""
    return Signature.objects.filter(petition=petition).contactable_by(petition.owner).count()


# --- Listing and dashboard ----------------------------------------------------------------


@organizer_required
@require_safe
def petition_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    petitions = (
        Petition.objects.involving(organization)
        .select_related("owner", "count")
        .order_by("-created_at")
    )
    return render(
        request,
        "petitions/manage/list.html",
        {"organization": organization, "petitions": petitions},
    )


@organizer_required
@require_safe
def dashboard(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, petition = _involved(request, org, slug)
    count = _count(petition)
    daily = charts.signatures_by_day(petition)
    sources = charts.signatures_by_source(petition)
    can_edit = petition.owner_id == membership.organization_id
    return render(
        request,
        "petitions/manage/dashboard.html",
        {
            "organization": membership.organization,
            "petition": petition,
            "can_edit": can_edit,
            "count": count,
            "goal": goals.goal_for(count.shown),
            "milestones": list(petition.milestones.all()),
            "targets": list(petition.targets.all()),
            "sponsors": petition.organizations,
            "invited": (
                petition.sponsor_invitations.filter(
                    state__in=[InvitationState.PENDING, InvitationState.DECLINED]
                ).select_related("organization")
                if can_edit
                else []
            ),
            "can_stop_sponsoring": not can_edit and membership.has_role(Role.ADMIN),
            "daily": daily,
            "daily_chart": charts.daily_chart(daily),
            "daily_total": sum(d.total for d in daily),
            "sources": sources,
            "sources_chart": charts.sources_chart(sources) if sources else "",
            "updates": list(petition.updates.order_by("-created_at")),
            "responses": list(
                petition.responses.select_related("target").order_by("-responded_on", "-created_at")
            ),
            **delivery_views.delivery_context(petition, can_edit=can_edit),
        },
    )


@organizer_required
@require_safe
def preview(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, petition = _involved(request, org, slug)
    count = _count(petition)
    sponsors = petition.organizations
    return render(
        request,
        "petitions/manage/preview.html",
        {
            "organization": membership.organization,
            "petition": petition,
            "targets": list(petition.targets.all()),
            "sponsors": sponsors,
            "count": count,
            "goal": goals.goal_for(count.shown),
            "milestones": list(petition.milestones.all()),
            # The sign form as signers see it (inert on the page).
            "form": SignatureForm(organizations=sponsors),
        },
    )


@organizer_required
@require_safe
def export(request: HttpRequest, org: str, slug: str) -> StreamingHttpResponse:
    membership, petition = _involved(request, org, slug)
    organization = membership.organization
    logger.info(
        "Signatures of petition %s exported for organization %s by user %s",
        petition.slug,
        organization.slug,
        request.user.pk,
    )
    rows = exports.signature_rows(petition, organization)
    response = StreamingHttpResponse(
        exports.csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(petition)}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Creating and editing -----------------------------------------------------------------


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    status = 200
    if request.method == "POST":
        form = PetitionForm(request.POST, request.FILES, organization=organization)
        targets = target_formset(request.POST)
        if form.is_valid() and targets.is_valid():
            try:
                petition = actions.create_petition(
                    owner=organization,
                    created_by=membership.user,
                    targets=targets.targets(),
                    sponsors=list(form.cleaned_data["sponsors"]),
                    **form.petition_fields(),
                )
            except IntegrityError:  # the same short name taken a moment ago
                form.add_error("slug", _slug_taken())
            else:
                messages.success(
                    request,
                    _(
                        "“%(title)s” is saved as a draft. Preview it, then publish it when "
                        "it is ready."
                    )
                    % {"title": petition.title},
                )
                return _see_other(_dashboard_url(petition))
        status = 400
    else:
        form = PetitionForm(organization=organization)
        targets = target_formset()
    return render(
        request,
        "petitions/manage/form.html",
        {"organization": organization, "form": form, "targets": targets, "petition": None},
        status=status,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, petition = _owned(request, org, slug)
    organization = membership.organization
    # The form writes into its instance while validating; keep `petition` as saved.
    instance = Petition.objects.get(pk=petition.pk)
    status = 200
    if request.method == "POST":
        form = PetitionForm(
            request.POST, request.FILES, instance=instance, organization=organization
        )
        targets = target_formset(request.POST, petition=petition)
        if form.is_valid() and targets.is_valid():
            try:
                actions.update_petition(
                    petition,
                    targets=targets.targets(),
                    sponsors=list(form.cleaned_data["sponsors"]),
                    by=membership.user,
                    **form.petition_fields(),
                )
            except IntegrityError:  # the same short name taken a moment ago
                form.add_error("slug", _slug_taken())
            else:
                messages.success(request, _("Your changes are saved."))
                return _see_other(_dashboard_url(petition))
        status = 400
    else:
        form = PetitionForm(instance=instance, organization=organization)
        targets = target_formset(petition=petition)
    return render(
        request,
        "petitions/manage/form.html",
        {"organization": organization, "form": form, "targets": targets, "petition": petition},
        status=status,
    )


# --- Status changes -----------------------------------------------------------------------


def _change_status(
    request: HttpRequest, petition: Petition, change: Callable[[Petition], None], done: str
) -> HttpResponse:
    """Ask the actions for the change (they hold the rules), and say what happened:
    `done` on success, the actions' reason when they refuse."""
    try:
        change(petition)
    except actions.StatusRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done % {"title": petition.title})
    return _see_other(_dashboard_url(petition))


@organizer_required
@require_POST
def publish(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    _membership, petition = _owned(request, org, slug)
    return _change_status(
        request,
        petition,
        actions.publish,
        _("“%(title)s” is published and takes signatures."),
    )


@organizer_required
@require_POST
def close(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    _membership, petition = _owned(request, org, slug)
    return _change_status(
        request,
        petition,
        actions.close,
        _("“%(title)s” is closed. Its page stays up with its count."),
    )


@organizer_required
@require_POST
def reopen(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    _membership, petition = _owned(request, org, slug)
    return _change_status(
        request,
        petition,
        actions.reopen,
        _("“%(title)s” is open for signatures again."),
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def victory(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, petition = _owned(request, org, slug)
    refused = actions.victory_refused(petition)
    if refused:
        messages.error(request, refused)
        return _see_other(_dashboard_url(petition))
    status = 200
    if request.method == "POST":
        form = VictoryForm(request.POST)
        if form.is_valid():

            def change(locked: Petition) -> None:
                actions.declare_victory(
                    locked, note=form.cleaned_data["note"], note_es=form.cleaned_data["note_es"]
                )

            return _change_status(
                request, petition, change, _("Victory! “%(title)s” now shows that it won.")
            )
        status = 400
    else:
        form = VictoryForm()
    return render(
        request,
        "petitions/manage/victory.html",
        {"organization": membership.organization, "petition": petition, "form": form},
        status=status,
    )


# --- Co-sponsorship ----------------------------------------------------------------------


def _sponsorships_url(organization_slug: str) -> str:
    return reverse("petitions_manage:sponsorships", args=[organization_slug])


@organizer_required
@require_safe
def sponsorships(request: HttpRequest, org: str) -> HttpResponse:
    """The invitations to co-sponsor that wait for this organization's answer, with what
    each petition asks, and the petitions it co-sponsors."""
    membership = membership_for(request, org)
    organization = membership.organization
    invitations = (
        SponsorInvitation.objects.pending()
        .addressed_to(organization)
        .select_related("petition", "petition__owner", "invited_by")
        .prefetch_related("petition__targets")
    )
    return render(
        request,
        "petitions/manage/sponsorships.html",
        {
            "organization": organization,
            "membership": membership,
            "can_answer": membership.has_role(Role.ADMIN),
            "invitations": invitations,
            "sponsored": organization.petitions_sponsored.select_related("owner", "count").order_by(
                "-created_at"
            ),
        },
    )


def _invitation_to(membership: Membership, invitation: int) -> SponsorInvitation:
    return answering.invitation_to(
        SponsorInvitation, membership, invitation, "petition", "petition__owner"
    )


@organizer_required
@require_POST
def accept_sponsorship(request: HttpRequest, org: str, invitation: int) -> HttpResponse:
    membership = membership_for(request, org)
    target = _invitation_to(membership, invitation)
    return answering.answer(
        request,
        lambda: actions.accept_sponsorship(membership, target),
        done=_("%(organization)s now co-sponsors “%(title)s”.")
        % {"organization": membership.organization.name, "title": target.petition.title},
        then=reverse("petitions_manage:dashboard", args=[org, target.petition.slug]),
        refused=_sponsorships_url(org),
    )


@organizer_required
@require_POST
def decline_sponsorship(request: HttpRequest, org: str, invitation: int) -> HttpResponse:
    membership = membership_for(request, org)
    target = _invitation_to(membership, invitation)
    return answering.answer(
        request,
        lambda: actions.decline_sponsorship(membership, target),
        done=_("You declined to co-sponsor “%(title)s”.") % {"title": target.petition.title},
        then=_sponsorships_url(org),
        refused=_sponsorships_url(org),
    )


@organizer_required
@require_POST
def stop_sponsoring(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, petition = _involved(request, org, slug)
    return answering.answer(
        request,
        lambda: actions.stop_sponsoring(membership, petition),
        done=_("%(organization)s no longer co-sponsors “%(title)s”.")
        % {"organization": membership.organization.name, "title": petition.title},
        then=_sponsorships_url(org),
        refused=reverse("petitions_manage:dashboard", args=[org, petition.slug]),
    )


# --- Updates and responses ----------------------------------------------------------------


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def update_create(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, petition = _owned(request, org, slug)
    if petition.status == Status.DRAFT:
        messages.error(request, _("Publish the petition before posting updates."))
        return _see_other(_dashboard_url(petition))
    status = 200
    if request.method == "POST":
        form = UpdateForm(request.POST)
        if form.is_valid():
            update = actions.post_update(
                petition,
                author=membership.user,
                **form.update_fields(),
            )
            if update.email_signers:
                messages.success(
                    request,
                    _(
                        "The update is posted. It is being emailed to the signers who agreed "
                        "to hear from %(organization)s."
                    )
                    % {"organization": petition.owner.name},
                )
            else:
                messages.success(request, _("The update is posted on the petition page."))
            return _see_other(_dashboard_url(petition))
        status = 400
    else:
        form = UpdateForm()
    return render(
        request,
        "petitions/manage/update_form.html",
        {
            "organization": membership.organization,
            "petition": petition,
            "form": form,
            "recipients": _consenting_signers(petition),
        },
        status=status,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def response_create(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, petition = _owned(request, org, slug)
    status = 200
    if request.method == "POST":
        form = ResponseForm(request.POST, petition=petition)
        if form.is_valid():
            actions.record_response(
                petition,
                recorded_by=membership.user,
                **form.response_fields(),
            )
            if form.cleaned_data["email_signers"]:
                messages.success(
                    request,
                    _(
                        "The response is recorded on the petition page. It is being emailed "
                        "to the signers who agreed to hear from %(organization)s."
                    )
                    % {"organization": petition.owner.name},
                )
            else:
                messages.success(request, _("The response is recorded on the petition page."))
            return _see_other(_dashboard_url(petition))
        status = 400
    else:
        form = ResponseForm(petition=petition)
    return render(
        request,
        "petitions/manage/response_form.html",
        {
            "organization": membership.organization,
            "petition": petition,
            "form": form,
            "recipients": _consenting_signers(petition),
        },
        status=status,
    )

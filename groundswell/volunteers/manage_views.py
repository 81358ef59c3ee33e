"""The follow-up pipeline and the volunteer form's settings: /manage/<org>/volunteers/.

Every organizer of the organization may read and work the pipeline; each view finds
volunteers only within the organization in the URL (404 for anyone else's).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.organizations.models import Membership, Organization
from groundswell.organizations.permissions import membership_for, organizer_required
from groundswell.people import audit
from groundswell.people.models import AuditEvent, Consent, Supporter
from groundswell.people.phones import display_phone
from groundswell.volunteers import actions
from groundswell.volunteers.manage_forms import (
    UNASSIGNED,
    AssignForm,
    FilterForm,
    InterestForm,
    NoteForm,
    SettingsForm,
    StageForm,
)
from groundswell.volunteers.models import Interest, Signup, Stage, Volunteer, VolunteerForm


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _volunteer(organization: Organization, pk: int) -> Volunteer:
    return get_object_or_404(
        Volunteer.objects.of(organization).select_related("assignee", "campaign", "person"),
        pk=pk,
    )


def _detail_url(organization: Organization, volunteer: Volunteer) -> str:
    return reverse("volunteers_manage:detail", args=[organization.slug, volunteer.pk])


@organizer_required
@require_safe
def pipeline(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    volunteers = (
        Volunteer.objects.of(organization)
        .select_related("assignee")
        .prefetch_related("interests")
        .order_by("-signed_up_at", "-pk")
    )
    filters = FilterForm(request.GET or None, organization=organization)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["stage"]:
            volunteers = volunteers.filter(stage=data["stage"])
        if data["interest"] is not None:
            volunteers = volunteers.filter(interests=data["interest"])
        if data["assignee"] == UNASSIGNED:
            volunteers = volunteers.filter(assignee__isnull=True)
        elif data["assignee"]:
            volunteers = volunteers.filter(assignee_id=int(data["assignee"]))
        if data["ward"] is not None:
            volunteers = volunteers.filter(ward=data["ward"])
    by_stage = dict(
        Volunteer.objects.of(organization)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    page = Paginator(volunteers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/manage/pipeline.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "volunteers",
            "filters": filters,
            "page": page,
            "stages": [(value, label, by_stage.get(value, 0)) for value, label in Stage.choices],
            "waiting": Signup.objects.unconfirmed().filter(organization=organization).count(),
            "form_url": reverse("volunteers:signup", args=[organization.slug]),
        },
    )


@organizer_required
@require_safe
def detail(request: HttpRequest, org: str, volunteer: int) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    record = _volunteer(organization, volunteer)
    audit.record(
        organization,
        AuditEvent.Action.VIEWED,
        request=request,
        person=record.person,
        detail=f"volunteer {record.pk}",
    )
    return render(
        request,
        "volunteers/manage/detail.html",
        _detail_context(membership, record),
    )


def follow_up_contact(record: Volunteer) -> bool:
    """Whether the organizers may see the email and phone the volunteer typed in.

    A purpose-limited exception to the platform rule (contact fields only with active
    consent): the person asked this organization to follow up on their offer, so the
    pipeline shows what they gave for that, and nothing else uses it (no export, no
    mailing). It ends when they unsubscribe from the organization after their latest
    sign-up (withdrawn consent), or were erased or forgotten by it.
    """
    if record.person_id is None or record.erased_at is not None:
        return False
    known = Supporter.objects.filter(
        person_id=record.person_id, organization_id=record.organization_id
    ).exists()
    if not known:
        return False
    confirmed = Signup.objects.filter(volunteer=record, confirmed_at__isnull=False)
    asked = confirmed.aggregate(last=Max("confirmed_at"))["last"] or record.signed_up_at
    return not Consent.objects.filter(
        person_id=record.person_id,
        organization_id=record.organization_id,
        withdrawn_at__gte=asked,
    ).exists()


def _detail_context(
    membership: Membership,
    record: Volunteer,
    *,
    stage_form: StageForm | None = None,
    note_form: NoteForm | None = None,
    assign_form: AssignForm | None = None,
) -> dict[str, Any]:
    organization = membership.organization
    contact_shown = follow_up_contact(record)
    return {
        "organization": organization,
        "membership": membership,
        "section": "volunteers",
        "volunteer": record,
        "contact_shown": contact_shown,
        "phone": display_phone(record.phone) if contact_shown and record.phone else "",
        "interests": list(record.interests.all()),
        "changes": record.changes.select_related("by"),
        "stage_form": stage_form or StageForm(initial={"stage": record.stage}),
        "note_form": note_form or NoteForm(),
        "assign_form": assign_form
        or AssignForm(organization=organization, initial={"assignee": record.assignee_id}),
    }


@organizer_required
@require_POST
def move_stage(request: HttpRequest, org: str, volunteer: int) -> HttpResponse:
    membership = membership_for(request, org)
    record = _volunteer(membership.organization, volunteer)
    form = StageForm(request.POST)
    if not form.is_valid():
        context = _detail_context(membership, record, stage_form=form)
        return render(request, "volunteers/manage/detail.html", context, status=400)
    user = request.user if request.user.is_authenticated else None
    if actions.move_stage(
        record, form.cleaned_data["stage"], by=user, note=form.cleaned_data["note"]
    ):
        messages.success(
            request,
            _("Moved to “%(stage)s”.") % {"stage": Stage(record.stage).label},
        )
    return _see_other(_detail_url(membership.organization, record))


@organizer_required
@require_POST
def assign(request: HttpRequest, org: str, volunteer: int) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    record = _volunteer(organization, volunteer)
    form = AssignForm(request.POST, organization=organization)
    if not form.is_valid():
        context = _detail_context(membership, record, assign_form=form)
        return render(request, "volunteers/manage/detail.html", context, status=400)
    user = request.user if request.user.is_authenticated else None
    if actions.assign(record, form.cleaned_data["assignee"], by=user):
        messages.success(request, _("Assignment saved."))
    return _see_other(_detail_url(organization, record))


@organizer_required
@require_POST
def add_note(request: HttpRequest, org: str, volunteer: int) -> HttpResponse:
    membership = membership_for(request, org)
    record = _volunteer(membership.organization, volunteer)
    form = NoteForm(request.POST)
    if not form.is_valid():
        context = _detail_context(membership, record, note_form=form)
        return render(request, "volunteers/manage/detail.html", context, status=400)
    user = request.user if request.user.is_authenticated else None
    actions.add_note(record, form.cleaned_data["note"], by=user)
    messages.success(request, _("Note added."))
    return _see_other(_detail_url(membership.organization, record))


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def form_settings(request: HttpRequest, org: str) -> HttpResponse:
    """The volunteer form's settings and the organization's list of interests."""
    membership = membership_for(request, org)
    organization = membership.organization
    current = VolunteerForm.for_organization(organization)
    form = SettingsForm(request.POST or None, instance=current)
    interest_form = InterestForm()
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in SettingsForm.Meta.fields}
            actions.save_form_settings(organization, **fields)
            messages.success(request, _("Volunteer form saved."))
            return _see_other(reverse("volunteers_manage:settings", args=[organization.slug]))
        status = 400
    return _render_settings(request, membership, form, interest_form, status)


def _render_settings(
    request: HttpRequest,
    membership: Membership,
    form: SettingsForm,
    interest_form: InterestForm,
    status: int = 200,
) -> HttpResponse:
    organization = membership.organization
    return render(
        request,
        "volunteers/manage/settings.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "volunteers",
            "form": form,
            "interest_form": interest_form,
            "interests": Interest.objects.offered().filter(organization=organization),
            "form_url": reverse("volunteers:signup", args=[organization.slug]),
        },
        status=status,
    )


@organizer_required
@require_POST
def interest_add(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    interest_form = InterestForm(request.POST)
    if not interest_form.is_valid():
        form = SettingsForm(instance=VolunteerForm.for_organization(organization))
        return _render_settings(request, membership, form, interest_form, status=400)
    interest = actions.add_interest(
        organization, interest_form.cleaned_data["name"], interest_form.cleaned_data["name_es"]
    )
    messages.success(request, _("“%(name)s” is on the form.") % {"name": interest.name})
    return _see_other(reverse("volunteers_manage:settings", args=[organization.slug]))


@organizer_required
@require_POST
def interest_remove(request: HttpRequest, org: str, interest: int) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    found = get_object_or_404(Interest, organization=organization, pk=interest)
    actions.archive_interest(found)
    messages.success(
        request,
        _("“%(name)s” is off the form; volunteers who chose it keep it.") % {"name": found.name},
    )
    return _see_other(reverse("volunteers_manage:settings", args=[organization.slug]))

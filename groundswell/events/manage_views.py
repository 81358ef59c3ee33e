"""The organizer area for events: /manage/<org>/events/.

Organizers of the owner organization write (create, edit, shifts, cancel, approve a
supporter's proposal); organizers of co-hosting organizations see the RSVPs and check
people in. An organization sees the name of someone who RSVPed only if it knows them
(they are among its supporters) or it typed them in as a walk-in itself; anyone else is
an anonymous "Attendee", counted and checked in like everyone. Contact details show
only for people who consented to the organization looking at them.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.events import actions
from groundswell.events.forms import EventForm, NewEventForm, ShiftForm, WalkInForm
from groundswell.events.models import RSVP, Event, Shift
from groundswell.events.templatetags.events import when
from groundswell.organizations.models import Membership, Organization
from groundswell.organizations.permissions import membership_for, organizer_required
from groundswell.people import actions as people_actions
from groundswell.people.models import Supporter

SEARCH_LIMIT = 50


def _involved(request: HttpRequest, org: str, pk: int) -> tuple[Membership, Event]:
    """The event, if the organization in the URL owns or co-hosts it and the user
    organizes there: 403 for anyone else, 404 for an event not in this area."""
    membership = membership_for(request, org)
    event = get_object_or_404(
        Event.objects.involving(membership.organization).select_related("owner", "campaign"),
        pk=pk,
    )
    return membership, event


def _owned(request: HttpRequest, org: str, pk: int) -> tuple[Membership, Event]:
    membership, event = _involved(request, org, pk)
    if event.owner_id != membership.organization_id:
        raise PermissionDenied
    return membership, event


def _detail_url(organization: Organization, event: Event) -> str:
    return reverse("events_manage:detail", args=[organization.slug, event.pk])


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _named_to(organization: Organization) -> Q:
    """RSVPs whose name the organization may see: of people it knows (a Supporter row:
    gone once it forgets them), or walk-ins with no person that it typed in itself."""
    known = Supporter.objects.visible_to(organization).values("person_id")
    return Q(person__in=known) | Q(
        person__isnull=True,
        source=RSVP.WALK_IN,
        recorded_by=organization,
        anonymized_at__isnull=True,
    )


def _mark(organization: Organization, rsvps: list[RSVP]) -> list[RSVP]:
    """Say on each RSVP what the organization may see of it: `show_name` (else it is an
    anonymous attendee), `show_contact`, and the `display_name` to show."""
    ids = {r.person_id for r in rsvps if r.person_id}
    supporters = Supporter.objects.visible_to(organization).filter(person_id__in=ids)
    known = {s.person_id: s.contactable for s in supporters}  # type: ignore[attr-defined]
    for rsvp in rsvps:
        own_walk_in = (
            rsvp.person_id is None
            and rsvp.source == RSVP.WALK_IN
            and rsvp.recorded_by_id == organization.pk
            and rsvp.anonymized_at is None
        )
        show_name = (rsvp.person_id in known or own_walk_in) and bool(rsvp.full_name)
        rsvp.show_name = show_name  # type: ignore[attr-defined]
        contactable = rsvp.person_id is not None and known.get(rsvp.person_id, False)
        rsvp.show_contact = show_name and contactable  # type: ignore[attr-defined]
        rsvp.display_name = rsvp.full_name if show_name else _("Attendee")  # type: ignore[attr-defined]
    return rsvps


def _totals(shifts: list[Shift]) -> dict[str, int]:
    names = (
        "seats_taken",
        "confirmed_count",
        "waitlisted_count",
        "attended_count",
        "no_show_count",
        "walk_in_count",
    )
    return {name: sum(getattr(shift, name) for shift in shifts) for name in names}


# --- Listing and the event page -------------------------------------------------------------


@organizer_required
@require_safe
def event_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    events = Event.objects.involving(organization).select_related("owner", "campaign")
    now = timezone.now()
    return render(
        request,
        "events/manage/list.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "events",
            "proposals": events.filter(approval=Event.Approval.PENDING, owner=organization),
            "upcoming": events.filter(approval=Event.Approval.APPROVED)
            .upcoming(now)
            .order_by("created_at"),
            "past": events.filter(approval=Event.Approval.APPROVED)
            .exclude(shifts__ends_at__gt=now)
            .order_by("-created_at")[:50],
        },
    )


@organizer_required
@require_safe
def detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership, event = _involved(request, org, pk)
    organization = membership.organization
    shifts = list(event.shifts.with_figures())
    rsvps = _mark(
        organization, list(RSVP.objects.active().filter(event=event).order_by("created_at", "pk"))
    )
    by_shift: dict[int, list[RSVP]] = {}
    for rsvp in rsvps:
        by_shift.setdefault(rsvp.shift_id, []).append(rsvp)
    for shift in shifts:
        shift.rsvp_list = by_shift.get(shift.pk, [])  # type: ignore[attr-defined]
    now = timezone.now()
    return render(
        request,
        "events/manage/detail.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "events",
            "event": event,
            "shifts": shifts,
            "totals": _totals(shifts),
            "can_edit": event.owner_id == organization.pk,
            "any_ended": any(shift.ends_at <= now for shift in shifts),
        },
    )


# --- Creating and editing -------------------------------------------------------------------


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    form = NewEventForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        event = actions.create_event(
            owner=organization,
            created_by=request.user,  # type: ignore[arg-type]
            shifts=[form.shift_fields()],
            hosts=form.cleaned_data["hosts"],
            **form.event_fields(),
        )
        messages.success(request, _("The event is created."))
        return _see_other(_detail_url(organization, event))
    return render(
        request,
        "events/manage/form.html",
        {"organization": organization, "membership": membership, "form": form, "event": None},
        status=400 if request.method == "POST" else 200,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership, event = _owned(request, org, pk)
    organization = membership.organization
    form = EventForm(request.POST or None, instance=event, organization=organization)
    if request.method == "POST" and form.is_valid():
        fields = form.event_fields()
        event.refresh_from_db()  # the form wrote onto the instance; compare with the stored
        actions.update_event(event, hosts=form.cleaned_data["hosts"], **fields)
        messages.success(request, _("Your changes are saved."))
        return _see_other(_detail_url(organization, event))
    return render(
        request,
        "events/manage/form.html",
        {"organization": organization, "membership": membership, "form": form, "event": event},
        status=400 if request.method == "POST" else 200,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership, event = _owned(request, org, pk)
    if request.method == "POST":
        told = actions.cancel_event(event)
        messages.success(
            request,
            _("The event is cancelled; %(count)s people who RSVPed are being told.")
            % {"count": told},
        )
        return _see_other(_detail_url(membership.organization, event))
    return render(
        request,
        "events/manage/cancel.html",
        {"organization": membership.organization, "membership": membership, "event": event},
    )


@organizer_required
@require_POST
def approve(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership, event = _owned(request, org, pk)
    if actions.decide_proposal(event, approve=True):
        messages.success(request, _("Approved: the event is published."))
    return _see_other(_detail_url(membership.organization, event))


@organizer_required
@require_POST
def reject(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership, event = _owned(request, org, pk)
    if actions.decide_proposal(event, approve=False):
        messages.success(request, _("Not approved: the event stays unpublished."))
    return _see_other(_detail_url(membership.organization, event))


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def shift_create(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership, event = _owned(request, org, pk)
    form = ShiftForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        actions.add_shift(event, **form.shift_fields())
        messages.success(request, _("The shift is added."))
        return _see_other(_detail_url(membership.organization, event))
    return render(
        request,
        "events/manage/shift_form.html",
        {"organization": membership.organization, "event": event, "form": form, "shift": None},
        status=400 if request.method == "POST" else 200,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def shift_edit(request: HttpRequest, org: str, pk: int, shift: int) -> HttpResponse:
    membership, event = _owned(request, org, pk)
    found = get_object_or_404(Shift, event=event, pk=shift)
    form = ShiftForm(request.POST or None, event=event, shift=found)
    if request.method == "POST" and form.is_valid():
        moved = actions.update_shift(found, **form.shift_fields())
        messages.success(
            request,
            _("The shift is changed; everyone who RSVPed is told of the new time.")
            if moved
            else _("The shift is changed."),
        )
        return _see_other(_detail_url(membership.organization, event))
    return render(
        request,
        "events/manage/shift_form.html",
        {"organization": membership.organization, "event": event, "form": form, "shift": found},
        status=400 if request.method == "POST" else 200,
    )


# --- Check-in -------------------------------------------------------------------------------


def search_attendees(event: Event, query: str, organization: Organization) -> QuerySet[RSVP]:
    """RSVPs (seat or waitlist) matching each word typed, as the organization may see
    them: the first or last name starts with it, of people whose name it may see; or the
    email address starts with it, only of people it may contact, and then the address it
    holds itself (its Supporter row), never the one on the RSVP: typing the beginnings of
    an address must not reveal one it may not see."""
    rsvps = RSVP.objects.active().filter(event=event).select_related("shift")
    named = _named_to(organization)
    contactable = Supporter.objects.visible_to(organization).filter(Q(contactable=True))
    for word in query.split()[:4]:
        by_email = contactable.filter(email__istartswith=word).values("person_id")
        rsvps = rsvps.filter(
            (named & (Q(first_name__istartswith=word) | Q(last_name__istartswith=word)))
            | Q(person__in=by_email)
        )
    return rsvps.order_by("first_name", "last_name", "pk")


def _unnamed(event: Event, organization: Organization) -> list[RSVP]:
    """The RSVPs whose name the organization may not see, not yet checked in: listed as
    anonymous attendees on the check-in page, so that they can still be checked in."""
    rsvps = (
        RSVP.objects.active()
        .filter(event=event)
        .exclude(attendance=RSVP.Attendance.ATTENDED)
        .exclude(_named_to(organization))
        .select_related("shift")
        .order_by("shift__starts_at", "created_at", "pk")
    )
    return _mark(organization, list(rsvps[:SEARCH_LIMIT]))


def _shown(organization: Organization, rsvp: RSVP) -> str:
    """The name to put in a message about one RSVP: "Attendee" if it may not be seen."""
    return str(_mark(organization, [rsvp])[0].display_name)  # type: ignore[attr-defined]


def _shift_choices(event: Event) -> list[tuple[int, str]]:
    return [(shift.pk, when(shift, event.time_zone)) for shift in event.shifts.all()]


def _checkin_url(organization: Organization, event: Event, query: str = "") -> str:
    url = reverse("events_manage:checkin", args=[organization.slug, event.pk])
    return f"{url}?{urlencode({'q': query})}" if query else url


@organizer_required
@require_safe
def checkin(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership, event = _involved(request, org, pk)
    return _checkin_page(request, membership, event, WalkInForm(shifts=_shift_choices(event)))


def _checkin_page(
    request: HttpRequest,
    membership: Membership,
    event: Event,
    walk_in: WalkInForm,
    status: int = 200,
) -> HttpResponse:
    organization = membership.organization
    query = request.GET.get("q", "").strip()[:100]
    found = list(search_attendees(event, query, organization)[:SEARCH_LIMIT]) if query else []
    shifts = list(event.shifts.with_figures())
    return render(
        request,
        "events/manage/checkin.html",
        {
            "organization": organization,
            "membership": membership,
            "event": event,
            "query": query,
            "found": _mark(organization, found),
            "unnamed": _unnamed(event, organization),
            "walk_in": walk_in,
            "shifts": shifts,
            "totals": _totals(shifts),
        },
        status=status,
    )


@organizer_required
@require_POST
def check_in(request: HttpRequest, org: str, pk: int, rsvp: int) -> HttpResponse:
    membership, event = _involved(request, org, pk)
    found = get_object_or_404(RSVP.objects.active(), event=event, pk=rsvp)
    name = _shown(membership.organization, found)
    if actions.check_in(found):
        messages.success(request, _("%(name)s is checked in.") % {"name": name})
    else:
        messages.info(request, _("%(name)s was already checked in.") % {"name": name})
    return _see_other(
        _checkin_url(membership.organization, event, request.POST.get("q", "").strip())
    )


@organizer_required
@require_POST
def undo_check_in(request: HttpRequest, org: str, pk: int, rsvp: int) -> HttpResponse:
    membership, event = _involved(request, org, pk)
    found = get_object_or_404(RSVP.objects.active(), event=event, pk=rsvp)
    if actions.undo_check_in(found):
        messages.success(
            request,
            _("%(name)s is no longer checked in.")
            % {"name": _shown(membership.organization, found)},
        )
    return _see_other(
        _checkin_url(membership.organization, event, request.POST.get("q", "").strip())
    )


@organizer_required
@require_POST
def walk_in(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership, event = _involved(request, org, pk)
    form = WalkInForm(request.POST, shifts=_shift_choices(event))
    if not form.is_valid():
        return _checkin_page(request, membership, event, form, status=400)
    data = form.cleaned_data
    shift = get_object_or_404(Shift, event=event, pk=data["shift"])
    try:
        actions.add_walk_in(
            shift,
            organization=membership.organization,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            consent=data["consent"],
        )
    except people_actions.Suppressed as refused:
        form.add_error(None, refused.message)
        return _checkin_page(request, membership, event, form, status=400)
    typed = f"{data['first_name']} {data['last_name']}".strip()  # what the organizer typed
    messages.success(request, _("%(name)s is checked in.") % {"name": typed})
    return _see_other(_checkin_url(membership.organization, event))


@organizer_required
@require_POST
def no_shows(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership, event = _involved(request, org, pk)
    marked = actions.mark_no_shows(event)
    messages.success(
        request,
        _("%(count)s people with a spot who were not checked in are marked as no-shows.")
        % {"count": marked},
    )
    return _see_other(_detail_url(membership.organization, event))

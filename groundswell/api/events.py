"""Events and their attendances (RSVPs).

An organization sees the events it owns or co-hosts, except other organizations'
private events (only their own organizers see those); its own private events and
proposals are included. Attendances are the RSVPs to those events by people it knows,
each linked to its Supporter. Owner and co-hosts may record attendance (the record
attendance helper): an RSVP through events.actions, so capacity and the waitlist apply.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.api import filters, schema
from groundswell.api.hal import Links, collection, date, identifiers
from groundswell.api.http import Api, ApiError, Body, not_found, object_id
from groundswell.api.people import read_person, supporter_from_href, supporter_of, upsert
from groundswell.events import actions as event_actions
from groundswell.events.models import RSVP, Event, Shift
from groundswell.people import actions as people_actions
from groundswell.people.models import Supporter

FIELDS = {
    "modified_date": filters.date_field("updated_at"),
    "created_date": filters.date_field("created_at"),
    "identifiers": filters.identifier_field(),
}
ATTENDANCE_FIELDS = FIELDS

# RSVP status → OSDI attendance status.
STATUSES = {
    RSVP.Status.CONFIRMED: "accepted",
    RSVP.Status.WAITLISTED: "tentative",
    RSVP.Status.CANCELLED: "declined",
}


def involved(api: Api) -> Any:
    """The organization's own events, and those it co-hosts that are not private."""
    organization = api.organization
    accepted = (
        RSVP.objects.filter(event=OuterRef("pk"), status=RSVP.Status.CONFIRMED)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Event.objects.involving(organization)
        .filter(Q(owner=organization) | ~Q(visibility=Event.Visibility.PRIVATE))
        .annotate(accepted=Coalesce(Subquery(accepted, output_field=IntegerField()), 0))
        .prefetch_related("shifts")
    )


def event_of(api: Api, pk: str) -> Event:
    event = involved(api).filter(pk=object_id(pk, "event")).first()
    if event is None:
        raise not_found("event")
    return event


def _shift(api: Links, shift: Shift) -> Body:
    return {
        "identifiers": identifiers(shift.pk),
        "start_date": date(shift.starts_at),
        "end_date": date(shift.ends_at),
        "capacity": shift.capacity,
    }


def represent(api: Api, event: Event) -> Body:
    shifts = sorted(event.shifts.all(), key=lambda s: (s.starts_at, s.pk))
    capacities = [s.capacity for s in shifts]
    capacity = sum(c for c in capacities if c) if capacities and None not in capacities else None
    body: Body = {
        "identifiers": identifiers(event.pk),
        "created_date": date(event.created_at),
        "modified_date": date(event.updated_at),
        "title": event.title,
        "description": event.description,
        "start_date": date(shifts[0].starts_at) if shifts else None,
        "end_date": date(max(s.ends_at for s in shifts)) if shifts else None,
        "location": {
            "venue": "",
            "address_lines": [event.address] if event.address and not event.is_online else [],
            "locality": "",
            "region": "",
            "postal_code": "",
        },
        "status": "cancelled" if event.is_cancelled else "confirmed",
        "visibility": "public" if event.visibility == Event.Visibility.PUBLIC else "private",
        "capacity": capacity,
        "total_accepted": getattr(event, "accepted", 0),
        "groundswell:visibility": event.visibility,
        "groundswell:approval": event.approval,
        "groundswell:online": event.is_online,
        "groundswell:time_zone": event.time_zone,
        "groundswell:neighborhood": event.neighborhood,
        "groundswell:ward": event.ward,
        "groundswell:shifts": [_shift(api, s) for s in shifts],
        "_links": {
            "self": {"href": api.href("events", event.pk)},
            "osdi:attendances": {"href": api.href("events", event.pk, "attendances")},
            "osdi:record_attendance_helper": {"href": api.href("events", event.pk, "attendances")},
        },
    }
    published = event.approval == Event.Approval.APPROVED
    if published and event.visibility != Event.Visibility.PRIVATE:
        body["browser_url"] = api.request.build_absolute_uri(event.get_absolute_url())
    return body


def list_events(api: Api) -> tuple[int, Body]:
    return 200, collection(
        api,
        involved(api),
        kind="events",
        path=["events"],
        represent=represent,
        fields=FIELDS,
    )


def get_event(api: Api, pk: str) -> tuple[int, Body]:
    return 200, represent(api, event_of(api, pk))


# --- Attendances --------------------------------------------------------------------------


def attendances(api: Api) -> Any:
    """RSVPs to the organization's events by people it knows, each with `supporter_pk`
    (anonymized ones left out)."""
    supporter = Supporter.objects.filter(organization=api.organization, person=OuterRef("person"))
    events = involved(api).order_by().values("pk")
    return (
        RSVP.objects.filter(event__in=events, person__isnull=False, anonymized_at__isnull=True)
        .select_related("shift")
        .annotate(supporter_pk=Subquery(supporter.values("pk")[:1]))
        .filter(supporter_pk__isnull=False)
    )


def represent_attendance(api: Links, rsvp: Any) -> Body:
    return {
        "identifiers": identifiers(rsvp.pk),
        "created_date": date(rsvp.created_at),
        "modified_date": date(rsvp.updated_at),
        "status": STATUSES.get(rsvp.status, "tentative"),
        "attended": rsvp.attendance == RSVP.Attendance.ATTENDED,
        "groundswell:status": rsvp.status,
        "groundswell:guests": rsvp.guests,
        "groundswell:checked_in_date": date(rsvp.checked_in_at),
        "groundswell:shift": _shift(api, rsvp.shift),
        "_links": {
            "self": {"href": api.href("events", rsvp.event_id, "attendances", rsvp.pk)},
            "osdi:event": {"href": api.href("events", rsvp.event_id)},
            "osdi:person": {"href": api.href("people", rsvp.supporter_pk)},
        },
    }


def list_attendances(api: Api, event: str) -> tuple[int, Body]:
    found = event_of(api, event)
    return 200, collection(
        api,
        attendances(api).filter(event=found),
        kind="attendances",
        path=["events", found.pk, "attendances"],
        represent=represent_attendance,
        fields=ATTENDANCE_FIELDS,
        audit="attendances",
    )


def get_attendance(api: Api, event: str, pk: str) -> tuple[int, Body]:
    found = event_of(api, event)
    rsvp = attendances(api).filter(event=found, pk=object_id(pk, "attendance")).first()
    if rsvp is None:
        raise not_found("attendance")
    return 200, represent_attendance(api, rsvp)


def person_attendances(api: Api, person: str) -> tuple[int, Body]:
    supporter = supporter_of(api, person)
    return 200, collection(
        api,
        attendances(api).filter(person=supporter.person_id),
        kind="attendances",
        path=["people", supporter.pk, "attendances"],
        represent=represent_attendance,
        fields=ATTENDANCE_FIELDS,
        audit="person attendances",
    )


def person_attendance(api: Api, person: str, pk: str) -> tuple[int, Body]:
    supporter = supporter_of(api, person)
    found = (
        attendances(api).filter(person=supporter.person_id, pk=object_id(pk, "attendance")).first()
    )
    if found is None:
        raise not_found("attendance")
    return 200, represent_attendance(api, found)


def _shift_for(event: Event, body: Body) -> Shift:
    """The shift named by `groundswell:shift`, or the event's next one to start."""
    if "groundswell:shift" in body:
        shift = event.shifts.filter(pk=body["groundswell:shift"]).first()
        if shift is None:
            raise ApiError(400, _("groundswell:shift is not a shift of this event"))
        return shift
    shift = event.shifts.filter(starts_at__gt=timezone.now()).order_by("starts_at", "pk").first()
    if shift is None:
        raise ApiError(400, _("This event has no shift still to come."))
    return shift


def record_attendance(api: Api, event: str) -> tuple[int, Body]:
    """POST /events/{id}/attendances: the record attendance helper. The attendee is a
    `person` hash (found or added, as POST /people) or `_links["osdi:person"]`; the RSVP
    is taken on the organization's word, without the confirmation email."""
    found = event_of(api, event)
    body = api.body(schema.ATTENDANCE_CREATE)
    tags = body.get("add_tags", [])
    link = body.get("_links", {}).get("osdi:person")
    if "person" in body:
        supporter = upsert(api, read_person(body["person"]), tags)
    elif link is not None:
        supporter = supporter_from_href(api, link["href"])
        for name in tags:
            tag = people_actions.get_or_create_tag(api.organization, name)
            people_actions.tag_people(tag, [supporter.person_id])
    else:
        raise ApiError(400, _('An attendance needs a "person" or _links["osdi:person"].'))
    if not supporter.email:
        raise ApiError(400, _("An attendance needs the person's email address."))
    shift = _shift_for(found, body)
    try:
        results = event_actions.rsvp(
            found,
            [shift],
            first_name=supporter.first_name,
            last_name=supporter.last_name,
            email=supporter.email,
            phone=supporter.phone,
            guests=body.get("groundswell:guests", 0),
            language=supporter.language or "en",
            source=f"api:{api.organization.slug}",
            notify=False,
        )
    except event_actions.RSVPRefused as exc:
        raise ApiError(400, exc.message) from None
    # Read back as listed: the RSVP's person may be the one its address names.
    rsvp = attendances(api).get(pk=results[0].rsvp.pk)
    api.audit("POST attendance", person=supporter.person, records=1)
    return 200, represent_attendance(api, rsvp)

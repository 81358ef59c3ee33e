"""Public event pages: the calendar (list and month), an event's page with its RSVP
form, cancelling an RSVP from its emailed link, and proposing an event."""

from __future__ import annotations

import calendar
import datetime
import zoneinfo
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.campaigns.models import Campaign
from groundswell.core import screening
from groundswell.core.http import client_ip
from groundswell.events import actions
from groundswell.events.forms import CalendarFilter, ProposalForm, RSVPForm
from groundswell.events.models import Event, Shift
from groundswell.events.templatetags.events import when
from groundswell.events.tokens import read_cancel_token, read_confirm_token

LIST_LIMIT = 200
# The public forms' screening; both sign their tokens with the events' one salt. Each
# RSVP emails its address and each proposal the organizers, so a bot filling a form in
# a loop must stop early: RSVP_RATE_IP, EVENT_PROPOSAL_RATE_IP.
FORM_SALT = "groundswell.events.form"
RSVP_SCREEN = screening.public_form(
    "RSVP",
    salt=FORM_SALT,
    limit="rsvp_by_ip",
    over_limit=gettext_lazy(
        "Too many RSVPs came from your network in the last hour. Please try again later."
    ),
)
PROPOSAL_SCREEN = screening.public_form(
    "Event proposal",
    salt=FORM_SALT,
    limit="event_proposal_by_ip",
    over_limit=gettext_lazy(
        "Too many proposals came from your network in the last hour. Please try again later."
    ),
)


def _calendar_events(request: HttpRequest) -> tuple[Any, CalendarFilter]:
    listed = Event.objects.listed().filter(status=Event.Status.SCHEDULED)
    form = CalendarFilter(request.GET or None, events=listed)
    return form.apply(listed), form


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming shifts of public events, soonest first."""
    events, form = _calendar_events(request)
    shifts = (
        Shift.objects.on_calendar()
        .filter(event__in=events.values("pk"))
        .select_related("event", "event__owner")[:LIST_LIMIT]
    )
    today = timezone.localdate()
    return render(
        request,
        "events/list.html",
        {
            "shifts": shifts,
            "filter": form,
            "query": request.GET.urlencode(),
            "month_url": reverse("events:month", args=[today.year, today.month]),
        },
    )


@require_safe
def month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """A month of public events as a calendar grid (weeks start on Sunday)."""
    if not (1 <= month <= 12 and 1900 < year < 3000):
        raise Http404
    events, form = _calendar_events(request)
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    first = datetime.datetime(year, month, 1, tzinfo=zone)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    shifts = (
        Shift.objects.filter(
            event__in=events.values("pk"), starts_at__gte=first, starts_at__lt=following
        )
        .select_related("event")
        .order_by("starts_at", "pk")
    )
    by_day: dict[datetime.date, list[Shift]] = defaultdict(list)
    for shift in shifts:
        by_day[shift.starts_at.astimezone(zone).date()].append(shift)
    weeks = [
        [
            {"date": day, "in_month": day.month == month, "shifts": by_day.get(day, [])}
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=6).monthdatescalendar(year, month)
    ]
    previous = (first - datetime.timedelta(days=1)).date()
    query = request.GET.urlencode()
    return render(
        request,
        "events/month.html",
        {
            "weeks": weeks,
            "first": first.date(),
            "weekdays": [week_day["date"] for week_day in weeks[0]],
            "previous_url": reverse("events:month", args=[previous.year, previous.month]),
            "next_url": reverse("events:month", args=[following.year, following.month]),
            "filter": form,
            "query": query,
            "has_events": bool(by_day),
        },
    )


def _public_event(request: HttpRequest, pk: int) -> Event:
    """The published event a public page shows. An unlisted one opens only with its
    link's key (?key=…): without it, or with a wrong one, the same 404 as an event that
    does not exist, so that ids cannot be walked to find unlisted events."""
    event = get_object_or_404(Event.objects.published().select_related("owner", "campaign"), pk=pk)
    if not event.opens_with(request.GET.get("key")):
        raise Http404
    return event


def _shift_choices(event: Event, now: datetime.datetime) -> list[tuple[int, str]]:
    return [
        (shift.pk, when(shift, event.time_zone))
        for shift in event.shifts.filter(starts_at__gt=now).order_by("starts_at", "pk")
    ]


def event_context(event: Event, form: RSVPForm | None = None) -> dict[str, Any]:
    now = timezone.now()
    shifts = list(event.shifts.with_figures().order_by("starts_at", "pk"))
    for shift in shifts:
        taken: int = shift.seats_taken  # type: ignore[attr-defined]
        left = None if shift.capacity is None else max(shift.capacity - taken, 0)
        shift.seats_left = left  # type: ignore[attr-defined]
        shift.is_past = shift.starts_at <= now  # type: ignore[attr-defined]
    choices = _shift_choices(event, now)
    organizations = event.organizations
    open_ = not event.is_cancelled and bool(choices)
    return {
        "event": event,
        "shifts": shifts,
        "organizations": organizations,
        "open": open_,
        "form": form or (RSVPForm(shifts=choices, organizations=organizations) if open_ else None),
        "page_url": f"{settings.BASE_URL}{event.get_absolute_url()}",
        "rsvp_url": event.public_url("events:rsvp"),
        "form_token": RSVP_SCREEN.token(),
    }


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "events/detail.html", event_context(_public_event(request, pk)))


@require_POST
def rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    event = _public_event(request, pk)
    now = timezone.now()
    choices = _shift_choices(event, now)
    if event.is_cancelled or not choices:
        context = event_context(event)
        context["refusal"] = (
            _("This event is cancelled and takes no more RSVPs.")
            if event.is_cancelled
            else _("This event is over and takes no more RSVPs.")
        )
        return render(request, "events/detail.html", context, status=409)
    form = RSVPForm(request.POST, shifts=choices, organizations=event.organizations)
    if not form.is_valid():
        return render(request, "events/detail.html", event_context(event, form), status=400)
    verdict = RSVP_SCREEN.check(request)
    if verdict.dropped:
        return HttpResponseRedirect(event.public_url("events:thanks"), status=303)
    if verdict.refusal:
        context = event_context(event, form)
        context["refusal"] = verdict.refusal
        response = render(request, "events/detail.html", context, status=verdict.status)
        return verdict.finish(response)
    chosen = list(event.shifts.filter(pk__in=form.cleaned_data["shifts"]))
    try:
        results = actions.rsvp(
            event,
            chosen,
            **form.rsvp_fields(),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            now=now,
            ip_address=client_ip(request),
        )
    except actions.RSVPRefused as refused:
        context = event_context(event, form)
        context["refusal"] = refused.message
        return render(request, "events/detail.html", context, status=409)
    for result in results:
        shift_when = when(result.rsvp.shift, event.time_zone)
        if result.outcome == actions.Outcome.CONFIRMED:
            text = _("You're going: %(when)s.")
        elif result.outcome == actions.Outcome.WAITLISTED:
            text = _(
                "%(when)s is full: you're on the waitlist. If a spot opens up, it is yours "
                "and we email you."
            )
        else:
            text = _(
                "You had already RSVPed for %(when)s; your confirmation email has the details."
            )
        message = text % {"when": shift_when}
        # The time may end the sentence with its own period ("8 p.m."): never "p.m..".
        messages.success(request, message[:-1] if message.endswith("..") else message)
    return HttpResponseRedirect(event.public_url("events:thanks"), status=303)


@require_safe
def thanks(request: HttpRequest, pk: int) -> HttpResponse:
    event = _public_event(request, pk)
    return render(
        request,
        "events/thanks.html",
        {"event": event, "page_url": f"{settings.BASE_URL}{event.get_absolute_url()}"},
    )


# GET shows the RSVP and a button; the POST cancels, so a mail scanner opening every
# link cancels nothing. A forged or altered token names no RSVP: 400, nothing changes.
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    found = read_cancel_token(token)
    if found is None:
        response = render(request, "events/cancel.html", {"outcome": "invalid"}, status=400)
    else:
        outcome = "cancelled_before" if not found.is_active else "ask"
        if request.method == "POST" and found.is_active:
            actions.cancel_rsvp(found)
            outcome = "cancelled"
        response = render(
            request,
            "events/cancel.html",
            {
                "outcome": outcome,
                "rsvp": found,
                "event": found.event,
                "shift": found.shift,
                "token": token,
            },
        )
    patch_cache_control(response, private=True, no_store=True)
    return response


# GET shows what confirming does and a button; the POST confirms, so a mail scanner
# opening every link grants no consent. The token authenticates the POST (it comes from
# the email's link, without a CSRF cookie). Forged or expired: 400, nothing changes; the
# seat never depends on this.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    found = read_confirm_token(token)
    if found is None:
        response = render(request, "events/confirm.html", {"outcome": "invalid"}, status=400)
    else:
        outcome = "already" if found.email_confirmed_at else "ask"
        if request.method == "POST" and outcome == "ask":
            outcome = "confirmed" if actions.confirm_email(found) else "already"
        ticked = set(found.consents)
        response = render(
            request,
            "events/confirm.html",
            {
                "outcome": outcome,
                "rsvp": found,
                "event": found.event,
                "organizations": [o for o in found.event.organizations if o.pk in ticked],
                "token": token,
            },
        )
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    """A supporter proposes an event under a campaign; organizers approve it."""
    initial = {}
    if slug := request.GET.get("campaign"):
        found = Campaign.objects.filter(slug=slug, status=Campaign.Status.ACTIVE).first()
        initial = {"campaign": found} if found else {}
    context: dict[str, Any] = {"form_token": PROPOSAL_SCREEN.token()}
    if request.method != "POST":
        context["form"] = ProposalForm(initial=initial)
        return render(request, "events/propose.html", context)
    form = ProposalForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "events/propose.html", context, status=400)
    verdict = PROPOSAL_SCREEN.check(request)
    if verdict.dropped:
        return HttpResponseRedirect(reverse("events:proposed"), status=303)
    if verdict.refusal:
        context["refusal"] = verdict.refusal
        response = render(request, "events/propose.html", context, status=verdict.status)
        return verdict.finish(response)
    data = form.cleaned_data
    actions.propose_event(
        data["campaign"],
        name=data["name"],
        email=data["email"],
        shift=form.shift_fields(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        ip_address=client_ip(request),
        **form.event_fields(),
    )
    return HttpResponseRedirect(reverse("events:proposed"), status=303)


@require_safe
def proposed(request: HttpRequest) -> HttpResponse:
    return render(request, "events/proposed.html")

"""Public pages that gather several domains (the home page)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from groundswell.events.models import Shift
from groundswell.petitions.models import Petition


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    published = Petition.objects.published().select_related("owner", "count")
    return render(
        request,
        "front/home.html",
        {
            "open_petitions": published.open().order_by("-published_at")[:6],
            "top_signed": published.open().top_signed()[:5],
            "victories": published.victories().order_by("-won_at")[:3],
            "upcoming_shifts": Shift.objects.on_calendar().select_related("event")[:5],
        },
    )

"""Public pages that gather several domains (the home page)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from groundswell.events.models import Shift
from groundswell.petitions.models import Petition


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Top signed this week (signatures in the last 7 days), then the newest petitions
    not already shown, the victories and upcoming events."""
    published = Petition.objects.published().select_related("owner", "count")
    top_signed = list(published.open().trending(signed_only=True)[:4])
    newest = published.open().exclude(pk__in=[p.pk for p in top_signed])
    return render(
        request,
        "front/home.html",
        {
            "top_signed": top_signed,
            "open_petitions": newest.order_by("-published_at")[:6],
            "victories": published.victories().order_by("-won_at")[:3],
            "upcoming_shifts": Shift.objects.on_calendar().select_related("event")[:5],
        },
    )

"""Public campaign pages: the list, each campaign's page, and coalition sign-ons."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from groundswell.campaigns import actions, registry
from groundswell.campaigns.forms import EndorsementForm
from groundswell.campaigns.models import Campaign, Demand, DemandChange, Endorsement
from groundswell.core import screening, tokens
from groundswell.core.http import client_ip

RECENT_CHANGES = 3  # evidence shown under each demand on the public page

# The sign-on form's screening. A coalition meeting signing its members on shares one
# address; a bot filling the form in a loop goes far beyond ENDORSEMENT_RATE_IP. The
# hidden field is "homepage": the form's "website" is the organization's real one.
ENDORSEMENT_SCREEN = screening.public_form(
    "Sign-on",
    salt="groundswell.campaigns.endorse-form",
    limit="endorsement_by_ip",
    over_limit=gettext_lazy(
        "Too many endorsements came from your network in the last hour. Please try again later."
    ),
    honeypot_field="homepage",
)


def _published(slug: str) -> Campaign:
    return get_object_or_404(Campaign.objects.published().select_related("owner"), slug=slug)


def demands_with_history(campaign: Campaign, limit: int | None = None) -> list[Demand]:
    """The campaign's demands in order, each with its changes (newest first) as
    `.history`, at most `limit` of them."""
    demands = list(
        campaign.demands.select_related("matter").prefetch_related(
            Prefetch("changes", queryset=DemandChange.objects.select_related("changed_by"))
        )
    )
    for demand in demands:
        history = list(demand.changes.all())
        demand.history = history[:limit] if limit else history  # type: ignore[attr-defined]
    return demands


def endorsement_context(campaign: Campaign) -> dict[str, Any]:
    """The approved sign-ons: the organizations endorsing the whole campaign, and those
    endorsing each demand (an organization counts once however often it signed on)."""
    approved = list(Endorsement.objects.approved().filter(campaign=campaign))
    by_demand: dict[int, list[Endorsement]] = defaultdict(list)
    for endorsement in approved:
        if endorsement.demand_id is not None:
            by_demand[endorsement.demand_id].append(endorsement)
    return {
        "endorsements": [e for e in approved if e.demand_id is None],
        "endorsements_by_demand": dict(by_demand),
        "endorser_count": len({e.name_key for e in approved}),
    }


@require_safe
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = Campaign.objects.published().select_related("owner").order_by("status", "title")
    return render(request, "campaigns/list.html", {"campaigns": campaigns})


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _published(slug)
    demands = demands_with_history(campaign, RECENT_CHANGES)
    context = {
        "campaign": campaign,
        "partners": [o for o in campaign.partners.all() if o.pk != campaign.owner_id],
        "demands": demands,
        "score": actions.scoreboard(demands),
        "sections": registry.sections(campaign, request),
        **endorsement_context(campaign),
    }
    for demand in demands:
        demand.endorsers = context["endorsements_by_demand"].get(demand.pk, [])  # type: ignore[attr-defined]
    response = render(request, "campaigns/detail.html", context)
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=0, s_maxage=10)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def endorse(request: HttpRequest, slug: str) -> HttpResponse:
    """The sign-on form. It stores nothing until it is valid and new, and nothing that
    ENDORSEMENT_SCREEN catches (a bot, a network over its limit)."""
    campaign = _published(slug)
    if not campaign.takes_endorsements:
        return render(
            request, "campaigns/endorse.html", {"campaign": campaign, "closed": True}, status=409
        )
    context: dict[str, Any] = {
        "campaign": campaign,
        "form_token": ENDORSEMENT_SCREEN.token(),
        "honeypot_field": ENDORSEMENT_SCREEN.honeypot_field,
    }
    status = 200
    thanks = HttpResponseRedirect(
        reverse("campaigns:endorse_thanks", args=[campaign.slug]), status=303
    )
    if request.method == "POST":
        form = EndorsementForm(request.POST, request.FILES, campaign=campaign)
        context["form"] = form
        if not form.is_valid():
            return _render_form(request, context, status=400)
        verdict = ENDORSEMENT_SCREEN.check(request)
        if verdict.dropped:
            return thanks
        if verdict.refusal:
            context["refusal"] = verdict.refusal
            return verdict.finish(_render_form(request, context, status=verdict.status))
        result = actions.record_endorsement(
            campaign,
            **form.cleaned_data,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            ip_address=client_ip(request),
        )
        # Past the address's daily emails (NOT_SENT) the sender is told the same as for
        # a new sign-on, so the form cannot be used to tell how often it was sent.
        if result.outcome != actions.EndorseOutcome.DUPLICATE:
            return thanks
        form.add_error(
            None,
            _(
                "%(organization)s has already endorsed this with this email address. "
                "Nothing was changed. If you have not confirmed it yet, look for our "
                "email in your inbox."
            )
            % {"organization": form.cleaned_data["organization_name"]},
        )
        status = 409
    else:
        initial = {}
        if (demand := request.GET.get("demand", "")).isdigit():
            initial["demand"] = demand
        context["form"] = EndorsementForm(campaign=campaign, initial=initial)
    return _render_form(request, context, status=status)


def _render_form(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
    response = render(request, "campaigns/endorse.html", context, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def endorse_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "campaigns/endorse_thanks.html", {"campaign": _published(slug)})


# GET only looks, the page's button POSTs to confirm (core.tokens.follow).
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    result = tokens.follow(
        request, token, act=actions.verify_endorsement, look=actions.check_verification
    )
    endorsement = result.endorsement
    context = {
        "outcome": result.outcome.value,
        "endorsement": endorsement,
        "campaign": endorsement.campaign if endorsement else None,
        "token": token,
    }
    response = render(request, "campaigns/verify.html", context, status=result.outcome.status)
    patch_cache_control(response, private=True, no_store=True)
    return response

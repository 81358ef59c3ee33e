"""The public volunteer form, its thank-you page and the emailed confirmation link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from groundswell.campaigns.models import Campaign
from groundswell.core import screening, tokens
from groundswell.core.http import client_ip
from groundswell.organizations.models import Organization
from groundswell.volunteers import actions
from groundswell.volunteers.forms import SignupForm
from groundswell.volunteers.models import VolunteerForm

# The volunteer form's screening. A table at a community meeting shares one address; a
# bot filling the form in a loop goes far beyond VOLUNTEER_SIGNUP_RATE_IP (counted per
# organization).
SIGNUP_SCREEN = screening.public_form(
    "Volunteer sign-up",
    salt="groundswell.volunteers.form",
    limit="volunteer_signup_by_ip",
    scoped=True,
    over_limit=gettext_lazy(
        "Too many sign-ups came from your network in the last hour. Please try again later."
    ),
)


def _campaign(organization: Organization, slug: str | None) -> Campaign | None:
    """The published campaign the organization owns or partners in, or 404."""
    if slug is None:
        return None
    return get_object_or_404(Campaign.objects.published().involving(organization), slug=slug)


def _thanks_url(organization: Organization) -> str:
    return reverse("volunteers:thanks", args=[organization.slug])


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest, org: str, campaign: str | None = None) -> HttpResponse:
    """The organization's volunteer form (for one of its campaigns, with `campaign`)."""
    organization = get_object_or_404(Organization, slug=org)
    chosen = _campaign(organization, campaign)
    settings_row = VolunteerForm.for_organization(organization)
    context: dict[str, Any] = {
        "organization": organization,
        "campaign": chosen,
        "volunteer_form": settings_row,
        "form_token": SIGNUP_SCREEN.token(),
    }
    if not settings_row.is_open:
        return _render(request, "volunteers/closed.html", context, status=200)
    if request.method != "POST":
        context["form"] = SignupForm(organization=organization)
        return _render(request, "volunteers/signup.html", context)
    form = SignupForm(request.POST, organization=organization)
    context["form"] = form
    if not form.is_valid():
        return _render(request, "volunteers/signup.html", context, status=400)
    verdict = SIGNUP_SCREEN.check(request, scope=organization.pk)
    if verdict.dropped:
        return HttpResponseRedirect(_thanks_url(organization), status=303)
    if verdict.refusal:
        context["refusal"] = verdict.refusal
        response = _render(request, "volunteers/signup.html", context, status=verdict.status)
        return verdict.finish(response)
    actions.record_signup(
        organization,
        campaign=chosen,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        ip_address=client_ip(request),
        **form.signup_fields(),
    )
    # The same page whatever happened (new, signed up before, already a volunteer), so
    # nobody learns from it whether an address is known. The email says more.
    return HttpResponseRedirect(_thanks_url(organization), status=303)


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def thanks(request: HttpRequest, org: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=org)
    return render(request, "volunteers/thanks.html", {"organization": organization})


# GET only looks, the page's button POSTs to confirm (core.tokens.follow).
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    result = tokens.follow(
        request, token, act=actions.confirm_signup, look=actions.check_confirmation
    )
    signup = result.signup
    context: dict[str, Any] = {
        "outcome": result.outcome.value,
        "token": token,
        "organization": signup.organization if signup else None,
        "campaign": signup.campaign if signup else None,
    }
    return _render(request, "volunteers/confirm.html", context, status=result.outcome.status)

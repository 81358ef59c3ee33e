"""The public volunteer form, its thank-you page and the emailed confirmation link."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from groundswell.campaigns.models import Campaign
from groundswell.core import formtokens, ratelimit
from groundswell.core.http import client_ip
from groundswell.organizations.models import Organization
from groundswell.volunteers import actions
from groundswell.volunteers.forms import SignupForm
from groundswell.volunteers.models import VolunteerForm

logger = logging.getLogger(__name__)

FORM_TOKEN_SALT = "groundswell.volunteers.form"  # noqa: S105 - a signing salt, not a secret
FORM_TOKEN_MAX_AGE = 12 * 3600


def form_token() -> str:
    """A signed timestamp for the form, to tell a person from an instant bot."""
    return formtokens.issue(FORM_TOKEN_SALT)


def form_age(token: str) -> float | None:
    """Seconds since the form was served, or None for a missing, forged or old token."""
    return formtokens.age(token, FORM_TOKEN_SALT, FORM_TOKEN_MAX_AGE)


def _campaign(organization: Organization, slug: str | None) -> Campaign | None:
    """The published campaign the organization owns or partners in, or 404."""
    if slug is None:
        return None
    return get_object_or_404(Campaign.objects.published().involving(organization), slug=slug)


def _over_limit(organization: Organization, ip: str | None) -> bool:
    """Count one more sign-up from this network to this organization: True once it is
    over settings.VOLUNTEER_SIGNUP_RATE_IP. A table at a community meeting shares one
    address; a bot filling the form in a loop goes far beyond it."""
    if not ip:
        return False
    subject = f"{organization.pk}:{ratelimit.client_key(ip)}"
    return not ratelimit.hit("volunteer_signup_by_ip", subject).allowed


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
        "form_token": form_token(),
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
    ip = client_ip(request)
    if request.POST.get("website"):
        # A bot filled in the hidden field: it sees the usual page and nothing is kept.
        logger.info("Volunteer sign-up dropped at %s: honeypot", organization.slug)
        return HttpResponseRedirect(_thanks_url(organization), status=303)
    age = form_age(request.POST.get("form_token", ""))
    if age is None:
        context["refusal"] = _(
            "This form was open too long or came from elsewhere. Please send it again."
        )
        return _render(request, "volunteers/signup.html", context, status=400)
    if age < settings.SIGN_MIN_FILL_SECONDS:
        logger.info("Volunteer sign-up dropped at %s: too fast", organization.slug)
        return HttpResponseRedirect(_thanks_url(organization), status=303)
    if _over_limit(organization, ip):
        context["refusal"] = _(
            "Too many sign-ups came from your network in the last hour. Please try again later."
        )
        return _render(request, "volunteers/signup.html", context, status=429)
    actions.record_signup(
        organization,
        campaign=chosen,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        ip_address=ip,
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


# GET only shows a button; the POST confirms, so a mail scanner opening every link does
# not confirm a sign-up someone else typed an address into. The token authenticates the
# POST, which comes from the email's link page without a CSRF cookie.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        result = actions.confirm_signup(token)
    else:
        result = actions.check_confirmation(token)
    status = {
        actions.ConfirmOutcome.PENDING: 200,
        actions.ConfirmOutcome.CONFIRMED: 200,
        actions.ConfirmOutcome.ALREADY_CONFIRMED: 200,
        actions.ConfirmOutcome.EXPIRED: 410,
        actions.ConfirmOutcome.INVALID: 400,
    }[result.outcome]
    signup = result.signup
    context: dict[str, Any] = {
        "outcome": result.outcome.value,
        "token": token,
        "organization": signup.organization if signup else None,
        "campaign": signup.campaign if signup else None,
    }
    return _render(request, "volunteers/confirm.html", context, status=status)

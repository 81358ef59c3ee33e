"""/manage/<org>/api/: an organization's API tokens, for its owners and admins.

A new token's secret is shown once, in the response to the form that made it: it is
stored only as a hash, so it is never in a session, a message or a URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from groundswell.api import actions
from groundswell.api.forms import TokenForm
from groundswell.api.models import ApiToken
from groundswell.organizations.models import Membership, Role
from groundswell.organizations.permissions import membership_for
from groundswell.people import audit
from groundswell.people.models import AuditEvent


def _page(
    request: HttpRequest, membership: Membership, form: TokenForm, secret: str = ""
) -> HttpResponse:
    organization = membership.organization
    response = render(
        request,
        "api/manage/tokens.html",
        {
            "membership": membership,
            "organization": organization,
            "section": "api",
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.filter(organization=organization).select_related(
                "created_by"
            ),
            "api_url": request.build_absolute_uri(reverse("api:entry")),
        },
    )
    patch_cache_control(response, private=True, no_cache=True, no_store=True)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def tokens(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    if request.method != "POST":
        return _page(request, membership, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, membership, form)
    token, secret = actions.create_token(
        membership.organization, name=form.cleaned_data["name"], by=membership.user
    )
    audit.record(
        membership.organization,
        AuditEvent.Action.API,
        request=request,
        detail=f"API token {token.prefix}… created",
    )
    return _page(request, membership, TokenForm(), secret)


@require_POST
@login_required
def revoke(request: HttpRequest, org: str, token: int) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    found = get_object_or_404(ApiToken, organization=membership.organization, pk=token)
    if actions.revoke_token(found, by=membership.user):
        audit.record(
            membership.organization,
            AuditEvent.Action.API,
            request=request,
            detail=f"API token {found.prefix}… revoked",
        )
        messages.success(request, _("The token “%(name)s” no longer works.") % {"name": found.name})
    url = reverse("api_manage:tokens", args=[membership.organization.slug])
    return HttpResponseRedirect(url, status=303)

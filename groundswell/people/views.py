"""Supporter-facing pages about their own data: unsubscribe."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from groundswell.people import actions, tokens


# The signed token authenticates the request; RFC 8058 one-click unsubscribe POSTs
# come from mail providers, which carry no CSRF cookie.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = tokens.read_unsubscribe_token(token)
    if found is None:
        response = render(request, "people/unsubscribe.html", {"state": "invalid"}, status=400)
    else:
        person, organization = found
        if request.method == "POST":
            actions.withdraw_email_consent(person, organization, source="unsubscribe link")
            state = "done"
        else:
            state = "confirm"
        response = render(
            request, "people/unsubscribe.html", {"state": state, "organization": organization}
        )
    patch_cache_control(response, private=True, no_store=True)
    return response

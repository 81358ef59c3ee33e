"""The provider's inbound webhook: /texts/inbound/<provider>.

The provider posts every reply here. The request must carry the provider's signature
over this URL (as BASE_URL spells it) and its parameters; anything else is 403 and
changes nothing. The answer is empty TwiML: we send no automatic reply (the provider's
own STOP confirmation is the one the law asks for)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from groundswell.texts import inbound, providers

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def webhook_url(request: HttpRequest) -> str:
    """The URL the provider signed: BASE_URL and the path it called, with its query."""
    return settings.BASE_URL.rstrip("/") + request.get_full_path()


@csrf_exempt
@require_POST
def receive(request: HttpRequest, provider: str) -> HttpResponse:
    sender = providers.provider()
    if provider != sender.name or provider == "console":
        raise Http404
    params = {key: request.POST.get(key, "") for key in request.POST}
    signature = request.headers.get("X-Twilio-Signature", "")
    if not sender.verify(webhook_url(request), params, signature):
        return HttpResponseForbidden("Bad signature", content_type="text/plain")
    inbound.receive(params.get("From", ""), params.get("Body", ""))
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")

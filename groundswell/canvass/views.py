"""Canvassers' pages at /canvass/: the offline phone app (its page, service worker and
manifest), the two JSON endpoints it talks to, and a precinct captain's page.

Every endpoint that reads or writes canvass data asks groundswell.canvass.access for
the code's canvasser first; nothing here checks a code any other way.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.canvass import access, sync
from groundswell.canvass.dashboard import precinct_completion
from groundswell.core import busy
from groundswell.core.http import client_ip
from groundswell.organizations.permissions import keep_private


def _refused() -> JsonResponse:
    return JsonResponse(
        {"error": _("This code does not work (any more). Ask your organizer for a new one.")},
        status=403,
    )


def _client(request: HttpRequest) -> str:
    # A request whose address cannot be read counts against one shared subject.
    return client_ip(request) or "unknown"


def _too_many(exc: access.TooManyGuesses) -> HttpResponse:
    response = _json(
        {"error": _("Too many wrong codes came from your network. Try again later.")},
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


def _json(data: dict[str, Any], status: int = 200) -> HttpResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    keep_private(response)
    return response


def _texts() -> dict[str, Any]:
    """The phone app's words, in the page's language (the script has none of its own)."""
    return {
        "pendingOne": ngettext("%(count)s visit not yet sent", "%(count)s visits not yet sent", 1),
        "pendingOther": ngettext(
            "%(count)s visit not yet sent", "%(count)s visits not yet sent", 2
        ),
        "allSent": _("Every visit is sent."),
        "offline": _("No connection: visits are kept on this phone and sent later."),
        "refused": _("This code does not work (any more). Ask your organizer for a new one."),
        "rejected": _(
            "The server refused some visits; they are kept here. "
            "Download them and give them to your organizer."
        ),
        "loading": _("Downloading your turf…"),
        "loadFailed": _("Could not download your turf. Check the connection and try again."),
        "record": _("Record visit"),
        "save": _("Save visit"),
        "cancel": _("Cancel"),
        "result": _("What happened?"),
        "note": _("Note"),
        "who": _("Who answered?"),
        "nobody": _("Not listed"),
        "language": _("Language spoken"),
        "visited": _("Visited"),
        "saved": _("Visit saved."),
        "doors": _("Doors"),
    }


@require_safe
def phone(request: HttpRequest) -> HttpResponse:
    """The app's one page: it works offline once loaded (the service worker keeps it)."""
    assets = [static("canvass/phone.js"), static("canvass/phone.css")]
    return render(
        request,
        "canvass/phone.html",
        {"texts": _texts(), "assets": json.dumps([request.path, *assets])},
    )


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /canvass/ so that its scope is the canvass app and nothing else."""
    path = finders.find("canvass/sw.js")
    assert isinstance(path, str)
    with open(path, encoding="utf-8") as handle:
        response = HttpResponse(handle.read(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": _("Groundswell canvassing"),
        "short_name": _("Canvass"),
        "start_url": "/canvass/",
        "scope": "/canvass/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d4f91",
        "icons": [{"src": static("canvass/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@never_cache
@require_safe
def turf(request: HttpRequest) -> HttpResponse:
    """The canvasser's turf, script and result codes, for the phone to keep."""
    try:
        canvasser = access.canvasser_for_client(request.META.get(access.HEADER), _client(request))
        return _json(sync.turf_download(canvasser))
    except access.AccessRefused:
        return _refused()
    except access.TooManyGuesses as exc:
        return _too_many(exc)
    except sync.Rejected as exc:
        return _json({"error": exc.message}, status=exc.status)


@csrf_exempt  # a code in a header, not a cookie: no cross-site request can carry it
@require_POST
def visits(request: HttpRequest) -> HttpResponse:
    """Upload visits (groundswell.canvass.sync): all or nothing per batch, idempotent."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > sync.MAX_BYTES:
        return _json(
            {
                "error": _("Too much at once: send at most %(count)s visits per upload.")
                % {"count": sync.MAX_VISITS}
            },
            status=413,
        )
    try:
        canvasser = access.canvasser_for_client(request.META.get(access.HEADER), _client(request))
        body = request.body
        receipt = busy.retry_when_busy(lambda: sync.record(canvasser, body))
    except access.AccessRefused:
        return _refused()
    except access.TooManyGuesses as exc:
        return _too_many(exc)
    except busy.DatabaseBusy:
        # Nothing was written; the phone keeps the visits and sends them again.
        response = _json(
            {"error": _("The server is busy: your visits are kept and sent again soon.")},
            status=503,
        )
        response["Retry-After"] = "5"
        return response
    except sync.Rejected as exc:
        return _json({"error": exc.message, "problems": exc.problems}, status=exc.status)
    return _json({"acknowledged": receipt.acknowledged, "new": receipt.new})


@require_http_methods(["GET", "POST"])
def captain(request: HttpRequest) -> HttpResponse:
    """A precinct captain types their code and sees how far their precinct is."""
    context: dict[str, Any] = {}
    if request.method == "POST":
        try:
            canvasser = access.canvasser_for_client(request.POST.get("code"), _client(request))
        except access.AccessRefused:
            context["error"] = _(
                "This code does not work (any more). Ask your organizer for a new one."
            )
        except access.TooManyGuesses as exc:
            context["error"] = _("Too many wrong codes came from your network. Try again later.")
            context["retry_after"] = exc.retry_after
        else:
            if canvasser.precinct_id is None:
                context["error"] = _("This code is a canvasser's: open it on the canvassing page.")
            else:
                context["canvasser"] = canvasser
                context["completion"] = precinct_completion(
                    canvasser.canvass, canvasser.precinct_id
                )
    status = 429 if "retry_after" in context else 403 if "error" in context else 200
    response = render(request, "canvass/captain.html", context, status=status)
    if "retry_after" in context:
        response["Retry-After"] = str(context["retry_after"])
    return keep_private(response)  # type: ignore[return-value]

import sys
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from groundswell.core import busy, health
from groundswell.core.incidents import is_transient_database_error


def _health_response(report: dict[str, Any]) -> JsonResponse:
    status = 503 if report["status"] == health.ERROR else 200
    return JsonResponse(report, status=status, json_dumps_params={"ensure_ascii": False})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The whole platform: 503 when the database refuses writes, no worker beats, the
    clock stopped or work is stuck; 200 otherwise (status "degraded" when Redis is
    down). For monitoring and alerts."""
    return _health_response(health.report())


@never_cache
def healthz_app(request: HttpRequest) -> HttpResponse:
    """This app server and its database only: for load balancers, which should not
    take every app server out because the worker stopped."""
    return _health_response(health.app_report())


def set_language(request: HttpRequest, code: str) -> HttpResponse:
    """Remember the reader's language in a cookie, then go back where they were."""
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler: a busy database is a 503 that says so (with Retry-After), in
    JSON for the API; anything else is the usual error page."""
    exc = sys.exc_info()[1]
    if exc is not None and (isinstance(exc, busy.DatabaseBusy) or is_transient_database_error(exc)):
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"error": _("The database is busy; nothing was saved. Try again in a minute.")},
                status=503,
            )
            response["Retry-After"] = str(busy.RETRY_AFTER)
            return response
        return busy.busy_response()
    return defaults.server_error(request)

"""The API's HTTP edge: token authentication, the rate limit, JSON bodies and errors.

Every endpoint is a function `(api, **url_kwargs) -> (status, body)` registered per
method with `endpoint(GET=..., POST=...)`; this module turns it into a Django view that
answers only JSON (`{"error": "..."}` on failure, as Action Network does).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from groundswell.api import actions, ratelimit, schema
from groundswell.api.models import ApiToken
from groundswell.organizations.models import Organization
from groundswell.people import audit
from groundswell.people.models import AuditEvent, Person

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/hal+json"
MAX_BODY_BYTES = 256 * 1024
MAX_ID = 2**63 - 1
TOKEN_HEADER = "HTTP_OSDI_API_TOKEN"  # noqa: S105 (any case: Django upper-cases it)
TOKEN_PARAM = "osdi-api-token"  # noqa: S105

Body = dict[str, Any]
Handler = Callable[..., tuple[int, Body]]


class ApiError(Exception):
    """Answered as `{"error": message}` with this status; nothing was changed."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def not_found(kind: str) -> ApiError:
    return ApiError(404, _("Couldn't find %(kind)s with that id") % {"kind": kind})


@dataclass
class Api:
    """One authenticated request: whose it is, and how to build links."""

    request: HttpRequest
    token: ApiToken
    base: str
    audited: bool = field(default=False)

    @property
    def organization(self) -> Organization:
        return self.token.organization

    def href(self, *parts: object) -> str:
        return "/".join([self.base, *(str(p) for p in parts)])

    def query(self, name: str) -> str:
        return self.request.GET.get(name, "")

    def body(self, declared: schema.Schema) -> Body:
        """The JSON body, validated against its declaration (400/413 otherwise)."""
        length = self.request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            raise ApiError(413, _("The request body is too large."))
        raw = self.request.body
        if len(raw) > MAX_BODY_BYTES:
            raise ApiError(413, _("The request body is too large."))
        if not raw.strip():
            raise ApiError(400, _("The request needs a JSON body."))
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise ApiError(400, _("The request body is not valid JSON.")) from None
        try:
            return schema.validate(data, declared)
        except schema.Invalid as exc:
            raise ApiError(400, str(exc)) from None
        except RecursionError:
            raise ApiError(400, _("The request body is nested too deeply.")) from None

    def audit(self, detail: str, *, person: Person | None = None, records: int = 0) -> None:
        """Note this access to supporter data in the organization's audit log (never the
        filter or body: they may hold someone's address)."""
        audit.record(
            self.organization,
            AuditEvent.Action.API,
            request=self.request,
            person=person,
            detail=f"{detail} (token {self.token.prefix}…)",
            records=records,
        )


def error(status: int, message: str, headers: dict[str, str] | None = None) -> HttpResponse:
    response = JsonResponse({"error": message}, status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    patch_cache_control(response, no_store=True, private=True)
    return response


def object_id(raw: str, kind: str) -> int:
    """A positive id from the URL, or 404 (an id no database could hold is not found)."""
    value = int(raw) if raw.isdigit() and len(raw) < 20 else 0
    if not 0 < value <= MAX_ID:
        raise not_found(kind)
    return value


def _token_of(request: HttpRequest) -> str:
    return (request.META.get(TOKEN_HEADER) or request.GET.get(TOKEN_PARAM) or "").strip()


def _repeated_parameters(request: HttpRequest) -> list[str]:
    """Query parameters given more than once. Django would take the last, so
    `?filter=a&filter=b` would quietly mean b: no parameter of ours is a list."""
    return sorted(name[:40] for name, values in request.GET.lists() if len(values) > 1)


def endpoint(**handlers: Handler) -> Callable[..., HttpResponse]:
    """A view answering the given methods (HEAD as GET) for a token holder."""
    allowed = sorted({*handlers, "HEAD"} if "GET" in handlers else set(handlers))

    @csrf_exempt
    def view(request: HttpRequest, **kwargs: str) -> HttpResponse:
        method = "GET" if request.method == "HEAD" else (request.method or "GET")
        if repeated := _repeated_parameters(request):
            return error(
                400,
                _("Give each query parameter once: %(names)s came more than once.")
                % {"names": ", ".join(repeated)},
            )
        token = actions.authenticate(_token_of(request))
        if token is None:
            return error(401, _("API Key invalid or not present"))
        handler = handlers.get(method)
        if handler is None:
            return error(405, _("Method not allowed"), {"Allow": ", ".join(allowed)})
        wait = ratelimit.retry_after(token)
        if wait is not None:
            return error(
                429, _("Too many requests: wait and try again."), {"Retry-After": str(wait)}
            )
        api = Api(request, token, request.build_absolute_uri(reverse("api:entry")).rstrip("/"))
        try:
            if method == "GET":  # reads write no more than an audit row: no lock taken
                status, body = handler(api, **kwargs)
            else:
                with transaction.atomic():
                    status, body = handler(api, **kwargs)
        except ApiError as exc:
            return error(exc.status, exc.message, exc.headers)
        response = JsonResponse(
            body, status=status, content_type=CONTENT_TYPE, json_dumps_params={"indent": None}
        )
        patch_cache_control(response, no_store=True, private=True)
        return response

    view.handlers = handlers  # type: ignore[attr-defined]
    return view

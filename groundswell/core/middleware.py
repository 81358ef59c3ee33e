from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Everything is served from our own origin: no CDNs, no fonts or trackers from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
PERMISSIONS_POLICY = "interest-cohort=(), browsing-topics=()"


def content_security_policy(*, frame_ancestors: Iterable[str]) -> str:
    """The same policy for a page that other websites may frame: only those listed (as
    CSP sources, already validated) and our own pages. Everything else stays identical."""
    sources = " ".join(["'self'", *frame_ancestors])
    return CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", f"frame-ancestors {sources}")


def security_headers(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        # A view that sets its own policy (the petition embeds) keeps it.
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware


def static_file_headers(headers: Any, path: str, url: str) -> None:
    """WHITENOISE_ADD_HEADERS_FUNCTION: WhiteNoise answers static files before the
    middleware that gives pages their policy runs, so they get it here. A static file
    opened on its own (an SVG above all) is a document like any page."""
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    headers["Permissions-Policy"] = PERMISSIONS_POLICY


class RefuseUndecodableForms:
    """A form sent with text that is not UTF-8 gets a 400 and reaches no view.

    Django reads such bytes as U+FFFD (its QueryDict and multipart parser decode with
    errors="replace"), so a name would be stored as "��" without anyone knowing. A
    urlencoded body is checked byte for byte before Django parses it. A multipart body
    (a file upload) cannot be read twice, so there a field holding U+FFFD once parsed
    is refused: that is the mark Django leaves, and no form of ours asks for it. Only
    where Django parses the form anyway (for its CSRF check), so that a view reading a
    body of another kind (the API's JSON) is never made to parse it as a form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method not in ("POST", "PUT", "PATCH") or request.path.startswith("/api/"):
            return None  # the API reads JSON, never a form, and answers its errors in JSON
        if request.content_type == "application/x-www-form-urlencoded":
            readable = _urlencoded_decodes(request.body)
        elif request.content_type == "multipart/form-data" and not getattr(
            view, "csrf_exempt", False
        ):
            readable = not any(
                "\ufffd" in key or any("\ufffd" in value for value in values)
                for key, values in request.POST.lists()
            )
        else:
            readable = True
        return None if readable else render(request, "400.html", status=400)


def _urlencoded_decodes(body: bytes) -> bool:
    """Every name and value of this urlencoded body is UTF-8 once unquoted."""
    try:
        for pair in body.split(b"&"):
            for part in pair.split(b"=", 1):
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True

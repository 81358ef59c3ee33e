from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse

# Everything is served from our own origin: no CDNs, no fonts or trackers from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def content_security_policy(*, frame_ancestors: Iterable[str]) -> str:
    """The same policy for a page that other websites may frame: only those listed (as
    CSP sources, already validated) and our own pages. Everything else stays identical."""
    sources = " ".join(["'self'", *frame_ancestors])
    return CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", f"frame-ancestors {sources}")


def security_headers(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        # A view that sets its own policy (the petition embeds) keeps it.
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "interest-cohort=(), browsing-topics=()")
        return response

    return middleware

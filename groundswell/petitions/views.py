"""Public petition pages, the signing endpoint and the public JSON."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.core import busy, screening, tokens
from groundswell.core.http import client_ip
from groundswell.core.middleware import content_security_policy
from groundswell.districts.models import Kind
from groundswell.organizations.models import Organization
from groundswell.petitions import (
    actions,
    challenge,
    discovery,
    goals,
    integrity,
    next_steps,
    share_image,
    sharing,
    signing_facts,
)
from groundswell.petitions.forms import SignatureForm, clean_source
from groundswell.petitions.models import (
    Petition,
    PetitionCount,
    Signature,
    SignatureState,
    Status,
)
from groundswell.petitions.sharing import share_links

PUBLIC_MAX_AGE = 10  # seconds a shared proxy may serve a petition page without asking again
COUNT_MAX_AGE = 2


def _published(slug: str) -> Petition:
    petition = get_object_or_404(
        Petition.objects.published().select_related("owner", "count"), slug=slug
    )
    return petition


def _cache_publicly(request: HttpRequest, response: HttpResponse, max_age: int) -> HttpResponse:
    """Let a shared proxy absorb a crowd of anonymous readers (s-maxage), while each
    reader's browser asks again, so a signer who just confirmed sees the new count.
    What a signed-in user sees is never cached."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=0, s_maxage=max_age)
    return response


def public_ward_map(petition: Petition) -> dict[str, Any]:
    """The map of verified signers by ward and its table, where the owner chose to show
    them (counts only: no one's ward is told)."""
    if not petition.show_ward_map:
        return {}
    from groundswell.petitions.delivery import wards

    by_ward = wards.signers_by_ward(petition)
    return {
        "ward_map": wards.ward_map(petition, by_ward, element_id="ward-map"),
        "ward_rows": wards.ward_rows(petition, by_ward),
    }


def petition_context(petition: Petition, form: SignatureForm | None, source: str) -> dict[str, Any]:
    count = getattr(petition, "count", None) or PetitionCount(petition=petition)
    timeline: list[tuple[Any, str, Any]] = [
        (u.created_at.date(), "update", u) for u in petition.updates.all()
    ] + [(r.responded_on, "response", r) for r in petition.responses.select_related("target")]
    timeline += [
        (d.delivered_on, "delivery", d) for d in petition.deliveries.prefetch_related("targets")
    ]
    timeline.sort(key=lambda item: (item[0], item[1]))
    sponsors = petition.organizations  # one query, used by the list and the form
    return {
        "petition": petition,
        "targets": list(petition.targets.all()),
        "sponsors": sponsors,
        "count": count,
        "goal": goals.goal_for(count.shown),
        "milestones": list(petition.milestones.all()),
        "recent_signers": Signature.objects.filter(
            petition=petition, state=SignatureState.VERIFIED, public=True
        ).order_by("-created_at")[:10],
        "timeline": timeline,
        **public_ward_map(petition),
        "form": form or SignatureForm(organizations=sponsors, initial={"source": source}),
        "share_links": share_links(petition, petition.display_title),
        "source": source,
        "form_token": integrity.SIGN_SCREEN.token(),
    }


def _page_key(request: HttpRequest, kind: str) -> str:
    """The reader cache's key for this page, in this language."""
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"petitions:{kind}:{translation.get_language()}:{digest}"


def _reusable(request: HttpRequest) -> bool:
    """Whether this reader sees the page anyone else would: not signed in, no message
    waiting for them (the layout shows messages)."""
    if request.user.is_authenticated:
        return False
    return not list(messages.get_messages(request))


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The petition page. For anonymous readers the rendered page is reused for a few
    seconds in each process (or in Redis), so a crowd costs a cache read per view even
    before a proxy caches it."""
    key = None
    if settings.PAGE_CACHE_SECONDS and _reusable(request):
        key = _page_key(request, "page")
        if (html := cache.get(key)) is not None:
            return _cache_publicly(request, HttpResponse(html), PUBLIC_MAX_AGE)
    petition = _published(slug)
    source = clean_source(request.GET.get("source"))
    response = render(request, "petitions/detail.html", petition_context(petition, None, source))
    if key is not None:
        cache.set(key, response.content, settings.PAGE_CACHE_SECONDS)
    return _cache_publicly(request, response, PUBLIC_MAX_AGE)


def _same_origin(request: HttpRequest) -> bool:
    """Reject a browser's cross-site POST: its Origin (or Referer) names another site."""
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.get_host()


@dataclass(frozen=True)
class SignPages:
    """Where the sign POST answers: the petition's own page, or its embed (in a frame on
    an organization's website). The rules are the same; only the pages differ."""

    form_template: str
    refused_template: str
    context: Callable[[Petition, SignatureForm | None, str], dict[str, Any]]
    thanks_url: Callable[[str], str]


PETITION_PAGES = SignPages(
    form_template="petitions/detail.html",
    refused_template="petitions/refused.html",
    context=petition_context,
    thanks_url=lambda slug: reverse("petitions:thanks", args=[slug]),
)


# The sign form carries no CSRF cookie so that petition pages stay cacheable for
# crowds (and embeds work where third-party cookies are blocked); a forged cross-site
# POST is refused by its Origin, and every signature still needs its email confirmed
# before it counts.
@csrf_exempt
@require_POST
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    return _sign(request, slug, PETITION_PAGES)


def _sign(request: HttpRequest, slug: str, pages: SignPages) -> HttpResponse:
    petition = signing_facts.get(slug)  # cached: no query per signature during a surge
    if petition is None:
        raise Http404
    if not _same_origin(request):
        return render(
            request,
            pages.refused_template,
            {"petition": _published(slug), "reason": _("This form was sent from another website.")},
            status=403,
        )
    source = clean_source(request.POST.get("source"))
    if not petition.is_signable:
        context = pages.context(_published(slug), None, source)
        context["closed_error"] = True
        return render(request, pages.form_template, context, status=409)
    form = SignatureForm(request.POST, organizations=list(petition.organizations))
    if not form.is_valid():
        context = pages.context(_published(slug), form, source)
        return render(request, pages.form_template, context, status=400)
    fields = form.signature_fields()

    def screen_and_record() -> screening.Verdict:
        verdict = integrity.screen(
            petition,
            request,
            email=fields["email_normalized"],
            puzzle_solved=not petition.requires_challenge
            or challenge.verify(petition, request.POST.get("altcha", "")),
        )
        if not verdict.refusal:
            actions.record_signature(
                petition,
                **fields,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                ip_address=client_ip(request),
                suspect_reason=verdict.suspect_reason,
                # Suspects get no email (clearing them sends it), so a bot cannot use
                # the form to mail strangers beyond the rate limits.
                send_email=not verdict.suspect_reason,
            )
        return verdict

    try:
        verdict = busy.retry_when_busy(screen_and_record)
    except busy.DatabaseBusy:
        # Said plainly: the signature is not stored, so the signer must send it again.
        return busy.busy_response(
            what=_("Your signature was not saved."), back=petition_url_for_retry(request, slug)
        )
    if verdict.status == 429:
        # Past the hard cap: nothing stored, and said so, with when to try again.
        return screening.too_many_response(
            verdict, what=str(verdict.refusal), back=petition_url_for_retry(request, slug)
        )
    if verdict.refusal:
        context = pages.context(_published(slug), form, source)
        context["refusal"] = verdict.refusal
        return render(request, pages.form_template, context, status=verdict.status)
    # Whatever happened (new, signed before, confirmed before, suspect), the page is the
    # same: nobody can learn from it whether an address has signed. The email says more.
    return HttpResponseRedirect(pages.thanks_url(petition.slug), status=303)


def petition_url_for_retry(request: HttpRequest, slug: str) -> str:
    """Where "back to the form" leads: the page the form was on (an embed or the
    petition's own page), if it was ours, else the petition's page."""
    referer = request.headers.get("Referer", "")
    if referer and urlsplit(referer).netloc == request.get_host():
        return urlsplit(referer)._replace(scheme="", netloc="").geturl() or "/"
    return reverse("petitions:detail", args=[slug])


@require_safe
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    petition = _published(slug)
    return render(
        request,
        "petitions/thanks.html",
        {
            "petition": petition,
            "share_links": share_links(petition, petition.display_title),
            **next_steps.next_steps(petition).as_context(),
        },
    )


# GET only looks, the page's button POSTs to confirm (core.tokens.follow).
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    result = tokens.follow(
        request, token, act=actions.verify_signature, look=actions.check_verification
    )
    petition = result.signature.petition if result.signature else None
    context = {
        "outcome": result.outcome.value,
        "petition": petition,
        "token": token,
        "share_links": share_links(petition, petition.display_title) if petition else [],
    }
    if petition and result.outcome.value in ("confirmed", "already_confirmed"):
        context |= next_steps.next_steps(petition, ward=signers_ward(result.signature)).as_context()
    response = render(request, "petitions/verify.html", context, status=result.outcome.status)
    patch_cache_control(response, private=True, no_store=True)
    return response


def signers_ward(signature: Signature | None) -> int | None:
    """The ward the worker located the signer in, if it did (for an event nearby)."""
    district = getattr(signature, "district", None)
    if district is None or district.set.kind != Kind.WARD:
        return None
    return district.number


@require_safe
def petition_list(request: HttpRequest) -> HttpResponse:
    """Open petitions, searched and filtered (petitions.discovery), and the victories."""
    filters = discovery.read_filters(request.GET)
    page = Paginator(discovery.find(filters), 20).get_page(request.GET.get("page"))
    victories = (
        Petition.objects.victories().select_related("owner", "count").order_by("-won_at")[:10]
    )
    response = render(
        request,
        "petitions/list.html",
        {
            "page": page,
            "filters": filters,
            "order": filters.order,
            "order_links": [
                (code, name, filters.query(order=code)) for code, name in discovery.ORDERS.items()
            ],
            "victories": victories if not filters.any else [],
            **discovery.choices(),
        },
    )
    return _cache_publicly(request, response, PUBLIC_MAX_AGE)


def _absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


@require_safe
def petition_json(request: HttpRequest, slug: str) -> HttpResponse:
    """The petition's public data. Never any signer's personal data."""
    petition = _published(slug)
    count = getattr(petition, "count", None) or PetitionCount(petition=petition)
    data = {
        "slug": petition.slug,
        "url": _absolute(petition.get_absolute_url()),
        "status": petition.status,
        "title": petition.title,
        "ask": petition.ask,
        "why": petition.why,
        "translations": {
            "es": {"title": petition.title_es, "ask": petition.ask_es, "why": petition.why_es}
        },
        "targets": [
            {"name": t.name, "title": t.title, "office": t.office} for t in petition.targets.all()
        ],
        "owner": {
            "name": petition.owner.name,
            "slug": petition.owner.slug,
            "url": _absolute(petition.owner.get_absolute_url()),
        },
        "sponsors": [
            {"name": o.name, "slug": o.slug, "url": _absolute(o.get_absolute_url())}
            for o in petition.organizations
        ],
        "deadline": petition.deadline.isoformat() if petition.deadline else None,
        "published_at": petition.published_at.isoformat() if petition.published_at else None,
        "closed_at": petition.closed_at.isoformat() if petition.closed_at else None,
        "won_at": petition.won_at.isoformat() if petition.won_at else None,
        "counts_unverified": petition.counts_unverified,
        "signature_count": count.shown,
        "verified_count": count.verified,
        "goal": goals.goal_for(count.shown),
        "milestones": [
            {"threshold": m.threshold, "reached_at": m.reached_at.isoformat()}
            for m in petition.milestones.all()
        ],
        "updates": [
            {"title": u.title, "body": u.body, "created_at": u.created_at.isoformat()}
            for u in petition.updates.all()
        ],
        "responses": [
            {"by": r.who, "body": r.body, "responded_on": r.responded_on.isoformat()}
            for r in petition.responses.select_related("target")
        ],
        "deliveries": [
            {
                "delivered_on": d.delivered_on.isoformat(),
                "delivered_by": d.delivered_by,
                "method": d.method,
                "to": [str(t) for t in d.targets.all()],
                "note": d.note,
            }
            for d in petition.deliveries.prefetch_related("targets")
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return _cache_publicly(request, response, PUBLIC_MAX_AGE)


@require_safe
def count_json(request: HttpRequest, slug: str) -> HttpResponse:
    """The live count, cheap enough for a crowd refreshing it."""
    key = f"petitions:count:{hashlib.sha256(slug.encode()).hexdigest()[:32]}"
    if (body := cache.get(key)) is None:
        body = _count_body(slug)
        if settings.COUNT_CACHE_SECONDS:
            cache.set(key, body, settings.COUNT_CACHE_SECONDS)
    response = HttpResponse(body, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=COUNT_MAX_AGE)
    return response


def _count_body(slug: str) -> bytes:
    row = (
        PetitionCount.objects.filter(petition__slug=slug)
        .exclude(petition__status=Status.DRAFT)
        .values("shown", "verified", "updated_at")
        .first()
    )
    if row is None and not Petition.objects.published().filter(slug=slug).exists():
        raise Http404
    shown = row["shown"] if row else 0
    return json.dumps(
        {
            "count": shown,
            "verified": row["verified"] if row else 0,
            "goal": goals.goal_for(shown),
            "updated_at": row["updated_at"].isoformat() if row else None,
        }
    ).encode()


# --- Embeds: the sign form in a frame on an organization's own website ---------------------
#
# No cookie is set or needed (browsers block third-party cookies): no session, no CSRF
# cookie, no language cookie. The sign POST is protected as on the petition page, by its
# Origin (inside the frame the form's origin is ours) and the signed form token that
# integrity.screen checks. Only the owner organization's listed websites may frame these
# pages (CSP frame-ancestors); every other page keeps X-Frame-Options DENY.

EMBED_SOURCE = "embed"  # the dashboard's "where signers came from" for embedded signing


def _asked_language(request: HttpRequest) -> str | None:
    """?lang= when it names one of our languages (else Accept-Language decides)."""
    code = request.GET.get("lang", "")
    return code if code in dict(settings.LANGUAGES) else None


def _embed_query(lang: str | None) -> str:
    return f"?{urlencode({'lang': lang})}" if lang else ""


def _frameable(response: HttpResponse, origins: list[str]) -> HttpResponse:
    """Let the listed websites (and our own pages) frame this response, and no others."""
    response["Content-Security-Policy"] = content_security_policy(frame_ancestors=origins)
    return response


def _owner_origins(slug: str) -> list[str]:
    owner = Organization.objects.filter(petitions_owned__slug=slug).only("embed_origins").first()
    return owner.embed_origin_list if owner else []


def embed_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An embed page: exempt from X-Frame-Options DENY, its CSP frame-ancestors naming
    who may frame it instead (the owner's websites; our own pages when none are listed),
    and in the ?lang= language when one is asked for (the language cookie is not sent)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str) -> HttpResponse:
        lang = _asked_language(request)
        with translation.override(lang) if lang else contextlib.nullcontext():
            response = view(request, slug, lang)
            response.headers["Content-Language"] = translation.get_language()
        if "Content-Security-Policy" not in response.headers:
            _frameable(response, _owner_origins(slug))
        return response

    return xframe_options_exempt(wrapper)


def embed_context(
    petition: Petition, form: SignatureForm | None, source: str, lang: str | None = None
) -> dict[str, Any]:
    count = getattr(petition, "count", None) or PetitionCount(petition=petition)
    sponsors = petition.organizations
    return {
        "petition": petition,
        "count": count,
        "goal": goals.goal_for(count.shown),
        "form": form or SignatureForm(organizations=sponsors, initial={"source": source}),
        "form_token": integrity.SIGN_SCREEN.token(),
        "sign_action": reverse("petitions:embed_sign", args=[petition.slug]) + _embed_query(lang),
    }


def _embed_pages(lang: str | None) -> SignPages:
    query = _embed_query(lang)
    return SignPages(
        form_template="petitions/embed.html",
        refused_template="petitions/embed_refused.html",
        context=functools.partial(embed_context, lang=lang),
        thanks_url=lambda slug: reverse("petitions:embed_thanks", args=[slug]) + query,
    )


@require_safe
@embed_view
def embed(request: HttpRequest, slug: str, lang: str | None) -> HttpResponse:
    """The petition's title, count and sign form, for a frame on another website. Reused
    from the reader cache like the petition page: an embed on a busy website is a crowd."""
    key = _page_key(request, "embed") if settings.PAGE_CACHE_SECONDS else None
    if key is not None and (cached := cache.get(key)) is not None:
        html, origins = cached
        response = _frameable(HttpResponse(html), origins)
    else:
        petition = _published(slug)
        source = clean_source(request.GET.get("source")) or EMBED_SOURCE
        context = embed_context(petition, None, source, lang)
        response = render(request, "petitions/embed.html", context)
        origins = petition.owner.embed_origin_list
        _frameable(response, origins)
        if key is not None:
            cache.set(key, (response.content, origins), settings.PAGE_CACHE_SECONDS)
    patch_cache_control(response, public=True, max_age=0, s_maxage=PUBLIC_MAX_AGE)
    return response


# csrf_exempt for the reasons on `sign`, whose rules this shares entirely.
@csrf_exempt
@require_POST
@embed_view
def embed_sign(request: HttpRequest, slug: str, lang: str | None) -> HttpResponse:
    return _sign(request, slug, _embed_pages(lang))


@require_safe
@embed_view
def embed_thanks(request: HttpRequest, slug: str, lang: str | None) -> HttpResponse:
    petition = _published(slug)
    # The same for every signer (nothing of theirs): the petition's own people's next
    # steps, not other organizations' petitions, on the owner's website.
    steps = next_steps.next_steps(petition, petitions=0)
    response = render(
        request, "petitions/embed_thanks.html", {"petition": petition, **steps.as_context()}
    )
    return _frameable(response, petition.owner.embed_origin_list)


@require_safe
def share_png(request: HttpRequest, slug: str) -> HttpResponse:
    """The picture a shared link shows (og:image), 1200 x 630, redrawn at count steps, in
    the ?lang= language: each language's page names its own picture, since a link
    preview's robot sends no language of its own (else the reader's language)."""
    lang = _asked_language(request)
    with translation.override(lang) if lang else contextlib.nullcontext():
        petition = _published(slug)
        response = HttpResponse(share_image.share_image(petition), content_type="image/png")
        response.headers["Content-Language"] = translation.get_language()
    return _cache_publicly(request, response, 3600)


@require_safe
def qr_svg(request: HttpRequest, slug: str) -> HttpResponse:
    """A QR code of the petition's address (source "qr") for printed flyers."""
    import segno

    petition = _published(slug)
    out = io.BytesIO()
    segno.make(sharing.petition_url(petition, "qr"), error="m").save(
        out, kind="svg", scale=8, border=4, title=petition.display_title
    )
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="{petition.slug}-qr.svg"'
    return _cache_publicly(request, response, 3600)

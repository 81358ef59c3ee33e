"""Public petition pages, the signing endpoint and the public JSON."""

from __future__ import annotations

import hashlib
import json
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
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.core.http import client_ip
from groundswell.petitions import actions, challenge, goals, integrity, signing_facts
from groundswell.petitions.forms import SignatureForm, clean_source
from groundswell.petitions.models import (
    Petition,
    PetitionCount,
    Signature,
    SignatureState,
    Status,
)

PUBLIC_MAX_AGE = 10  # seconds a shared proxy may serve a petition page without asking again
COUNT_MAX_AGE = 2

SHARE_NETWORKS = (
    ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?{}", "u"),
    ("twitter", "X / Twitter", "https://twitter.com/intent/tweet?{}", "url"),
    ("whatsapp", "WhatsApp", "https://wa.me/?{}", "text"),
)


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


def share_links(petition: Petition, text: str) -> list[dict[str, str]]:
    """Share links, each carrying a source code so the dashboard shows what worked."""
    page = f"{settings.BASE_URL}{petition.get_absolute_url()}"
    links = []
    for code, name, pattern, param in SHARE_NETWORKS:
        url = f"{page}?{urlencode({'source': code})}"
        value = f"{text} {url}" if param == "text" else url
        href = pattern.format(urlencode({param: value}))
        links.append({"code": code, "name": name, "href": href})
    mail_url = f"{page}?{urlencode({'source': 'email'})}"
    links.append(
        {
            "code": "email",
            "name": _("Email"),
            "href": "mailto:?" + urlencode({"subject": text, "body": f"{text}\n\n{mail_url}"}),
        }
    )
    return links


def petition_context(petition: Petition, form: SignatureForm | None, source: str) -> dict[str, Any]:
    count = getattr(petition, "count", None) or PetitionCount(petition=petition)
    timeline: list[tuple[Any, str, Any]] = [
        (u.created_at.date(), "update", u) for u in petition.updates.all()
    ] + [(r.responded_on, "response", r) for r in petition.responses.select_related("target")]
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
        "form": form or SignatureForm(organizations=sponsors, initial={"source": source}),
        "share_links": share_links(petition, petition.display_title),
        "source": source,
        "form_token": integrity.form_token(),
    }


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
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        key = f"petitions:page:{translation.get_language()}:{digest}"
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


# The sign form carries no CSRF cookie so that petition pages stay cacheable for
# crowds; a forged cross-site POST is refused by its Origin, and every signature still
# needs its email confirmed before it counts.
@csrf_exempt
@require_POST
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    petition = signing_facts.get(slug)  # cached: no query per signature during a surge
    if petition is None:
        raise Http404
    if not _same_origin(request):
        return render(
            request,
            "petitions/refused.html",
            {"petition": _published(slug), "reason": _("This form was sent from another website.")},
            status=403,
        )
    source = clean_source(request.POST.get("source"))
    if not petition.is_signable:
        context = petition_context(_published(slug), None, source)
        context["closed_error"] = True
        return render(request, "petitions/detail.html", context, status=409)
    form = SignatureForm(request.POST, organizations=list(petition.organizations))
    if not form.is_valid():
        context = petition_context(_published(slug), form, source)
        return render(request, "petitions/detail.html", context, status=400)
    fields = form.signature_fields()
    ip = client_ip(request)
    verdict = integrity.screen(
        petition,
        ip=ip,
        email=fields["email_normalized"],
        form_token=request.POST.get("form_token", ""),
        honeypot=request.POST.get("website", ""),
        challenge_ok=not petition.requires_challenge
        or challenge.verify(petition, request.POST.get("altcha", "")),
    )
    if verdict.refusal:
        context = petition_context(_published(slug), form, source)
        context["refusal"] = verdict.refusal
        return render(request, "petitions/detail.html", context, status=403)
    actions.record_signature(
        petition,
        **fields,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        ip_address=ip,
        suspect_reason=verdict.suspect_reason,
        send_email=verdict.send_email,
    )
    # Whatever happened (new, signed before, confirmed before, suspect), the page is the
    # same: nobody can learn from it whether an address has signed. The email says more.
    return HttpResponseRedirect(reverse("petitions:thanks", args=[petition.slug]), status=303)


@require_safe
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    petition = _published(slug)
    more = Petition.objects.open().exclude(pk=petition.pk).top_signed().select_related("owner")[:3]
    return render(
        request,
        "petitions/thanks.html",
        {
            "petition": petition,
            "share_links": share_links(petition, petition.display_title),
            "more_petitions": more,
        },
    )


# GET only shows a button; the POST confirms. Mail scanners that open every link must
# not confirm a signature someone else typed an address into. The token authenticates
# the POST, which comes from the email's link page without a CSRF cookie.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        result = actions.verify_signature(token)
    else:
        result = actions.check_verification(token)
    status = {
        actions.VerifyOutcome.PENDING: 200,
        actions.VerifyOutcome.VERIFIED: 200,
        actions.VerifyOutcome.ALREADY_VERIFIED: 200,
        actions.VerifyOutcome.EXPIRED: 410,
        actions.VerifyOutcome.INVALID: 400,
    }[result.outcome]
    petition = result.signature.petition if result.signature else None
    context = {
        "outcome": result.outcome.value,
        "petition": petition,
        "token": token,
        "share_links": share_links(petition, petition.display_title) if petition else [],
    }
    response = render(request, "petitions/verify.html", context, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def petition_list(request: HttpRequest) -> HttpResponse:
    order = request.GET.get("order", "top")
    petitions = Petition.objects.open().select_related("owner", "count")
    petitions = petitions.top_signed() if order == "top" else petitions.order_by("-published_at")
    page = Paginator(petitions, 20).get_page(request.GET.get("page"))
    victories = (
        Petition.objects.victories().select_related("owner", "count").order_by("-won_at")[:10]
    )
    response = render(
        request,
        "petitions/list.html",
        {"page": page, "order": "top" if order == "top" else "new", "victories": victories},
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

"""The public pages of an outreach action: /act/<slug>/ (find your alderperson, write to
them or call them), the emailed confirmation link, and the embeddable box.

Finding the office changes nothing (it reads the ward map and may ask the geocoder), so
its form needs no CSRF cookie and works inside a frame on another website; it is rate
limited per network (each lookup may cost a geocoder call). Sending a message and
recording a call are screened like every public form (core.screening: the form token,
the honeypot, OUTREACH_RATE_IP), and a message goes nowhere before its sender confirms
their address from the emailed link.
"""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.core import ratelimit, screening, tokens
from groundswell.core.http import client_ip
from groundswell.core.middleware import content_security_policy
from groundswell.outreach import actions, targets
from groundswell.outreach.forms import CallForm, LocateForm, MessageForm
from groundswell.outreach.models import OutreachAction, TargetKind
from groundswell.outreach.targets import Finding, Found

OUTREACH_SCREEN = screening.public_form(
    "Outreach",
    salt="groundswell.outreach.form",
    limit="outreach_by_ip",
    over_limit=gettext_lazy(
        "Too many messages and calls came from your network in the last hour. "
        "Please try again later."
    ),
)


def _published(slug: str) -> OutreachAction:
    return get_object_or_404(
        OutreachAction.objects.published().select_related("owner", "matter", "campaign"),
        slug=slug,
    )


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _office_id(raw: str) -> int | None:
    """An office's id as a form or a link gives it, or None for anything else."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _office_param(request: HttpRequest) -> int | None:
    return _office_id(request.GET.get("office", ""))


def _posted_target(request: HttpRequest, action: OutreachAction) -> targets.Target | None:
    office_id = _office_id(request.POST.get("office", ""))
    return targets.target_for_office(action, office_id) if office_id is not None else None


def _found_for_office(action: OutreachAction, office_id: int | None) -> Found | None:
    if office_id is None:
        return None
    target = targets.target_for_office(action, office_id)
    return Found(Finding.FOUND, target) if target else None


def _locate(request: HttpRequest, action: OutreachAction, form: LocateForm) -> Found | str:
    """The office for the form's address or point, or why it cannot be looked up now."""
    # A request whose address cannot be read counts against one shared subject, never
    # against none.
    subject = ratelimit.client_key(client_ip(request) or "unknown")
    if not ratelimit.hit("outreach_locate_by_ip", subject).allowed:
        return _(
            "Too many lookups came from your network in the last hour. Please try again later."
        )
    point = form.point
    if point is not None:
        return targets.for_point(*point)
    return targets.for_address(form.cleaned_data["street"], form.cleaned_data["zip_code"])


def page_context(
    action: OutreachAction,
    *,
    found: Found | None = None,
    locate_form: LocateForm | None = None,
    message_form: MessageForm | None = None,
    call_form: CallForm | None = None,
) -> dict[str, Any]:
    if action.target == TargetKind.MAYOR and found is None:
        found = targets.for_mayor()
    target = found.target if found else None
    initial = {"office": target.office.pk} if target else {}
    return {
        "action": action,
        "found": found,
        "finding": found.finding.value if found else "",
        "target": target,
        "locate_form": locate_form or LocateForm(),
        "message_form": message_form or MessageForm(action=action, initial=initial),
        "call_form": call_form or CallForm(initial=initial),
        "form_token": OUTREACH_SCREEN.token(),
        "honeypot_field": OUTREACH_SCREEN.honeypot_field,
    }


def _render(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return _private(render(request, "outreach/detail.html", context, status=status))


# The lookup changes nothing: no CSRF cookie needed (see the module docstring).
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The action: find your office (a POST of your address or point), then write or call.
    ?office=<id> shows that office at once (the embed's “write to them” link)."""
    action = _published(slug)
    if request.method != "POST":
        found = _found_for_office(action, _office_param(request))
        return _render(request, page_context(action, found=found))
    form = LocateForm(request.POST)
    if not form.is_valid():
        return _render(request, page_context(action, locate_form=form), status=400)
    located = _locate(request, action, form)
    if isinstance(located, str):
        context = page_context(action, locate_form=form)
        context["refusal"] = located
        return _render(request, context, status=429)
    return _render(request, page_context(action, found=located, locate_form=form))


def _screened(
    request: HttpRequest, action: OutreachAction, context: dict[str, Any], done: str
) -> HttpResponse | None:
    """The page to answer with when screening stops this POST, else None. A dropped
    submission (a bot) gets the page a stored one gets (`done`), and nothing is kept."""
    verdict = OUTREACH_SCREEN.check(request, scope=action.pk)
    if verdict.dropped:
        return HttpResponseRedirect(reverse(done, args=[action.slug]), status=303)
    if verdict.refusal:
        context["refusal"] = verdict.refusal
        return verdict.finish(_render(request, context, status=verdict.status))
    return None


@require_POST
def send_message(request: HttpRequest, slug: str) -> HttpResponse:
    action = _published(slug)
    if not action.by_email:
        raise Http404
    form = MessageForm(request.POST, action=action)
    target = _posted_target(request, action)
    found = Found(Finding.FOUND, target) if target else None
    context = page_context(action, found=found, message_form=form)
    if target is None or not target.email:
        context["refusal"] = _("This office cannot be written to from here. Nothing was sent.")
        return _render(request, context, status=400)
    if not form.is_valid():
        return _render(request, context, status=400)
    if (stopped := _screened(request, action, context, "outreach:check_email")) is not None:
        return stopped
    actions.record_message(
        action,
        target,
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        subject=form.cleaned_data["subject"],
        body=form.cleaned_data["body"],
        consent=form.cleaned_data["consent"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        ip_address=client_ip(request),
    )
    # The same page whether or not the address had emails enough today (NOT_SENT).
    return HttpResponseRedirect(reverse("outreach:check_email", args=[action.slug]), status=303)


@require_POST
def record_call(request: HttpRequest, slug: str) -> HttpResponse:
    action = _published(slug)
    if not action.by_call:
        raise Http404
    form = CallForm(request.POST)
    target = _posted_target(request, action)
    found = Found(Finding.FOUND, target) if target else None
    context = page_context(action, found=found, call_form=form)
    if target is None:
        context["refusal"] = _("This office cannot be called from here. Nothing was recorded.")
        return _render(request, context, status=400)
    if not form.is_valid():
        return _render(request, context, status=400)
    if (stopped := _screened(request, action, context, "outreach:thanks")) is not None:
        return stopped
    actions.record_call(action, target, outcome=form.cleaned_data["outcome"])
    return HttpResponseRedirect(reverse("outreach:thanks", args=[action.slug]), status=303)


@require_safe
def check_email(request: HttpRequest, slug: str) -> HttpResponse:
    action = _published(slug)
    return render(request, "outreach/check_email.html", {"action": action})


@require_safe
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    action = _published(slug)
    return render(request, "outreach/thanks.html", {"action": action})


# GET only looks; the page's button POSTs to confirm (core.tokens.follow).
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    looked = actions.check_confirmation(token)
    if looked.message is not None and looked.message.action.slug != slug:
        result = actions.ConfirmResult(tokens.LinkOutcome.INVALID)  # another action's link
    else:
        result = tokens.follow(
            request, token, act=actions.confirm_message, look=lambda _token: looked
        )
    message = result.message
    context = {
        "outcome": result.outcome.value,
        "message": message,
        "action": message.action if message else None,
        "token": token,
    }
    return _private(render(request, "outreach/confirm.html", context, status=result.outcome.status))


# --- The embeddable "find your alderperson" box --------------------------------------------
#
# As the petition embeds: no cookie is set or needed; X-Frame-Options DENY is lifted and
# the Content-Security-Policy's frame-ancestors names who may frame it instead (the
# owner organization's websites, from its settings); ?lang= picks the language, since a
# framed page gets no language cookie. Writing and calling happen on the action's own
# page, opened in a new tab with the office found.


def _embed_language(request: HttpRequest) -> str | None:
    code = request.GET.get("lang", "")
    return code if code in dict(settings.LANGUAGES) else None


@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    action = _published(slug)
    lang = _embed_language(request)
    with translation.override(lang) if lang else contextlib.nullcontext():
        form = LocateForm(request.POST if request.method == "POST" else None)
        context: dict[str, Any] = {
            "action": action,
            "locate_form": form if request.method == "POST" else LocateForm(),
            "post_url": reverse("outreach:embed", args=[slug])
            + (f"?{urlencode({'lang': lang})}" if lang else ""),
        }
        status = 200
        if action.target == TargetKind.MAYOR:
            context["found"] = targets.for_mayor()
        elif request.method == "POST":
            if form.is_valid():
                located = _locate(request, action, form)
                if isinstance(located, str):
                    context["refusal"], status = located, 429
                else:
                    context["found"] = located
            else:
                status = 400
        found: Found | None = context.get("found")
        if found is not None:
            context["finding"] = found.finding.value
            context["target"] = found.target
            if found.target is not None:
                query = urlencode({"office": found.target.office.pk})
                context["page_url"] = f"{action.get_absolute_url()}?{query}"
        response = render(request, "outreach/embed.html", context, status=status)
        response.headers["Content-Language"] = translation.get_language()
    response["Content-Security-Policy"] = content_security_policy(
        frame_ancestors=action.owner.embed_origin_list
    )
    return _private(response)

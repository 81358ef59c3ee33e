"""Signing integrity in the organizer area.

/manage/<org>/petitions/<slug>/integrity/ shows who is signing a petition and what looks
unusual, and lets the owner organization's organizers clear suspect signatures and
invalidate (and reverse) signatures in bulk. It shows IP addresses, so co-sponsors get
403 here, unlike on the dashboard. /manage/<org>/petitions/rules/ is where the
organization's admins allow or block IPs and email domains on all its petitions.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.organizations.models import Membership, Organization, Role
from groundswell.organizations.permissions import membership_for
from groundswell.petitions import actions, integrity, integrity_report
from groundswell.petitions.integrity_forms import (
    AccessRuleForm,
    ClearSuspectsForm,
    InvalidationForm,
)
from groundswell.petitions.manage_views import _owned, organizer_required
from groundswell.petitions.models import COUNTED, AccessRule, Invalidation, Petition

logger = logging.getLogger(__name__)

INVALIDATIONS_SHOWN = 100


def _integrity_url(petition: Petition) -> str:
    return reverse("petitions_manage:integrity", args=[petition.owner.slug, petition.slug])


def _rules_url(organization: Organization) -> str:
    return reverse("petitions_manage:rules", args=[organization.slug])


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


# --- The integrity page --------------------------------------------------------------------


@organizer_required
@require_safe
def integrity_page(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, petition = _owned(request, org, slug)
    now = timezone.now()
    hours, median = integrity_report.signatures_by_hour(petition, now)
    reasons = integrity_report.suspects_by_reason(petition)
    invalidations = list(
        petition.invalidations.select_related("created_by", "reversed_by")[:INVALIDATIONS_SHOWN]
    )
    active = petition.invalidations.filter(reversed_at__isnull=True)
    return render(
        request,
        "petitions/manage/integrity.html",
        {
            "organization": membership.organization,
            "petition": petition,
            "can_manage_rules": membership.has_role(Role.ADMIN),
            "hours": hours,
            "hours_total": sum(h.total for h in hours),
            "median": median,
            "hourly_chart": integrity_report.hourly_chart(hours),
            "windows": integrity_report.windows(petition, now),
            "reasons": reasons,
            "suspect_total": sum(r.total for r in reasons),
            "suspect_ips": integrity_report.suspect_ips(petition),
            "recent_suspects": integrity_report.recent_suspects(petition),
            "invalidations": invalidations,
            "invalidated_total": sum(i.signature_count for i in active),
            "form": InvalidationForm(),
            "rules": {
                "share": round(integrity_report.SHARE * 100),
                "minimum": integrity_report.MIN_SIGNATURES,
                "surge": integrity_report.SURGE,
                "common": ", ".join(sorted(integrity_report.COMMON_DOMAINS)),
            },
            "rules_ttl": int(integrity.RULES_TTL),
        },
    )


# --- Clearing suspect signatures -----------------------------------------------------------


@organizer_required
@require_POST
def clear_suspects(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, petition = _owned(request, org, slug)
    form = ClearSuspectsForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, _("Nothing was cleared: %(errors)s") % {"errors": errors})
        return _see_other(_integrity_url(petition))
    cleared = actions.clear_suspects(petition, form.signatures(petition))
    logger.info(
        "%s suspect signatures of petition %s cleared (%s %s) by user %s",
        cleared,
        petition.slug,
        form.cleaned_data["scope"],
        form.cleaned_data["value"],
        membership.user_id,
    )
    if cleared:
        messages.success(
            request,
            ngettext(
                "%(n)s suspect signature now counts. The counts catch up within a few seconds.",
                "%(n)s suspect signatures now count. The counts catch up within a few seconds.",
                cleared,
            )
            % {"n": _number(cleared)},
        )
    else:
        messages.info(request, _("No suspect signature matched: nothing changed."))
    return _see_other(_integrity_url(petition))


# --- Bulk invalidation ---------------------------------------------------------------------


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def invalidate(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    """GET: the form (prefilled from ?kind=&value=). POST: preview, then with `confirm`,
    invalidate."""
    membership, petition = _owned(request, org, slug)
    context: dict[str, Any] = {"organization": membership.organization, "petition": petition}
    if request.method != "POST":
        initial = {k: request.GET[k] for k in ("kind", "value") if k in request.GET}
        context["form"] = InvalidationForm(initial=initial)
        return render(request, "petitions/manage/integrity_invalidate.html", context)

    form = InvalidationForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "petitions/manage/integrity_invalidate.html", context, status=400)
    fields = form.invalidation_fields()
    if "confirm" not in request.POST:
        matching = integrity.matching(petition, **fields).filter(invalidation__isnull=True)
        context["affected"] = matching.count()
        context["counted"] = matching.filter(COUNTED).count()
        return render(request, "petitions/manage/integrity_invalidate.html", context)

    invalidation = actions.invalidate(
        petition, reason=form.cleaned_data["reason"], by=membership.user, **fields
    )
    logger.info(
        "Invalidation %s of petition %s (%s %s %s–%s): %s signatures, by user %s",
        invalidation.pk,
        petition.slug,
        invalidation.kind,
        invalidation.value,
        invalidation.starts_at,
        invalidation.ends_at,
        invalidation.signature_count,
        membership.user_id,
    )
    messages.success(
        request,
        ngettext(
            "%(n)s signature is invalidated. The counts are corrected within a few seconds.",
            "%(n)s signatures are invalidated. The counts are corrected within a few seconds.",
            invalidation.signature_count,
        )
        % {"n": _number(invalidation.signature_count)},
    )
    return _see_other(_integrity_url(petition) + "#invalidations")


@organizer_required
@require_POST
def reverse_invalidation(
    request: HttpRequest, org: str, slug: str, invalidation: int
) -> HttpResponse:
    membership, petition = _owned(request, org, slug)
    target = get_object_or_404(Invalidation, pk=invalidation, petition=petition)
    if target.reversed_at is not None:
        messages.info(request, _("This invalidation was already reversed: nothing changed."))
        return _see_other(_integrity_url(petition) + "#invalidations")
    restored = actions.reverse_invalidation(target, by=membership.user)
    logger.info(
        "Invalidation %s of petition %s reversed (%s signatures) by user %s",
        target.pk,
        petition.slug,
        restored,
        membership.user_id,
    )
    messages.success(
        request,
        ngettext(
            "Reversed: %(n)s signature counts again as before.",
            "Reversed: %(n)s signatures count again as before.",
            restored,
        )
        % {"n": _number(restored)},
    )
    return _see_other(_integrity_url(petition) + "#invalidations")


# --- Access rules --------------------------------------------------------------------------


def _rules_page(
    request: HttpRequest, membership: Membership, form: AccessRuleForm, status: int = 200
) -> HttpResponse:
    organization = membership.organization
    return render(
        request,
        "petitions/manage/rules.html",
        {
            "organization": organization,
            "petition": None,
            "form": form,
            "rules": list(
                AccessRule.objects.filter(organization=organization).select_related("created_by")
            ),
            "site_rules": list(AccessRule.objects.filter(organization__isnull=True)),
            "rules_ttl": int(integrity.RULES_TTL),
        },
        status=status,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def rules(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    organization = membership.organization
    if request.method != "POST":
        return _rules_page(request, membership, AccessRuleForm(organization=organization))
    form = AccessRuleForm(request.POST, organization=organization)
    if form.is_valid():
        form.instance.created_by = membership.user
        try:
            rule = form.save()
        except IntegrityError:  # the same rule added a moment ago
            form.add_error("value", _("There is already a rule for this value."))
        else:
            integrity.forget_rules()
            logger.info(
                "Access rule %s (%s %s %s) added for organization %s by user %s",
                rule.pk,
                rule.action,
                rule.kind,
                rule.value,
                organization.slug,
                membership.user_id,
            )
            messages.success(
                request,
                _(
                    "The rule for %(value)s is saved. It applies to new signatures on all "
                    "of %(organization)s's petitions within %(seconds)s seconds."
                )
                % {
                    "value": rule.value,
                    "organization": organization.name,
                    "seconds": int(integrity.RULES_TTL),
                },
            )
            return _see_other(_rules_url(organization))
    return _rules_page(request, membership, form, status=400)


@organizer_required
@require_POST
def rule_delete(request: HttpRequest, org: str, rule: int) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    organization = membership.organization
    target = get_object_or_404(AccessRule, pk=rule, organization=organization)
    target.delete()
    integrity.forget_rules()
    logger.info(
        "Access rule (%s %s %s) deleted for organization %s by user %s",
        target.action,
        target.kind,
        target.value,
        organization.slug,
        membership.user_id,
    )
    messages.success(
        request,
        _("The rule for %(value)s is deleted, within %(seconds)s seconds everywhere.")
        % {"value": target.value, "seconds": int(integrity.RULES_TTL)},
    )
    return _see_other(_rules_url(organization))

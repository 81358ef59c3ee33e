"""The organizer area for canvassing: /manage/<org>/canvass/.

Organizers of the organization list and create canvasses, set the script, build the
universe, cut turfs (and see them on a map), give canvassers and captains their codes
and revoke them, settle conflicts, keep the do-not-knock list, key in walk sheets and
watch the dashboard. Anyone else: 403 for an organization they do not organize at,
404 for another organization's canvass. The actions check the membership again.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.canvass import (
    access,
    actions,
    addresslist,
    dashboard,
    tasks,
    turfmap,
    walksheet,
)
from groundswell.canvass.manage_forms import (
    AddressListForm,
    CanvassForm,
    CodeForm,
    CutForm,
    DoNotKnockForm,
    DrawForm,
    KeyInForm,
    ScriptForm,
    script_text,
)
from groundswell.canvass.models import (
    AddressList,
    Canvass,
    Canvasser,
    Conflict,
    DoNotKnock,
    Turf,
)
from groundswell.organizations.models import Membership
from groundswell.organizations.permissions import membership_for, organizer_required


def _owned(request: HttpRequest, org: str, slug: str) -> tuple[Membership, Canvass]:
    membership = membership_for(request, org)
    canvass = get_object_or_404(Canvass.objects.owned_by(membership.organization), slug=slug)
    return membership, canvass


def _detail(canvass: Canvass) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("canvass_manage:detail", args=[canvass.organization.slug, canvass.slug])
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def canvass_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    form = CanvassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            canvass = actions.create_canvass(membership, **form.cleaned_data)
        except actions.CanvassError as exc:
            form.add_error("slug", str(exc))
        else:
            return _detail(canvass)
    return render(
        request,
        "canvass/manage/list.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "section": "canvass",
            "canvasses": Canvass.objects.owned_by(membership.organization),
            "form": form,
        },
    )


def _page(
    request: HttpRequest, membership: Membership, canvass: Canvass, **forms: Any
) -> HttpResponse:
    turfs = Turf.objects.filter(canvass=canvass).select_related("ward")
    context = {
        "organization": membership.organization,
        "membership": membership,
        "section": "canvass",
        "canvass": canvass,
        "figures": dashboard.figures(canvass),
        "turfs": [(t, t.doors.count()) for t in turfs],
        "canvassers": Canvasser.objects.filter(canvass=canvass).select_related(
            "turf", "precinct__set"
        ),
        "conflicts": Conflict.objects.filter(
            door__canvass=canvass, resolved_at__isnull=True
        ).select_related("door"),
        "do_not_knock": DoNotKnock.objects.filter(organization=membership.organization)[:50],
        "map": turfmap.turf_map(canvass, label=_("Turfs over their wards")),
        "script_form": forms.get("script_form")
        or ScriptForm(initial={"script": script_text(canvass.questions.all())}),
        "cut_form": forms.get("cut_form") or CutForm(initial={"turfs": max(turfs.count(), 2)}),
        "draw_form": forms.get("draw_form") or DrawForm(),
        "list_form": forms.get("list_form") or AddressListForm(),
        "address_lists": AddressList.objects.filter(canvass=canvass)[:5],
        "code_form": forms.get("code_form") or CodeForm(canvass=canvass),
        "key_form": forms.get("key_form")
        or KeyInForm(initial={"client_id": uuid.uuid4()}, canvass=canvass),
        "dnk_form": forms.get("dnk_form") or DoNotKnockForm(),
        "new_code": forms.get("new_code"),
    }
    status = (
        400 if any(f is not None and getattr(f, "errors", None) for f in forms.values()) else 200
    )
    return render(request, "canvass/manage/detail.html", context, status=status)


@organizer_required
@require_safe
def detail(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, canvass = _owned(request, org, slug)
    return _page(request, membership, canvass)


@organizer_required
@require_POST
def script(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, canvass = _owned(request, org, slug)
    form = ScriptForm(request.POST)
    if form.is_valid():
        try:
            actions.set_script(membership, canvass, form.cleaned_data["script"])
        except actions.CanvassError as exc:
            form.add_error("script", str(exc))
        else:
            messages.success(request, _("The script is saved."))
            return _detail(canvass)
    return _page(request, membership, canvass, script_form=form)


@organizer_required
@require_POST
def universe(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, canvass = _owned(request, org, slug)
    actions._check(membership, canvass.organization)
    tasks.build_universe.enqueue(canvass.pk)
    messages.success(
        request,
        _(
            "Your supporters' addresses are being located; "
            "their doors appear here in a few minutes."
        ),
    )
    return _detail(canvass)


@organizer_required
@require_POST
def upload(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, canvass = _owned(request, org, slug)
    form = AddressListForm(request.POST, request.FILES)
    if form.is_valid():
        file = form.cleaned_data["file"]
        if file.size > addresslist.MAX_BYTES:
            form.add_error("file", _("The file is too large: at most 5 MB."))
        else:
            try:
                addresslist.upload_addresses(
                    membership, canvass, name=file.name or "", data=file.read()
                )
            except actions.CanvassError as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(
                    request,
                    _("The addresses are being located; their doors appear here in a few minutes."),
                )
                return _detail(canvass)
    return _page(request, membership, canvass, list_form=form)


@organizer_required
@require_POST
def cut(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, canvass = _owned(request, org, slug)
    form = CutForm(request.POST)
    if form.is_valid():
        try:
            made = actions.cut_turfs(
                membership,
                canvass,
                form.cleaned_data["turfs"],
                by_route=form.cleaned_data["by_route"],
            )
        except actions.CanvassError as exc:
            form.add_error("turfs", str(exc))
        else:
            messages.success(request, _("%(count)s turfs cut.") % {"count": len(made)})
            return _detail(canvass)
    return _page(request, membership, canvass, cut_form=form)


@organizer_required
@require_POST
def draw(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, canvass = _owned(request, org, slug)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["polygon"]:
                turf = actions.draw_turf(membership, canvass, form.cleaned_data["polygon"])
            else:
                turf = actions.turf_of_doors(
                    membership, canvass, form.cleaned_data["door_codes"].split()
                )
        except actions.CanvassError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(turf)s: %(count)s doors.") % {"turf": turf.name, "count": turf.doors.count()},
            )
            return _detail(canvass)
    return _page(request, membership, canvass, draw_form=form)


@organizer_required
@require_POST
def issue(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, canvass = _owned(request, org, slug)
    form = CodeForm(request.POST, canvass=canvass)
    if form.is_valid():
        precinct = form.cleaned_data["precinct"]
        try:
            canvasser, code = actions.issue_code(
                membership,
                canvass,
                name=form.cleaned_data["name"],
                turf=form.cleaned_data["turf"],
                precinct_id=precinct.pk if precinct else None,
            )
        except actions.CanvassError as exc:
            form.add_error(None, str(exc))
        else:
            link = request.build_absolute_uri(
                reverse("canvass:captain" if canvasser.precinct_id else "canvass:phone")
            )
            shown = access.display(code)
            new_code = {
                "name": canvasser.name,
                "code": shown,
                "link": link if canvasser.precinct_id else f"{link}#code={shown}",
            }
            return _page(request, membership, canvass, new_code=new_code)
    return _page(request, membership, canvass, code_form=form)


@organizer_required
@require_POST
def revoke(request: HttpRequest, org: str, slug: str, canvasser_id: int) -> HttpResponse:
    membership, canvass = _owned(request, org, slug)
    canvasser = get_object_or_404(Canvasser, pk=canvasser_id, canvass=canvass)
    if actions.revoke(membership, canvasser):
        messages.success(request, _("%(name)s's code no longer works.") % {"name": canvasser.name})
    return _detail(canvass)


@organizer_required
@require_POST
def resolve(request: HttpRequest, org: str, slug: str, conflict_id: int) -> HttpResponse:
    membership, canvass = _owned(request, org, slug)
    conflict = get_object_or_404(Conflict, pk=conflict_id, door__canvass=canvass)
    actions.resolve_conflict(
        membership, conflict, take_proposed=request.POST.get("take") == "proposed"
    )
    return _detail(canvass)


@organizer_required
@require_POST
def key_in(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, canvass = _owned(request, org, slug)
    form = KeyInForm(request.POST, canvass=canvass)
    if form.is_valid():
        try:
            _visit, created = actions.key_in(membership, canvass, **form.visit())
        except actions.CanvassError as exc:
            form.add_error(None, str(exc))
        else:
            if created:
                messages.success(request, _("Visit keyed in."))
            return _detail(canvass)
    return _page(request, membership, canvass, key_form=form)


@organizer_required
@require_POST
def do_not_knock(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, canvass = _owned(request, org, slug)
    form = DoNotKnockForm(request.POST)
    if form.is_valid():
        try:
            actions.add_do_not_knock(
                membership, form.cleaned_data["address"], reason=form.cleaned_data["reason"]
            )
        except actions.CanvassError as exc:
            form.add_error("address", str(exc))
        else:
            messages.success(request, _("Nobody will knock there."))
            return _detail(canvass)
    return _page(request, membership, canvass, dnk_form=form)


@organizer_required
@require_safe
def board(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    membership, canvass = _owned(request, org, slug)
    return render(
        request,
        "canvass/manage/dashboard.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "section": "canvass",
            "canvass": canvass,
            "figures": dashboard.figures(canvass),
        },
    )


@organizer_required
@require_safe
def sheet(request: HttpRequest, org: str, slug: str, number: int) -> HttpResponse:
    _membership, canvass = _owned(request, org, slug)
    turf = get_object_or_404(Turf, canvass=canvass, number=number)
    response = HttpResponse(walksheet.walk_sheet(turf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="walk-sheet-{canvass.slug}-{number}.pdf"'
    return response

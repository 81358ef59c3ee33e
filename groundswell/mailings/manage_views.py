"""The organizer area for mailings: /manage/<org>/mailings/.

Organizers list, write, preview, test and send their organization's mailings, and
follow their progress and figures; owners and admins set the approval rule and approve.
Anyone else: 403 for an organization they do not organize at, 404 for another
organization's mailing. Every change goes through mailings.actions, which decides who
may make it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.mailings import actions, audience, emails, figures, merge
from groundswell.mailings.manage_forms import ApprovalForm, MailingForm, SendForm
from groundswell.mailings.models import Mailing, MailingState
from groundswell.organizations.models import Membership, Role
from groundswell.organizations.permissions import membership_for, organizer_required
from groundswell.people.search.queries import LANGUAGE_CHOICES


def _owned(request: HttpRequest, org: str, pk: int) -> tuple[Membership, Mailing]:
    membership = membership_for(request, org)
    mailing = get_object_or_404(
        Mailing.objects.owned_by(membership.organization).select_related("organization"), pk=pk
    )
    return membership, mailing


def _detail_url(mailing: Mailing) -> str:
    return reverse("mailings_manage:detail", args=[mailing.organization.slug, mailing.pk])


@organizer_required
@require_safe
def mailing_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    return render(
        request,
        "mailings/manage/list.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "mailings",
            "mailings": Mailing.objects.owned_by(organization),
            "may_set_rules": membership.has_role(Role.ADMIN),
        },
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, org: str, pk: int | None = None) -> HttpResponse:
    if pk is None:
        membership, mailing = membership_for(request, org), None
    else:
        membership, mailing = _owned(request, org, pk)
        if not mailing.editable:
            messages.error(request, _("Only a draft can be changed."))
            return HttpResponseRedirect(_detail_url(mailing))
    organization = membership.organization
    if request.method == "POST":
        form = MailingForm(request.POST, organization=organization)
        if form.is_valid():
            try:
                mailing = actions.save_mailing(
                    membership,
                    mailing,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    language=form.cleaned_data["language"],
                    chosen=form.chosen(),
                    versions=form.versions(),
                )
            except actions.Refused as refused:
                form.add_error(None, str(refused.message))
            else:
                messages.success(request, _("Mailing saved. Check the preview before sending."))
                return HttpResponseRedirect(_detail_url(mailing))
    else:
        initial = MailingForm.initial_for(mailing) if mailing else {"language": "en"}
        form = MailingForm(initial=initial, organization=organization)
    return render(
        request,
        "mailings/manage/form.html",
        {
            "organization": organization,
            "membership": membership,
            "section": "mailings",
            "mailing": mailing,
            "form": form,
        },
    )


@organizer_required
@require_safe
def detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership, mailing = _owned(request, org, pk)
    versions = emails.versions(mailing)
    language = request.GET.get("language", mailing.language)
    if language not in versions:
        language = mailing.language
    version = versions[language]
    sample = merge.values_for(
        first_name="", last_name="", city="", organization=mailing.organization.name
    )
    names = dict(LANGUAGE_CHOICES)
    count = (
        audience.count(mailing.organization, mailing.audience)
        if mailing.state in (MailingState.DRAFT, MailingState.AWAITING_APPROVAL)
        else None
    )
    return render(
        request,
        "mailings/manage/detail.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "section": "mailings",
            "mailing": mailing,
            "count": count,
            "figures": figures.of(mailing),
            "preview_subject": version.subject.fill(sample),
            "preview_html": mark_safe(version.html.fill(sample)),  # cleaned; values escaped
            "language": language,
            "languages": [(code, names.get(code, code)) for code in versions],
            "send_form": SendForm(),
            "may_approve": membership.has_role(Role.ADMIN)
            and mailing.requested_by_id != membership.user_id,
            "under_way": mailing.state in (MailingState.SENDING, MailingState.PAUSED),
        },
    )


@organizer_required
@require_safe
def progress(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    _membership, mailing = _owned(request, org, pk)
    data = {**figures.of(mailing).as_json(), "state": mailing.state}
    data["state_label"] = str(mailing.get_state_display())
    return JsonResponse(data)


@organizer_required
@require_POST
def change(request: HttpRequest, org: str, pk: int, step: str) -> HttpResponse:
    membership, mailing = _owned(request, org, pk)
    try:
        if step == "test":
            to = actions.send_test(membership, mailing, request.POST.get("language"))
            messages.success(request, _("A test is on its way to %(email)s.") % {"email": to})
        elif step == "send":
            form = SendForm(request.POST)
            if not form.is_valid():
                raise actions.Refused(_("Enter the date and time as 2026-12-31 18:00."))
            at = form.cleaned_data["send_at"]
            mailing = actions.send(membership, mailing, at=at)
            if mailing.state == MailingState.AWAITING_APPROVAL:
                messages.success(
                    request,
                    _("The mailing waits for the approval of another owner or admin."),
                )
            elif at:
                messages.success(request, _("The mailing is scheduled."))
            else:
                messages.success(request, _("The mailing is being sent."))
        elif step == "approve":
            actions.approve(membership, mailing)
            messages.success(request, _("Approved: the mailing goes out at its time."))
        elif step == "draft":
            actions.back_to_draft(membership, mailing)
            messages.success(request, _("The mailing is a draft again."))
        elif step == "pause":
            actions.pause(membership, mailing)
            messages.success(request, _("Paused."))
        elif step == "resume":
            actions.resume(membership, mailing)
            messages.success(request, _("Sending again."))
        elif step == "cancel":
            actions.cancel(membership, mailing)
            messages.success(request, _("Cancelled: nobody still waiting will receive it."))
        else:
            return HttpResponse(status=404)
    except actions.Refused as refused:
        messages.error(request, str(refused.message))
    return HttpResponseRedirect(_detail_url(mailing))


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def approval_settings(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    if request.method == "POST":
        form = ApprovalForm(request.POST)
        if form.is_valid():
            try:
                actions.set_approval_over(membership, form.cleaned_data["approval_over"])
            except actions.Refused as refused:
                form.add_error(None, str(refused.message))
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(
                    reverse("mailings_manage:list", args=[membership.organization.slug])
                )
    else:
        form = ApprovalForm(initial={"approval_over": actions.approval_over(membership)})
    return render(
        request,
        "mailings/manage/settings.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "section": "mailings",
            "form": form,
        },
    )

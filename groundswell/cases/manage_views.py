"""The organizer area for cases: /manage/<org>/cases/.

Every page asks the one rule (Case.objects.visible_to / readable_by): a staff member
who may not see a case gets the same 404 as for a case that does not exist. Opening a
case's contents, exporting and every change is written to the audit log.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.cases import actions, audit, documents, vault
from groundswell.cases.forms import (
    ActivityForm,
    AssignForm,
    BreakGlassForm,
    CampaignForm,
    DocumentForm,
    EditForm,
    IntakeForm,
    ManagerForm,
    NoteForm,
    StatusForm,
)
from groundswell.cases.models import (
    Activity,
    BreakGlass,
    Case,
    CaseManager,
    CaseRole,
    Document,
    Urgency,
    is_case_manager,
)
from groundswell.core.spreadsheets import csv_lines, neutralize
from groundswell.organizations.models import Membership, Role
from groundswell.organizations.permissions import membership_for, organizer_required
from groundswell.people.models import ContactRestriction

SECTION = "cases"
LIST_LIMIT = 300


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _page(
    request: HttpRequest, template: str, membership: Membership, status: int = 200, **context: Any
) -> HttpResponse:
    return render(
        request,
        f"cases/manage/{template}",
        {
            "organization": membership.organization,
            "membership": membership,
            "section": SECTION,
            "is_case_manager": is_case_manager(membership),
            **context,
        },
        status=status,
    )


def _readable(membership: Membership, pk: int) -> Case:
    """The case, if this member may open it; 404 otherwise (the same as a missing one)."""
    found = Case.objects.readable_by(membership).select_related("case_type", "status").filter(pk=pk)
    case = found.first()
    if case is None:
        raise Http404
    return case


@organizer_required
@require_safe
def index(request: HttpRequest, org: str) -> HttpResponse:
    """The triage queue: the open cases this member may see, most urgent first."""
    membership = membership_for(request, org)
    visible = Case.objects.visible_to(membership).select_related("case_type", "status")
    closed = request.GET.get("closed") == "1"
    cases = visible.filter(closed_at__isnull=not closed)
    query = request.GET.get("q", "").strip()[:60]
    if query:
        # Found by its number, IDOC number or TIRC claim number, never by what is sealed.
        number = query.lstrip("#")
        match = Q(idoc_number__iexact=query) | Q(tirc_number__iexact=query)
        if number.isdigit():
            match |= Q(pk=int(number))
        cases = cases.filter(match)
    readable = set(Case.objects.readable_by(membership).values_list("pk", flat=True))
    assigned = set(
        CaseRole.objects.filter(user=membership.user, case__in=visible).values_list(
            "case_id", flat=True
        )
    )
    rows = [
        {"case": case, "readable": case.pk in readable, "mine": case.pk in assigned}
        for case in cases.triage_order()[:LIST_LIMIT]
    ]
    return _page(
        request,
        "index.html",
        membership,
        rows=rows,
        closed=closed,
        query=query,
        now=timezone.now(),
        emergency=Urgency.EMERGENCY,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    form = IntakeForm(request.POST or None, organization=membership.organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = actions.open_case(
            membership.organization,
            case_type=data["case_type"],
            urgency=data["urgency"],
            client_name=data["client_name"],
            facility=data["facility"],
            jurisdiction=data["jurisdiction"],
            idoc_number=data["idoc_number"],
            tirc_number=data["tirc_number"],
            reference_date=data["reference_date"],
            description=data["description"],
            medical_details=data["medical_details"],
            legal_notes=data["legal_notes"],
            by=membership.user,
        )
        # Whoever takes a case in is its first advocate.
        actions.assign(case, membership.user, by=membership.user)
        messages.success(request, _("Case %(reference)s is open.") % {"reference": case.reference})
        return _see_other(case.get_absolute_url())
    return _page(request, "form.html", membership, form=form, status=400 if form.is_bound else 200)


@organizer_required
@require_safe
def detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership = membership_for(request, org)
    case = Case.objects.readable_by(membership).filter(pk=pk).first()
    if case is None:
        if Case.objects.visible_to(membership).filter(pk=pk).exists():
            return _see_other(reverse("cases_manage:break_glass", args=[org, pk]))
        raise Http404
    return _case_page(request, membership, case)


def _case_page(
    request: HttpRequest, membership: Membership, case: Case, status: int = 200, **forms: Any
) -> HttpResponse:
    actions.record_read(case, by=membership.user)
    organization = membership.organization
    manager = is_case_manager(membership)
    return _page(
        request,
        "detail.html",
        membership,
        status=status,
        case=case,
        sealed=vault.opened(case),
        notes=vault.note_texts(case, list(case.notes.select_related("author"))),
        roles=list(case.roles.select_related("user", "person")),
        restrictions=_restrictions(case),
        activities=list(case.activities.all()),
        note_form=forms.get("note_form") or NoteForm(),
        activity_form=forms.get("activity_form") or ActivityForm(case_type=case.case_type),
        campaign_form=forms.get("campaign_form")
        or CampaignForm(
            organization=organization,
            initial={"campaign": case.campaign_id, "public": case.campaign_public},
        ),
        documents=documents.names(case, list(case.documents.all())),
        document_form=forms.get("document_form") or DocumentForm(),
        status_form=forms.get("status_form")
        or StatusForm(case_type=case.case_type, initial={"status": case.status_id}),
        assign_form=(forms.get("assign_form") or AssignForm(organization=organization))
        if manager
        else None,
        now=timezone.now(),
    )


def _restrictions(case: Case) -> list[ContactRestriction]:
    """The organization's own contact restrictions on the person helped and the people
    outside the staff on the case ("do not contact", "only by phone")."""
    people = [
        case.client_id,
        *case.roles.filter(person__isnull=False).values_list("person", flat=True),
    ]
    return list(
        ContactRestriction.objects.filter(
            organization_id=case.organization_id, person_id__in=[p for p in people if p]
        ).order_by("pk")
    )


@organizer_required
@require_POST
def note(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership = membership_for(request, org)
    case = _readable(membership, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, membership, case, status=400, note_form=form)
    actions.add_note(case, form.cleaned_data["text"], by=membership.user)
    messages.success(request, _("Your note is saved."))
    return _see_other(case.get_absolute_url())


@organizer_required
@require_POST
def document_add(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership = membership_for(request, org)
    case = _readable(membership, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(request, membership, case, status=400, document_form=form)
    data, content_type = form.checked
    documents.add_document(
        case,
        name=form.cleaned_data["file"].name or "",
        data=data,
        content_type=content_type,
        by=membership.user,
    )
    messages.success(request, _("The document is saved."))
    return _see_other(case.get_absolute_url())


@organizer_required
@require_safe
def document(request: HttpRequest, org: str, pk: int, document: int) -> HttpResponse:
    """A document, to whoever may open its case (the same 404 otherwise)."""
    membership = membership_for(request, org)
    case = _readable(membership, pk)
    found = get_object_or_404(Document.objects.select_related("case"), pk=document, case=case)
    name, data = documents.read_document(found, by=membership.user)
    response = HttpResponse(data, content_type=found.content_type)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@organizer_required
@require_POST
def assign(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership = membership_for(request, org)
    case = _readable(membership, pk)
    if not is_case_manager(membership):
        raise Http404
    form = AssignForm(request.POST, organization=membership.organization)
    if not form.is_valid():
        return _case_page(request, membership, case, status=400, assign_form=form)
    user = form.cleaned_data["user"]
    actions.assign(case, user, kind=form.cleaned_data["kind"], by=membership.user)
    messages.success(request, _("%(email)s is on the case.") % {"email": user.email})
    if Case.objects.readable_by(membership).filter(pk=case.pk).exists():
        return _see_other(case.get_absolute_url())
    # A case manager who assigned others is outside the assignment from now on.
    return _see_other(reverse("cases_manage:index", args=[org]))


@organizer_required
@require_POST
def status(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership = membership_for(request, org)
    case = _readable(membership, pk)
    form = StatusForm(request.POST, case_type=case.case_type)
    if not form.is_valid():
        return _case_page(request, membership, case, status=400, status_form=form)
    actions.set_status(case, form.cleaned_data["status"], by=membership.user)
    messages.success(request, _("The case's status is saved."))
    return _see_other(case.get_absolute_url())


@organizer_required
@require_POST
def close(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership = membership_for(request, org)
    case = _readable(membership, pk)
    actions.close_case(case, by=membership.user)
    messages.success(request, _("Case %(reference)s is closed.") % {"reference": case.reference})
    return _see_other(case.get_absolute_url())


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Change a case's fields; the audit log says which changed, never to what."""
    membership = membership_for(request, org)
    case = _readable(membership, pk)
    names = [name for name in EditForm.base_fields if name not in vault.SEALED_FIELDS]
    initial = {**vault.opened(case), **{name: getattr(case, name) for name in names}}
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_case(case, by=membership.user, **form.cleaned_data)
        messages.success(request, _("The case is saved."))
        return _see_other(case.get_absolute_url())
    if request.method != "POST":
        actions.record_read(case, by=membership.user, what="edit form")
    return _page(
        request, "edit.html", membership, status=400 if form.is_bound else 200, case=case, form=form
    )


@organizer_required
@require_POST
def activity_add(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership = membership_for(request, org)
    case = _readable(membership, pk)
    form = ActivityForm(request.POST, case_type=case.case_type)
    if not form.is_valid():
        return _case_page(request, membership, case, status=400, activity_form=form)
    actions.add_activity(
        case,
        form.cleaned_data["title"],
        form.cleaned_data["due_at"],
        activity_type=form.cleaned_data["activity_type"],
        by=membership.user,
    )
    return _see_other(case.get_absolute_url())


@organizer_required
@require_POST
def unassign(request: HttpRequest, org: str, pk: int, role: int) -> HttpResponse:
    """A case manager takes a staff member off the case."""
    membership = membership_for(request, org)
    case = _readable(membership, pk)
    found = get_object_or_404(CaseRole, pk=role, case=case, user__isnull=False)
    try:
        actions.unassign(found, by=membership.user)
    except PermissionError:
        raise Http404 from None
    messages.success(
        request,
        _("%(email)s is no longer on the case.") % {"email": found.user.email},  # type: ignore[union-attr]
    )
    if Case.objects.readable_by(membership).filter(pk=case.pk).exists():
        return _see_other(case.get_absolute_url())
    return _see_other(reverse("cases_manage:index", args=[org]))


@organizer_required
@require_POST
def campaign(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """Link the case to the campaign that supports it (public or private)."""
    membership = membership_for(request, org)
    case = _readable(membership, pk)
    form = CampaignForm(request.POST, organization=membership.organization)
    if not form.is_valid():
        return _case_page(request, membership, case, status=400, campaign_form=form)
    actions.link_campaign(
        case, form.cleaned_data["campaign"], public=form.cleaned_data["public"], by=membership.user
    )
    messages.success(request, _("The support campaign is saved."))
    return _see_other(case.get_absolute_url())


@organizer_required
@require_POST
def activity_done(request: HttpRequest, org: str, pk: int, activity: int) -> HttpResponse:
    membership = membership_for(request, org)
    case = _readable(membership, pk)
    found = get_object_or_404(Activity, pk=activity, case=case)
    actions.complete_activity(found, by=membership.user)
    return _see_other(case.get_absolute_url())


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def break_glass(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """A case manager opens a case they are not assigned to, with a reason."""
    membership = membership_for(request, org)
    case = Case.objects.visible_to(membership).filter(pk=pk).select_related("case_type").first()
    if case is None or not is_case_manager(membership):
        raise Http404
    if Case.objects.readable_by(membership).filter(pk=pk).exists():
        return _see_other(case.get_absolute_url())
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.break_glass(case, membership, form.cleaned_data["reason"])
        return _see_other(case.get_absolute_url())
    return _page(
        request,
        "break_glass.html",
        membership,
        status=400 if form.is_bound else 200,
        case=case,
        form=form,
    )


@organizer_required
@require_safe
def export(request: HttpRequest, org: str) -> HttpResponse:
    """The cases this member may see, as CSV, redacted: no names, no confidential field."""
    membership = membership_for(request, org)
    cases = Case.objects.visible_to(membership).select_related("case_type", "status")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cases.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["reference", "type", "status", "urgency", "facility", "jurisdiction", "opened", "closed"]
    )
    count = 0
    for case in cases.order_by("pk"):
        writer.writerow(
            [
                case.reference,
                case.case_type.name,
                case.status.name,
                case.get_urgency_display(),
                case.facility,
                case.jurisdiction,
                case.opened_at.date().isoformat(),
                case.closed_at.date().isoformat() if case.closed_at else "",
            ]
        )
        count += 1
    audit.record(
        None,
        "export",
        by=membership.user,
        organization_id=membership.organization_id,
        detail=f"{count} cases, redacted",
    )
    return response


@organizer_required
@require_safe
def audit_log(request: HttpRequest, org: str) -> HttpResponse:
    """The owners' view: who opened a case by breaking the glass, and the audit log."""
    membership = membership_for(request, org, Role.OWNER)
    organization = membership.organization
    glass = BreakGlass.objects.filter(case__organization=organization).select_related(
        "user", "case__case_type"
    )[:200]
    entries = audit.entries_for(organization.pk)[:500]
    return _page(request, "audit.html", membership, glass=list(glass), entries=list(entries))


@organizer_required
@require_safe
def audit_export(request: HttpRequest, org: str) -> StreamingHttpResponse:
    """The audit log as CSV, for owners. Redacted by default: break-glass reasons (free
    text, which may name someone) only with `reasons=1`. The export is itself logged."""
    membership = membership_for(request, org, Role.OWNER)
    with_reasons = request.GET.get("reasons") == "1"
    audit.record(
        None,
        "export",
        by=membership.user,
        organization_id=membership.organization_id,
        detail="audit log" + (", with break-glass reasons" if with_reasons else ", redacted"),
    )
    entries = audit.entries_for(membership.organization_id).order_by("at", "pk")

    def rows() -> Iterator[list[str]]:
        yield ["at", "who", "action", "case", "detail"]
        for entry in entries.iterator():
            detail = entry.detail
            if entry.action == "break_glass" and not with_reasons:
                detail = "(reason withheld)"
            yield [
                entry.at.isoformat(),
                neutralize(entry.who),
                entry.action,
                f"#{entry.case_id}" if entry.case_id else "",
                neutralize(detail),
            ]

    response = StreamingHttpResponse(csv_lines(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cases-audit-log.csv"'
    return response


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def managers(request: HttpRequest, org: str) -> HttpResponse:
    """Owners name the staff who manage (triage) every case."""
    membership = membership_for(request, org, Role.OWNER)
    organization = membership.organization
    form = ManagerForm(request.POST or None, organization=organization)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            user = get_object_or_404(get_user_model(), pk=remove if remove.isdigit() else 0)
            actions.remove_case_manager(organization, user, by=membership.user)
            return _see_other(reverse("cases_manage:managers", args=[org]))
        if form.is_valid():
            actions.add_case_manager(organization, form.cleaned_data["user"], by=membership.user)
            return _see_other(reverse("cases_manage:managers", args=[org]))
    current = CaseManager.objects.filter(organization=organization).select_related("user")
    return _page(
        request,
        "managers.html",
        membership,
        status=400 if form.is_bound else 200,
        form=form,
        managers=list(current),
    )

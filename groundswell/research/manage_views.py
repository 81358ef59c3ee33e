"""The organizer area of the research desk: /manage/<org>/research/.

Organizers of the organization see and change its documents and data sets; anyone
else gets 403 for the organization and 404 for another organization's records. The
donor review queue is shared by every organization (campaign-finance data is public
and imported once); each decision records who made it and for which organization.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.campaigns.models import Demand
from groundswell.organizations.models import Membership
from groundswell.organizations.permissions import membership_for, organizer_required
from groundswell.research import statistics, text
from groundswell.research.actions import (
    ResearchRefused,
    complaint_imports,
    documents,
    donors,
    misconduct,
)
from groundswell.research.manage_forms import (
    CitationForm,
    ClauseForm,
    DatasetForm,
    DocumentForm,
    ImportForm,
    VersionForm,
)
from groundswell.research.models import (
    ComplaintImport,
    Dataset,
    Document,
    DonorMatch,
    MatchState,
    Section,
)

SECTION = "research"


def _context(membership: Membership, **extra: Any) -> dict[str, Any]:
    return {
        "organization": membership.organization,
        "membership": membership,
        "section": SECTION,
        **extra,
    }


def demands_for(membership: Membership) -> QuerySet[Demand]:
    """The demands of the campaigns the organization owns or partners in."""
    organization = membership.organization
    return (
        Demand.objects.filter(Q(campaign__owner=organization) | Q(campaign__partners=organization))
        .select_related("campaign")
        .distinct()
        .order_by("campaign__title", "position", "pk")
    )


def _document(membership: Membership, slug: str) -> Document:
    return get_object_or_404(Document, organization=membership.organization, slug=slug)


def _version_text(form: VersionForm) -> tuple[str, str]:
    upload = form.cleaned_data.get("upload")
    if upload:
        return documents.read_upload(upload.name or "", upload.read())
    return form.cleaned_data["text"], "text"


@organizer_required
@require_safe
def index(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    return render(
        request,
        "research/manage/index.html",
        _context(
            membership,
            documents=Document.objects.filter(organization=organization).prefetch_related(
                "versions"
            ),
            datasets=Dataset.objects.filter(organization=organization),
            waiting=DonorMatch.objects.filter(state=MatchState.PROPOSED).count(),
        ),
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def document_new(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            body, fmt = _version_text(form)
            document = documents.create_document(
                membership,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                source_url=form.cleaned_data["source_url"],
            )
            try:
                documents.add_version(
                    membership,
                    document,
                    label=form.cleaned_data["label"],
                    effective_date=form.cleaned_data["effective_date"],
                    text=body,
                    source_format=fmt,
                )
            except ResearchRefused:
                document.delete()  # nothing changed: no document without its text
                raise
        except ResearchRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The document was saved and split into sections."))
            return HttpResponseRedirect(
                reverse("research_manage:document", args=[org, document.slug]), status=303
            )
    status = 400 if form.errors else 200
    return render(
        request,
        "research/manage/document_form.html",
        _context(membership, form=form),
        status=status,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def document(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    """A document's versions and sections, and the form for a new version."""
    membership = membership_for(request, org)
    doc = _document(membership, slug)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            body, fmt = _version_text(form)
            documents.add_version(
                membership,
                doc,
                label=form.cleaned_data["label"],
                effective_date=form.cleaned_data["effective_date"],
                text=body,
                source_format=fmt,
            )
        except ResearchRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The new version was saved and split into sections."))
            return HttpResponseRedirect(request.path, status=303)
    versions = list(doc.versions.prefetch_related("sections", "sections__clauses"))
    return render(
        request,
        "research/manage/document.html",
        _context(membership, document=doc, versions=versions, form=form),
        status=400 if form.errors else 200,
    )


@organizer_required
@require_safe
def difference(request: HttpRequest, org: str, slug: str) -> HttpResponse:
    """One section side by side in two versions: ?section=6.2&old=<id>&new=<id>."""
    membership = membership_for(request, org)
    doc = _document(membership, slug)
    versions = list(doc.versions.all())
    if len(versions) < 2:
        raise Http404
    by_id = {str(v.pk): v for v in versions}
    old = by_id.get(request.GET.get("old", ""), versions[-2])
    new = by_id.get(request.GET.get("new", ""), versions[-1])
    number = request.GET.get("section", "")
    numbers = sorted(
        set(Section.objects.filter(version__in=[old, new]).values_list("number", flat=True)),
        key=lambda n: [int(p) if p.isdigit() else 0 for p in n.replace("~", ".").split(".")] + [0],
    )
    rows, before, after = [], None, None
    if number:
        before = old.sections.filter(number=number).first()
        after = new.sections.filter(number=number).first()
        rows = text.difference(before.text if before else "", after.text if after else "")
    return render(
        request,
        "research/manage/difference.html",
        _context(
            membership,
            document=doc,
            versions=versions,
            old=old,
            new=new,
            number=number,
            numbers=numbers,
            before=before,
            after=after,
            rows=rows,
        ),
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def clause_new(request: HttpRequest, org: str, section: int) -> HttpResponse:
    membership = membership_for(request, org)
    part = get_object_or_404(
        Section.objects.select_related("version__document"),
        pk=section,
        version__document__organization=membership.organization,
    )
    form = ClauseForm(request.POST or None, demands=demands_for(membership))
    if request.method == "POST" and form.is_valid():
        try:
            documents.tag_clause(
                membership,
                part,
                quote=form.cleaned_data["quote"],
                category=form.cleaned_data["category"],
                note=form.cleaned_data["note"],
                demand_ids=[d.pk for d in form.cleaned_data["demands"]],
            )
        except ResearchRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The clause was tagged."))
            return HttpResponseRedirect(
                reverse("research_manage:document", args=[org, part.version.document.slug]),
                status=303,
            )
    return render(
        request,
        "research/manage/clause_form.html",
        _context(membership, part=part, form=form),
        status=400 if form.errors else 200,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def dataset_new(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    form = DatasetForm(request.POST or None, initial={"data_date": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            dataset = misconduct.create_dataset(membership, **form.cleaned_data)
        except ResearchRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return HttpResponseRedirect(
                reverse("research_manage:dataset", args=[org, dataset.pk]), status=303
            )
    return render(
        request,
        "research/manage/dataset_form.html",
        _context(membership, form=form),
        status=400 if form.errors else 200,
    )


def _queue_imports(
    request: HttpRequest, membership: Membership, data: Dataset, form: ImportForm
) -> None:
    """The officers file first: the allegations file waits for it. Both or neither."""
    files = [
        (kind, form.cleaned_data[kind])
        for kind in (ComplaintImport.Kind.OFFICERS, ComplaintImport.Kind.ALLEGATIONS)
        if form.cleaned_data[kind]
    ]
    user = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        after = None
        for kind, upload in files:
            after = complaint_imports.queue_import(
                membership,
                data,
                kind=kind,
                data=upload.read(),
                name=upload.name or "",
                user=user,
                after=after,
            )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def dataset(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """A data set: its import form, its imports (queued, running, done, with their row
    errors), and citing one of its statistics on a demand."""
    membership = membership_for(request, org)
    data = get_object_or_404(Dataset, organization=membership.organization, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            _queue_imports(request, membership, data, form)
        except ResearchRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The import is queued: this page shows its progress."))
            return HttpResponseRedirect(
                reverse("research_manage:dataset", args=[org, data.pk]), status=303
            )
    imports = list(data.imports.defer("data")[:5])
    return render(
        request,
        "research/manage/dataset.html",
        _context(
            membership,
            dataset=data,
            form=form,
            imports=imports,
            working=any(i.status in complaint_imports.ACTIVE for i in imports),
            count=data.allegations.count(),
            citation_form=CitationForm(demands=demands_for(membership)),
            filters=statistics.Filters.from_mapping(request.GET),
        ),
        status=400 if form.errors else 200,
    )


@organizer_required
@require_POST
def cite(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    """A demand cites a statistic, with the filters of the query string."""
    membership = membership_for(request, org)
    data = get_object_or_404(Dataset, organization=membership.organization, pk=pk)
    form = CitationForm(request.POST, demands=demands_for(membership))
    if form.is_valid():
        try:
            documents.cite_chart(
                membership,
                form.cleaned_data["demand"],
                data,
                measure=form.cleaned_data["measure"],
                filters=request.POST.dict(),
            )
        except ResearchRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("The demand now cites this statistic."))
    else:
        messages.error(request, _("Choose a demand and a statistic."))
    return HttpResponseRedirect(reverse("research_manage:dataset", args=[org, pk]), status=303)


@organizer_required
@require_safe
def donor_queue(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    waiting = DonorMatch.objects.filter(state=MatchState.PROPOSED).select_related("donor", "other")
    decided = (
        DonorMatch.objects.exclude(state=MatchState.PROPOSED)
        .select_related("donor", "other", "decided_by", "decided_for")
        .order_by("-decided_at")[:20]
    )
    return render(
        request,
        "research/manage/donors.html",
        _context(membership, waiting=waiting[:100], decided=decided),
    )


@organizer_required
@require_POST
def donor_decide(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    membership = membership_for(request, org)
    match = get_object_or_404(DonorMatch, pk=pk)
    decision = request.POST.get("decision")
    try:
        if decision == "confirm":
            donors.confirm_match(membership, match)
            messages.success(request, _("Confirmed: their contributions now count as one donor's."))
        elif decision == "reject":
            donors.reject_match(membership, match)
            messages.success(request, _("Rejected: they stay two donors."))
        else:
            messages.error(request, _("Choose to confirm or to reject."))
    except ResearchRefused as refusal:
        messages.error(request, str(refusal))
    return HttpResponseRedirect(reverse("research_manage:donors", args=[org]), status=303)

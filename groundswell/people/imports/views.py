"""CSV import for organizers: /manage/<org>/people/imports/.

Upload → map the columns (with consent and tags) → preview with each row's problems →
the worker imports → progress, counts and the failed rows as a CSV to fix and upload
again. Any organizer of the organization may import; its jobs are its own (404 else).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from groundswell.core import spreadsheets
from groundswell.core.spreadsheets import neutralize
from groundswell.organizations.models import Membership
from groundswell.organizations.permissions import membership_for
from groundswell.people import audit
from groundswell.people.imports import actions as import_actions
from groundswell.people.imports import parsing as imports
from groundswell.people.imports.forms import MappingForm, UploadForm
from groundswell.people.models import AuditEvent, ImportJob

View = Callable[..., HttpResponseBase]
# Room for the multipart envelope around the file in a request's Content-Length.
ENVELOPE_BYTES = 64 * 1024
JOBS_LISTED = 50
ERRORS_SHOWN = 50


def organizer_only(view: View) -> View:
    """Visitors go to the login page; pages with supporter data are never cached."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def _job(request: HttpRequest, org: str, job_id: int) -> tuple[Membership, ImportJob]:
    membership = membership_for(request, org)
    job = get_object_or_404(
        ImportJob.objects.select_related("organization", "created_by"),
        pk=job_id,
        organization=membership.organization,
    )
    return membership, job


def _url(name: str, job: ImportJob) -> str:
    return reverse(f"people_manage:{name}", args=[job.organization.slug, job.pk])


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _limit_bytes() -> int:
    return int(settings.IMPORT_MAX_MB) * 1024 * 1024


def _too_large_message() -> str:
    return _(
        "The file is larger than %(limit)s MB, the most one import can take. Split it "
        "into smaller files (for example by ZIP code) and import each one."
    ) % {"limit": settings.IMPORT_MAX_MB}


class ImportSizeLimit(FileUploadHandler):
    """Stops reading an upload once it passes the import limit, for a client that sent
    no Content-Length or a false one; nothing of it is kept."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


# --- The list ------------------------------------------------------------------------------


@organizer_only
@require_safe
def import_list(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org)
    jobs = ImportJob.objects.filter(organization=membership.organization).select_related(
        "created_by"
    )[:JOBS_LISTED]
    return render(
        request,
        "people/manage/import_list.html",
        {"organization": membership.organization, "jobs": jobs},
    )


# --- Upload ----------------------------------------------------------------------------


@csrf_exempt  # checked by _upload, once the size limit is in place (see import_new)
@organizer_only
@require_http_methods(["GET", "HEAD", "POST"])
def import_new(request: HttpRequest, org: str) -> HttpResponse:
    """The size is checked before the body is read: Django would otherwise take the
    whole upload (to disk) first, and the CSRF check reads the body."""
    membership = membership_for(request, org)
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > _limit_bytes() + ENVELOPE_BYTES:
            return _upload_page(request, membership, UploadForm(), _too_large_message(), 413)
        request.upload_handlers = [
            ImportSizeLimit(request, _limit_bytes()),
            *request.upload_handlers,
        ]
    return _upload(request, membership)


@csrf_protect
def _upload(request: HttpRequest, membership: Membership) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, membership, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    limit = request.upload_handlers[0]
    if isinstance(limit, ImportSizeLimit) and limit.exceeded:
        return _upload_page(request, membership, UploadForm(), _too_large_message(), 413)
    if not form.is_valid() or form.inspection is None:
        return _upload_page(request, membership, form, status=400)
    assert request.user.is_authenticated
    job = import_actions.create_job(
        membership.organization, request.user, form.cleaned_data["file"], form.inspection
    )
    return _see_other(_url("import_map", job))


def _upload_page(
    request: HttpRequest,
    membership: Membership,
    form: UploadForm,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "people/manage/import_new.html",
        {"organization": membership.organization, "form": form, "problem": problem},
        status=status,
    )


# --- Map -------------------------------------------------------------------------------


@organizer_only
@require_http_methods(["GET", "HEAD", "POST"])
def import_map(request: HttpRequest, org: str, job_id: int) -> HttpResponse:
    membership, job = _job(request, org, job_id)
    if job.status != ImportJob.Status.UPLOADED:
        return _see_other(_url("import_detail", job))
    with imports.open_rows(job.file.path, job.encoding, job.delimiter) as rows:
        samples = imports.first_rows(rows)
    if request.method == "POST":
        form = MappingForm(request.POST, job=job, samples=samples)
        if form.is_valid():
            import_actions.save_mapping(
                job,
                mapping=form.cleaned_data["mapping"],
                consent_basis=form.cleaned_data["consent_basis"],
                consent_note=form.cleaned_data["consent_note"].strip(),
                tag_names=form.cleaned_data["tag_names"],
            )
            return _see_other(_url("import_preview", job))
    else:
        mapping = job.mapping or import_actions.remembered_mapping(job.organization, job.headers)
        initial: dict[str, Any] = {
            f"column_{i}": mapping.get(str(i), "skip") for i in range(len(job.headers))
        }
        initial.update(
            consent_basis=job.consent_basis,
            consent_note=job.consent_note,
            tags=", ".join(job.tag_names),
        )
        form = MappingForm(initial=initial, job=job, samples=samples)
    return render(
        request,
        "people/manage/import_map.html",
        {
            "organization": membership.organization,
            "job": job,
            "form": form,
            "encoding": imports.ENCODING_LABELS.get(job.encoding, job.encoding),
            "delimiter": imports.DELIMITER_LABELS.get(job.delimiter, job.delimiter),
        },
        status=400 if form.is_bound else 200,
    )


# --- Preview and start ---------------------------------------------------------------------


@organizer_only
@require_http_methods(["GET", "HEAD", "POST"])
def import_preview(request: HttpRequest, org: str, job_id: int) -> HttpResponse:
    membership, job = _job(request, org, job_id)
    if job.status != ImportJob.Status.UPLOADED:
        return _see_other(_url("import_detail", job))
    if not job.mapping:
        return _see_other(_url("import_map", job))
    if request.method == "POST":
        if import_actions.start_import(job, request=request):
            messages.success(request, _("The import has started."))
        return _see_other(_url("import_detail", job))
    columns = imports.Columns.from_mapping(job.headers, job.mapping)
    with imports.open_rows(job.file.path, job.encoding, job.delimiter) as rows:
        found = imports.preview(rows, columns, skip=import_actions.skip_for(job))
    return render(
        request,
        "people/manage/import_preview.html",
        {
            "organization": membership.organization,
            "job": job,
            "columns": columns.shown,
            "rows": [(row, row.shown(columns)) for row in found.rows],
            "problem_rows": found.problem_rows,
            "failing": found.failing,
            "skipped": found.skipped,
            "total": found.total,
            "good": found.total - found.failing - found.skipped,
        },
    )


@organizer_only
@require_POST
def import_discard(request: HttpRequest, org: str, job_id: int) -> HttpResponse:
    membership, job = _job(request, org, job_id)
    if job.status == ImportJob.Status.UPLOADED:
        import_actions.discard(job)
        messages.success(request, _("The file was deleted; nothing was imported."))
    return _see_other(reverse("people_manage:import_list", args=[membership.organization.slug]))


# --- Progress and results ------------------------------------------------------------------


@organizer_only
@require_safe
def import_detail(request: HttpRequest, org: str, job_id: int) -> HttpResponse:
    membership, job = _job(request, org, job_id)
    if job.status == ImportJob.Status.UPLOADED:
        return _see_other(_url("import_map", job))
    working = job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    return render(
        request,
        "people/manage/import_detail.html",
        {
            "organization": membership.organization,
            "job": job,
            "working": working,
            "can_resume": import_actions.can_resume(job),
            "errors": job.errors.all()[:ERRORS_SHOWN],
            "percent": int(100 * job.rows_done / job.rows_total) if job.rows_total else 0,
        },
    )


@organizer_only
@require_POST
def import_resume(request: HttpRequest, org: str, job_id: int) -> HttpResponse:
    _membership, job = _job(request, org, job_id)
    if import_actions.resume(job):
        messages.success(request, _("The import continues from where it stopped."))
    return _see_other(_url("import_detail", job))


@organizer_only
@require_safe
def import_errors_csv(request: HttpRequest, org: str, job_id: int) -> HttpResponseBase:
    """The rows that failed, as in the file plus an "error" column, to fix and upload
    again. Cells are neutralized so a spreadsheet never runs one as a formula."""
    membership, job = _job(request, org, job_id)
    audit.record(
        membership.organization,
        AuditEvent.Action.EXPORTED,
        request=request,
        detail=_("Rows that failed to import from %(name)s") % {"name": job.original_name},
        records=job.errors.count(),
    )
    response = StreamingHttpResponse(_error_lines(job), content_type="text/csv; charset=utf-8")
    # A fixed name: the uploaded file's name may hold anything, personal data included.
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


def _error_lines(job: ImportJob) -> Iterator[str]:
    yield "\ufeff"  # so that Excel reads the file as UTF-8
    yield from spreadsheets.csv_lines(_error_rows(job))


def _error_rows(job: ImportJob) -> Iterator[list[str]]:
    width = len(job.headers)
    yield [neutralize(h) for h in [*job.headers, _("error")]]
    for error in job.errors.iterator(chunk_size=2000):
        values = [*error.values[:width], *[""] * (width - len(error.values))]
        extra = error.values[width:]  # cells past the header's columns, after the reason
        yield [neutralize(v) for v in [*values, error.reason, *extra]]

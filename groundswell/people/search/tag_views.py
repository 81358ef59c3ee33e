"""The organization's tags: /manage/<org>/people/tags/ (rename, delete)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from groundswell.organizations.models import Organization
from groundswell.organizations.permissions import membership_for
from groundswell.people import actions, audit
from groundswell.people.manage.forms import TagForm
from groundswell.people.manage.views import organizer_required, see_other
from groundswell.people.models import AuditEvent, Tag


def tag_of(organization: Organization, tag_id: int) -> Tag:
    """The organization's tag; 404 for another organization's (as for none)."""
    return get_object_or_404(Tag, organization=organization, pk=tag_id)


@organizer_required
@require_safe
def tags(request: HttpRequest, org: str) -> HttpResponse:
    organization = membership_for(request, org).organization
    return render(
        request,
        "people/manage/tags.html",
        {
            "organization": organization,
            "tags": Tag.objects.filter(organization=organization).annotate(size=Count("taggings")),
        },
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def tag_edit(request: HttpRequest, org: str, tag_id: int) -> HttpResponse:
    organization = membership_for(request, org).organization
    tag = tag_of(organization, tag_id)
    form = TagForm(request.POST or None, tag=tag, initial={"name": tag.name})
    if request.method == "POST" and form.is_valid():
        actions.rename_tag(tag, form.cleaned_data["name"])
        audit.record(
            organization, AuditEvent.Action.CHANGED, request=request, detail=f"tag {tag.pk} renamed"
        )
        messages.success(request, _("Tag renamed to “%(name)s”.") % {"name": tag.name})
        return see_other(reverse("people_manage:tags", args=[organization.slug]))
    return render(
        request,
        "people/manage/tag_edit.html",
        {"organization": organization, "tag": tag, "form": form, "size": tag.taggings.count()},
    )


@organizer_required
@require_http_methods(["POST"])
def tag_delete(request: HttpRequest, org: str, tag_id: int) -> HttpResponse:
    organization = membership_for(request, org).organization
    tag = tag_of(organization, tag_id)
    name = tag.name
    actions.delete_tag(tag)
    audit.record(
        organization, AuditEvent.Action.CHANGED, request=request, detail=f"tag {tag_id} deleted"
    )
    messages.success(
        request,
        _("Tag “%(name)s” deleted. The people who had it are still your supporters.")
        % {"name": name},
    )
    return see_other(reverse("people_manage:tags", args=[organization.slug]))

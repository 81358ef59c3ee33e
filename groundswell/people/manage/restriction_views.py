"""/manage/<org>/people/<supporter>/contact/: "do not contact" and "safe to contact only
by …" on the organization's record of a person (people.actions.restrictions writes)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from groundswell.organizations.permissions import membership_for, organizer_required
from groundswell.people.actions import restrictions as actions
from groundswell.people.manage.views import see_other, supporter_of
from groundswell.people.models import ContactRestriction
from groundswell.people.restrictions import restriction_of


class RestrictionForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("How they may be contacted"),
        choices=ContactRestriction.Kind.choices,
        widget=forms.RadioSelect,
    )
    through = forms.CharField(
        label=gettext_lazy("The person to go through"),
        help_text=gettext_lazy("Only for “through a named person”: who, and how to reach them."),
        max_length=200,
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("Why: other organizers of yours read it before reaching out."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


@organizer_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact_restriction(request: HttpRequest, org: str, supporter: int) -> HttpResponse:
    membership = membership_for(request, org)
    organization = membership.organization
    record = supporter_of(organization, supporter)
    current = restriction_of(record.person_id, organization)
    back = reverse("people_manage:person", args=[organization.slug, record.pk])
    if request.method == "POST" and "lift" in request.POST:
        if actions.lift_contact_restriction(record, by=membership.user):
            messages.success(request, _("The contact restriction was lifted."))
        return see_other(back)
    initial = (
        {"kind": current.kind, "through": current.through, "reason": current.reason}
        if current
        else {}
    )
    form = RestrictionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.set_contact_restriction(
                    record,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    through=form.cleaned_data["through"],
                    by=membership.user,
                )
            except actions.RestrictionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request, _("Saved: no email of this platform will reach them against it.")
                )
                return see_other(back)
        status = 400
    return render(
        request,
        "people/manage/contact_restriction.html",
        {"organization": organization, "supporter": record, "form": form, "current": current},
        status=status,
    )

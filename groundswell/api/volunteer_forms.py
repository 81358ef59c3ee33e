"""Forms and submissions: the organization's volunteer form and its confirmed sign-ups.

Each organization has one volunteer form, and one more for each published campaign it
owns or is a partner in (/volunteer/<org>/<campaign>/). A form's id tells which:
twice the organization's id for its own form, twice the campaign's id plus one for a
campaign's. Submissions are the sign-ups sent to this organization's forms whose
address was confirmed (before that anyone could have typed anyone's address), by
people it knows, each linked to its Supporter. (Named so beside api/forms.py, the
token page's Django form.)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from groundswell.api import filters
from groundswell.api.hal import Links, collection, date, filtered, identifiers, page_of
from groundswell.api.http import Api, Body, not_found, object_id
from groundswell.api.people import supporter_of
from groundswell.campaigns.models import Campaign
from groundswell.organizations.models import Organization
from groundswell.people.models import Supporter
from groundswell.volunteers.models import Signup, VolunteerForm

# The organization has no modification date: its form's creation date serves for both.
ORGANIZATION_FIELDS = {
    "modified_date": filters.date_field("created_at"),
    "created_date": filters.date_field("created_at"),
    "identifiers": filters.identifier_field("form_id"),
}
CAMPAIGN_FIELDS = {
    "modified_date": filters.date_field("updated_at"),
    "created_date": filters.date_field("created_at"),
    "identifiers": filters.identifier_field("form_id"),
}
SUBMISSION_FIELDS = {
    "modified_date": filters.date_field("confirmed_at"),
    "created_date": filters.date_field("created_at"),
    "identifiers": filters.identifier_field(),
}


def form_id(campaign_id: int | None, organization_id: int) -> int:
    return 2 * campaign_id + 1 if campaign_id is not None else 2 * organization_id


@dataclass(frozen=True)
class Form:
    organization: Organization
    campaign: Campaign | None = None

    @property
    def pk(self) -> int:
        return form_id(self.campaign.pk if self.campaign else None, self.organization.pk)


def _organizations(api: Api) -> Any:
    return Organization.objects.filter(pk=api.organization.pk).annotate(form_id=F("pk") * 2)


def _campaigns(api: Api) -> Any:
    return (
        Campaign.objects.published().involving(api.organization).annotate(form_id=F("pk") * 2 + 1)
    )


def form_of(api: Api, pk: str) -> Form:
    number = object_id(pk, "form")
    if number == 2 * api.organization.pk:
        return Form(api.organization)
    campaign = _campaigns(api).filter(pk=(number - 1) // 2).first() if number % 2 else None
    if campaign is None:
        raise not_found("form")
    return Form(api.organization, campaign)


def submissions(api: Api) -> Any:
    """Confirmed sign-ups to the organization's forms by people it knows, each with
    `supporter_pk` (erased ones left out)."""
    person = OuterRef("volunteer__person")
    supporter = Supporter.objects.filter(organization=api.organization, person=person)
    return (
        Signup.objects.confirmed()
        .filter(organization=api.organization, erased_at__isnull=True)
        .filter(volunteer__person__isnull=False)
        .annotate(supporter_pk=Subquery(supporter.values("pk")[:1]))
        .filter(supporter_pk__isnull=False)
    )


def _of_form(api: Api, form: Form) -> Any:
    return submissions(api).filter(campaign=form.campaign)


def represent(api: Api, form: Form) -> Body:
    organization, campaign = form.organization, form.campaign
    settings_row = VolunteerForm.for_organization(organization)
    created: datetime.datetime
    if campaign is None:
        title = _("Volunteer with %(organization)s") % {"organization": organization.name}
        description = settings_row.intro
        created = modified = organization.created_at
        url = reverse("volunteers:signup", args=[organization.slug])
    else:
        title = campaign.title
        description = campaign.summary
        created, modified = campaign.created_at, campaign.updated_at
        url = reverse("volunteers:campaign_signup", args=[organization.slug, campaign.slug])
    return {
        "identifiers": identifiers(form.pk),
        "created_date": date(created),
        "modified_date": date(modified),
        "title": title,
        "description": description,
        "browser_url": api.request.build_absolute_uri(url),
        "total_submissions": _of_form(api, form).count(),
        "groundswell:open": settings_row.is_open,
        "groundswell:campaign": campaign.slug if campaign else None,
        "_links": {
            "self": {"href": api.href("forms", form.pk)},
            "osdi:submissions": {"href": api.href("forms", form.pk, "submissions")},
        },
    }


def list_forms(api: Api) -> tuple[int, Body]:
    own, text = filtered(api, _organizations(api), ORGANIZATION_FIELDS)
    campaigns, _text = filtered(api, _campaigns(api), CAMPAIGN_FIELDS)
    forms = [Form(api.organization)] if own.exists() else []
    forms += [Form(api.organization, c) for c in campaigns.order_by("pk")]
    return 200, page_of(
        api,
        len(forms),
        lambda start, stop: forms[start:stop],
        kind="forms",
        path=["forms"],
        represent=represent,
        text=text,
    )


def get_form(api: Api, pk: str) -> tuple[int, Body]:
    return 200, represent(api, form_of(api, pk))


# --- Submissions --------------------------------------------------------------------------


def represent_submission(api: Links, signup: Any) -> Body:
    form = form_id(signup.campaign_id, signup.organization_id)
    return {
        "identifiers": identifiers(signup.pk),
        "created_date": date(signup.created_at),
        "modified_date": date(signup.confirmed_at),
        "_links": {
            "self": {"href": api.href("forms", form, "submissions", signup.pk)},
            "osdi:form": {"href": api.href("forms", form)},
            "osdi:person": {"href": api.href("people", signup.supporter_pk)},
        },
    }


def list_submissions(api: Api, form: str) -> tuple[int, Body]:
    found = form_of(api, form)
    return 200, collection(
        api,
        _of_form(api, found),
        kind="submissions",
        path=["forms", found.pk, "submissions"],
        represent=represent_submission,
        fields=SUBMISSION_FIELDS,
        audit="submissions",
    )


def get_submission(api: Api, form: str, pk: str) -> tuple[int, Body]:
    found = form_of(api, form)
    signup = _of_form(api, found).filter(pk=object_id(pk, "submission")).first()
    if signup is None:
        raise not_found("submission")
    return 200, represent_submission(api, signup)


def person_submissions(api: Api, person: str) -> tuple[int, Body]:
    supporter = supporter_of(api, person)
    return 200, collection(
        api,
        submissions(api).filter(volunteer__person=supporter.person_id),
        kind="submissions",
        path=["people", supporter.pk, "submissions"],
        represent=represent_submission,
        fields=SUBMISSION_FIELDS,
        audit="person submissions",
    )

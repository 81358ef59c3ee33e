"""The API's views: the entry point, and each resource's endpoints by method.

A new capability (events and attendances, forms and submissions) adds its module
beside people.py and petitions.py, its routes in urls.py, and a line in RESOURCES: the
entry point, the OpenAPI document and the routing all read from there.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from groundswell.api import events, lists, messages, people, petitions, tags, volunteer_forms
from groundswell.api.hal import MAX_PER_PAGE
from groundswell.api.http import Api, Body, endpoint, error

# Collections linked from the entry point: OSDI name → path.
RESOURCES = {
    "osdi:people": "people",
    "osdi:petitions": "petitions",
    "osdi:tags": "tags",
    "osdi:lists": "lists",
    "osdi:events": "events",
    "osdi:forms": "forms",
    "osdi:messages": "messages",
    "osdi:metadata": "metadata",
}


def _entry(api: Api) -> tuple[int, Body]:
    links = {name: {"href": api.href(path)} for name, path in RESOURCES.items()}
    return 200, {
        "motd": _("Welcome to the %(site)s OSDI API (Action Network v2 compatible).")
        % {"site": settings.SITE_NAME},
        "vendor_name": "Groundswell",
        "product_name": settings.SITE_NAME,
        "osdi_version": "1.4.0",
        "max_pagesize": MAX_PER_PAGE,
        "organization": api.organization.name,
        "_links": {
            "curies": [
                {
                    "name": "osdi",
                    "href": "https://opensupporter.github.io/osdi-docs/{rel}",
                    "templated": True,
                }
            ],
            "self": {"href": api.base},
            **links,
            "osdi:person_signup_helper": {"href": api.href("people")},
            "docs": {"href": api.href("openapi.json")},
        },
    }


entry = endpoint(GET=_entry)
people_collection = endpoint(GET=people.list_people, POST=people.signup)
person = endpoint(GET=people.get_person, PUT=people.put_person)
person_taggings = endpoint(GET=tags.person_taggings)
person_signatures = endpoint(GET=petitions.person_signatures)
tags_collection = endpoint(GET=tags.list_tags, POST=tags.create_tag)
tag = endpoint(GET=tags.get_tag)
messages_collection = endpoint(GET=messages.list_messages)
message = endpoint(GET=messages.get_message)
taggings = endpoint(GET=tags.list_taggings, POST=tags.create_tagging)
tagging = endpoint(GET=tags.get_tagging, DELETE=tags.delete_tagging)
petitions_collection = endpoint(GET=petitions.list_petitions, POST=petitions.create_petition)
petition = endpoint(GET=petitions.get_petition, PUT=petitions.put_petition)
signatures = endpoint(GET=petitions.list_signatures, POST=petitions.record_signature)
signature = endpoint(GET=petitions.get_signature)
lists_collection = endpoint(GET=lists.list_lists)
person_list = endpoint(GET=lists.get_list)
items = endpoint(GET=lists.list_items)
item = endpoint(GET=lists.get_item)
metadata = endpoint(GET=lists.metadata)
custom_fields = endpoint(GET=lists.custom_fields)
events_collection = endpoint(GET=events.list_events)
event = endpoint(GET=events.get_event)
attendances = endpoint(GET=events.list_attendances, POST=events.record_attendance)
attendance = endpoint(GET=events.get_attendance)
person_attendances = endpoint(GET=events.person_attendances)
person_attendance = endpoint(GET=events.person_attendance)
forms_collection = endpoint(GET=volunteer_forms.list_forms)
form = endpoint(GET=volunteer_forms.get_form)
submissions = endpoint(GET=volunteer_forms.list_submissions)
submission = endpoint(GET=volunteer_forms.get_submission)
person_submissions = endpoint(GET=volunteer_forms.person_submissions)


@csrf_exempt
def no_route(request: HttpRequest) -> HttpResponse:
    return error(404, _("There is no such resource in this API."))


@require_safe
def openapi(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3.1 description of what is served (public: it holds no data)."""
    from groundswell.api.openapi import document

    base = request.build_absolute_uri("/api/v2").rstrip("/")
    return JsonResponse(document(base), json_dumps_params={"indent": 1})

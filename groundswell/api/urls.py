"""Mounted at /api/v2 (see docs/api.md): every route answers with or without a trailing
slash, and never redirects (a client's POST would be lost)."""

from django.urls import URLPattern, re_path

from groundswell.api import views

app_name = "api"

ID = "[0-9]+"
ROUTES = [
    ("", views.entry, "entry"),  # /api/v2 and /api/v2/
    ("/openapi.json", views.openapi, "openapi"),
    ("/people", views.people_collection, "people"),
    (f"/people/(?P<pk>{ID})", views.person, "person"),
    (f"/people/(?P<person>{ID})/taggings", views.person_taggings, "person_taggings"),
    (f"/people/(?P<person>{ID})/signatures", views.person_signatures, "person_signatures"),
    ("/tags", views.tags_collection, "tags"),
    (f"/tags/(?P<pk>{ID})", views.tag, "tag"),
    (f"/tags/(?P<tag>{ID})/taggings", views.taggings, "taggings"),
    (f"/tags/(?P<tag>{ID})/taggings/(?P<pk>{ID})", views.tagging, "tagging"),
    ("/petitions", views.petitions_collection, "petitions"),
    (f"/petitions/(?P<pk>{ID})", views.petition, "petition"),
    (f"/petitions/(?P<petition>{ID})/signatures", views.signatures, "signatures"),
    (f"/petitions/(?P<petition>{ID})/signatures/(?P<pk>{ID})", views.signature, "signature"),
    ("/lists", views.lists_collection, "lists"),
    (f"/lists/(?P<pk>{ID})", views.person_list, "list"),
    (f"/lists/(?P<person_list>{ID})/items", views.items, "items"),
    (f"/lists/(?P<person_list>{ID})/items/(?P<pk>{ID})", views.item, "item"),
    ("/events", views.events_collection, "events"),
    (f"/events/(?P<pk>{ID})", views.event, "event"),
    (f"/events/(?P<event>{ID})/attendances", views.attendances, "attendances"),
    (f"/events/(?P<event>{ID})/attendances/(?P<pk>{ID})", views.attendance, "attendance"),
    (f"/people/(?P<person>{ID})/attendances", views.person_attendances, "person_attendances"),
    (
        f"/people/(?P<person>{ID})/attendances/(?P<pk>{ID})",
        views.person_attendance,
        "person_attendance",
    ),
    ("/forms", views.forms_collection, "forms"),
    (f"/forms/(?P<pk>{ID})", views.form, "form"),
    (f"/forms/(?P<form>{ID})/submissions", views.submissions, "submissions"),
    (f"/forms/(?P<form>{ID})/submissions/(?P<pk>{ID})", views.submission, "submission"),
    (f"/people/(?P<person>{ID})/submissions", views.person_submissions, "person_submissions"),
    ("/messages", views.messages_collection, "messages"),
    (f"/messages/(?P<pk>{ID})", views.message, "message"),
    ("/metadata", views.metadata, "metadata"),
    ("/metadata/custom_fields", views.custom_fields, "custom_fields"),
]

# "[/]" is a slash that reverse() writes out (and that the slash-prefix check allows):
# the include in groundswell/urls.py ends without one so that /api/v2 works too.
urlpatterns: list[URLPattern] = [
    *(
        re_path("^" + pattern.replace("/", "[/]", 1) + "[/]?$", view, name=name)
        for pattern, view, name in ROUTES
    ),
    # Anything else under /api/v2/ is a JSON 404, not the site's HTML page.
    re_path(r"^[/]", views.no_route),
]

"""The organizer area for petitions, mounted at /manage/<org>/petitions/."""

from django.urls import path

from groundswell.petitions import delivery_views, integrity_views
from groundswell.petitions import manage_views as views

app_name = "petitions_manage"
urlpatterns = [
    path("", views.petition_list, name="list"),
    path("new/", views.create, name="create"),  # "new" is a reserved petition slug
    # The organization's access rules; "rules" is a reserved petition slug too.
    path("rules/", integrity_views.rules, name="rules"),
    path("rules/<int:rule>/delete/", integrity_views.rule_delete, name="rule_delete"),
    # Invitations to co-sponsor another organization's petition; a reserved slug too.
    path("sponsorships/", views.sponsorships, name="sponsorships"),
    path(
        "sponsorships/<int:invitation>/accept/",
        views.accept_sponsorship,
        name="accept_sponsorship",
    ),
    path(
        "sponsorships/<int:invitation>/decline/",
        views.decline_sponsorship,
        name="decline_sponsorship",
    ),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/preview/", views.preview, name="preview"),
    path("<slug:slug>/publish/", views.publish, name="publish"),
    path("<slug:slug>/close/", views.close, name="close"),
    path("<slug:slug>/reopen/", views.reopen, name="reopen"),
    path("<slug:slug>/victory/", views.victory, name="victory"),
    path("<slug:slug>/sponsorship/end/", views.stop_sponsoring, name="stop_sponsoring"),
    path("<slug:slug>/updates/new/", views.update_create, name="update_create"),
    path("<slug:slug>/responses/new/", views.response_create, name="response_create"),
    path("<slug:slug>/export.csv", views.export, name="export"),
    path("<slug:slug>/wards/", delivery_views.ward_map, name="wards"),
    path("<slug:slug>/deliveries/new/", delivery_views.delivery_create, name="delivery_create"),
    path("<slug:slug>/packets/", delivery_views.packet_request, name="packet_request"),
    path(
        "<slug:slug>/packets/<int:packet>.<str:kind>",
        delivery_views.packet_download,
        name="packet_download",
    ),
    path("<slug:slug>/integrity/", integrity_views.integrity_page, name="integrity"),
    path("<slug:slug>/integrity/clear/", integrity_views.clear_suspects, name="clear_suspects"),
    path("<slug:slug>/integrity/invalidate/", integrity_views.invalidate, name="invalidate"),
    path(
        "<slug:slug>/integrity/invalidations/<int:invalidation>/reverse/",
        integrity_views.reverse_invalidation,
        name="reverse_invalidation",
    ),
]

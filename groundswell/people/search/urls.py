"""Routes for the organizer's people area proper: search, lists, tags, a person (see
manage_urls). A person is named by the organization's own Supporter id, never the shared
Person id: how old that is would tell whether someone was already known elsewhere."""

from django.urls import URLPattern, path

from groundswell.people.manage import restriction_views
from groundswell.people.manage import views as manage_views
from groundswell.people.search import list_views, tag_views

urlpatterns: list[URLPattern] = [
    path("", manage_views.people_list, name="list"),
    path("export.csv", manage_views.export, name="export"),
    path("bulk/", manage_views.bulk, name="bulk"),
    path("searches/new/", manage_views.save_search, name="save_search"),
    path("new/", manage_views.add, name="add"),
    path("<int:supporter>/", manage_views.person, name="person"),
    path("<int:supporter>/edit/", manage_views.edit, name="edit"),
    path(
        "<int:supporter>/contact/",
        restriction_views.contact_restriction,
        name="contact_restriction",
    ),
    path("lists/", list_views.lists, name="lists"),
    path("lists/<int:list_id>/", list_views.list_detail, name="list_detail"),
    path("lists/<int:list_id>/export.csv", list_views.list_export, name="list_export"),
    path("lists/<int:list_id>/delete/", list_views.list_delete, name="list_delete"),
    path("tags/", tag_views.tags, name="tags"),
    path("tags/<int:tag_id>/", tag_views.tag_edit, name="tag_edit"),
    path("tags/<int:tag_id>/delete/", tag_views.tag_delete, name="tag_delete"),
]

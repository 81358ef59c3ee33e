"""The organizer area for outreach actions, mounted at /manage/<org>/outreach/."""

from django.urls import path

from groundswell.outreach import manage_views as views

app_name = "outreach_manage"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("new/", views.create, name="create"),  # "new" is a reserved slug
    path("<slug:slug>/", views.results, name="results"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/participants.csv", views.export, name="export"),
]

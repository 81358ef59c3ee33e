"""The organizer area for mailings, mounted at /manage/<org>/mailings/."""

from django.urls import URLPattern, URLResolver, path

from groundswell.mailings import manage_views as views

app_name = "mailings_manage"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.mailing_list, name="list"),
    path("new/", views.edit, name="create"),
    path("settings/", views.approval_settings, name="settings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/progress.json", views.progress, name="progress"),
    path("<int:pk>/<str:step>/", views.change, name="change"),
]

"""The organizer area for text messages, mounted at /manage/<org>/texts/."""

from django.urls import URLPattern, URLResolver, path

from groundswell.texts import manage_views as views

app_name = "texts_manage"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.blast_list, name="list"),
    path("new/", views.edit, name="create"),
    path("settings/", views.text_settings, name="settings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/progress.json", views.progress, name="progress"),
    path("<int:pk>/<str:step>/", views.change, name="change"),
]

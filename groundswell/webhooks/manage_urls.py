"""Mounted at /manage/<org>/api/webhooks/: the organization's webhook endpoints."""

from django.urls import path

from groundswell.webhooks import views

app_name = "webhooks_manage"
urlpatterns = [
    path("", views.endpoints, name="endpoints"),
    path("<int:endpoint>/", views.endpoint, name="endpoint"),
    path("<int:endpoint>/rotate/", views.rotate, name="rotate"),
    path("<int:endpoint>/active/", views.set_active, name="set_active"),
    path("<int:endpoint>/delete/", views.delete, name="delete"),
    path(
        "<int:endpoint>/deliveries/<int:delivery>/redeliver/",
        views.redeliver,
        name="redeliver",
    ),
]

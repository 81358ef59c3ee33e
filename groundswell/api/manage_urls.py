"""Mounted at /manage/<org>/api/: an organization's API tokens (and webhooks)."""

from django.urls import path

from groundswell.api import manage_views as views
from groundswell.api import reference

app_name = "api_manage"
urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("tokens/<int:token>/revoke/", views.revoke, name="revoke"),
    path("reference/", reference.reference, name="reference"),
]

"""The organizer area for mailings, mounted at /manage/<org>/mailings/."""

from django.urls import URLPattern, URLResolver

app_name = "mailings_manage"
urlpatterns: list[URLPattern | URLResolver] = []

"""The organizer area for research, mounted at /manage/<org>/research/."""

from django.urls import URLPattern, URLResolver

app_name = "research_manage"
urlpatterns: list[URLPattern | URLResolver] = []

"""The organizer area for canvass, mounted at /manage/<org>/canvass/."""

from django.urls import URLPattern, URLResolver

app_name = "canvass_manage"
urlpatterns: list[URLPattern | URLResolver] = []

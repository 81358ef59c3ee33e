"""Public pages of canvass, at /canvass/."""

from django.urls import URLPattern, URLResolver

app_name = "canvass"
urlpatterns: list[URLPattern | URLResolver] = []

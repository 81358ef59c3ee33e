"""The organizer area for text messages, mounted at /manage/<org>/texts/."""

from django.urls import URLPattern, URLResolver

app_name = "texts_manage"
urlpatterns: list[URLPattern | URLResolver] = []

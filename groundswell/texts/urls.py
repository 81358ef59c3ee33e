"""Public endpoints of text messages, at /texts/: the provider's inbound webhook."""

from django.urls import URLPattern, URLResolver

app_name = "texts"
urlpatterns: list[URLPattern | URLResolver] = []

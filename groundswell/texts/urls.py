"""Public endpoints of text messages, at /texts/: the provider's inbound webhook."""

from django.urls import URLPattern, URLResolver, path

from groundswell.texts import views

app_name = "texts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("inbound/<slug:provider>", views.receive, name="inbound"),
]

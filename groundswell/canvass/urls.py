"""Canvassers' pages, at /canvass/: the offline phone app and its endpoints."""

from django.urls import URLPattern, URLResolver, path

from groundswell.canvass import views

app_name = "canvass"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.phone, name="phone"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("api/turf", views.turf, name="turf"),
    path("api/visits", views.visits, name="visits"),
    path("captain/", views.captain, name="captain"),
]

"""Routes for this part of /manage/<org>/people/ (see manage_urls): CSV imports."""

from django.urls import URLPattern, path

from groundswell.people.imports import views as import_views

urlpatterns: list[URLPattern] = [
    path("imports/", import_views.import_list, name="import_list"),
    path("imports/new/", import_views.import_new, name="import_new"),
    path("imports/<int:job_id>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:job_id>/map/", import_views.import_map, name="import_map"),
    path("imports/<int:job_id>/preview/", import_views.import_preview, name="import_preview"),
    path("imports/<int:job_id>/resume/", import_views.import_resume, name="import_resume"),
    path("imports/<int:job_id>/discard/", import_views.import_discard, name="import_discard"),
    path(
        "imports/<int:job_id>/errors.csv", import_views.import_errors_csv, name="import_errors_csv"
    ),
]

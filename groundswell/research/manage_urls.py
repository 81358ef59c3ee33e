"""The organizer area for research, mounted at /manage/<org>/research/."""

from django.urls import path

from groundswell.research import manage_views as views

app_name = "research_manage"
urlpatterns = [
    path("", views.index, name="index"),
    path("documents/new/", views.document_new, name="document_new"),
    path("documents/<slug:slug>/", views.document, name="document"),
    path("documents/<slug:slug>/difference/", views.difference, name="difference"),
    path("sections/<int:section>/clause/", views.clause_new, name="clause_new"),
    path("data/new/", views.dataset_new, name="dataset_new"),
    path("data/<int:pk>/", views.dataset, name="dataset"),
    path("data/<int:pk>/cite/", views.cite, name="cite"),
    path("donors/", views.donor_queue, name="donors"),
    path("donors/<int:pk>/", views.donor_decide, name="donor_decide"),
]

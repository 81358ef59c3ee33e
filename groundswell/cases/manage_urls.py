"""The organizer area for cases, mounted at /manage/<org>/cases/."""

from django.urls import path

from groundswell.cases import manage_views as views
from groundswell.cases import type_views

app_name = "cases_manage"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("export.csv", views.export, name="export"),
    path("audit/", views.audit_log, name="audit"),
    path("audit.csv", views.audit_export, name="audit_export"),
    path("managers/", views.managers, name="managers"),
    path("types/", type_views.types, name="types"),
    path("types/new/", type_views.type_form, name="type_new"),
    path("types/<int:pk>/", type_views.type_form, name="type_edit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/break-glass/", views.break_glass, name="break_glass"),
    path("<int:pk>/notes/", views.note, name="note"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("<int:pk>/documents/<int:document>/", views.document, name="document"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/unassign/<int:role>/", views.unassign, name="unassign"),
    path("<int:pk>/campaign/", views.campaign, name="campaign"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/activities/", views.activity_add, name="activity_add"),
    path("<int:pk>/activities/<int:activity>/done/", views.activity_done, name="activity_done"),
]

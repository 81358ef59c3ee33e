"""Organizer routes, mounted under /manage/<org>/volunteers/."""

from django.urls import path

from groundswell.volunteers import manage_views as views

app_name = "volunteers_manage"
urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    path("form/", views.form_settings, name="settings"),
    path("form/interests/", views.interest_add, name="interest_add"),
    path("form/interests/<int:interest>/remove/", views.interest_remove, name="interest_remove"),
    path("<int:volunteer>/", views.detail, name="detail"),
    path("<int:volunteer>/stage/", views.move_stage, name="move_stage"),
    path("<int:volunteer>/assign/", views.assign, name="assign"),
    path("<int:volunteer>/notes/", views.add_note, name="add_note"),
]

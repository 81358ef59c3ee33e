"""The organizer area for automatic follow-ups, mounted at /manage/<org>/ladders/."""

from django.urls import URLPattern, URLResolver, path

from groundswell.ladders import manage_views as views

app_name = "ladders_manage"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.ladder_list, name="list"),
    path("new/", views.edit, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/active/", views.activate, name="activate"),
    path("<int:pk>/steps/new/", views.step, name="step_create"),
    path("<int:pk>/steps/<int:step_pk>/", views.step, name="step_edit"),
    path("<int:pk>/steps/<int:step_pk>/delete/", views.delete_step, name="step_delete"),
]

"""Organizer routes, mounted at /manage/<org>/events/."""

from django.urls import path

from groundswell.events import manage_views as views

app_name = "events_manage"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/shifts/new/", views.shift_create, name="shift_create"),
    path("<int:pk>/shifts/<int:shift>/edit/", views.shift_edit, name="shift_edit"),
    path("<int:pk>/check-in/", views.checkin, name="checkin"),
    path("<int:pk>/check-in/<int:rsvp>/", views.check_in, name="check_in"),
    path("<int:pk>/check-in/<int:rsvp>/undo/", views.undo_check_in, name="undo_check_in"),
    path("<int:pk>/walk-in/", views.walk_in, name="walk_in"),
    path("<int:pk>/no-shows/", views.no_shows, name="no_shows"),
]

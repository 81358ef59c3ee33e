"""Public routes of this app, mounted at /events/."""

from django.urls import path

from groundswell.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("month/<int:year>/<int:month>/", views.month, name="month"),
    path("propose/", views.propose, name="propose"),
    path("propose/thanks/", views.proposed, name="proposed"),
    path("rsvp/<str:token>/cancel/", views.cancel, name="cancel"),
    path("rsvp/<str:token>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/rsvp", views.rsvp, name="rsvp"),
    path("<int:pk>/thanks", views.thanks, name="thanks"),
]

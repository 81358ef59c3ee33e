"""Public routes: the volunteer form at /volunteer/<org>/ (and /volunteer/<org>/<campaign>/)."""

from django.urls import path

from groundswell.volunteers import views

app_name = "volunteers"
urlpatterns = [
    # Before the organization's routes: "confirm" is not an organization's form.
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("<slug:org>/", views.signup, name="signup"),
    # No trailing slash, so it never takes a campaign's slug.
    path("<slug:org>/thanks", views.thanks, name="thanks"),
    path("<slug:org>/<slug:campaign>/", views.signup, name="campaign_signup"),
]

"""The public request for help with a case: /help/<org>/."""

from django.urls import path

from groundswell.cases import views

app_name = "cases"
urlpatterns = [
    path("<slug:org>/", views.request_help, name="request"),
    path("<slug:org>/thanks/", views.thanks, name="thanks"),
]

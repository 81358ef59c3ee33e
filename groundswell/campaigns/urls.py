"""Public routes: /campaigns/."""

from django.urls import path

from groundswell.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("verify/<str:token>/", views.verify, name="verify"),  # "verify" is a reserved slug
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/endorse/", views.endorse, name="endorse"),
    path("<slug:slug>/endorse/thanks", views.endorse_thanks, name="endorse_thanks"),
]

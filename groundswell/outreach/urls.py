"""Public pages of outreach actions, at /act/ (DESIGN.md's URL contract: /act/<slug>/)."""

from django.urls import path

from groundswell.outreach import views

app_name = "outreach"
urlpatterns = [
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/email", views.send_message, name="send_message"),
    path("<slug:slug>/call", views.record_call, name="record_call"),
    path("<slug:slug>/check-email", views.check_email, name="check_email"),
    path("<slug:slug>/thanks", views.thanks, name="thanks"),
    path("<slug:slug>/confirm/<str:token>/", views.confirm, name="confirm"),
    path("<slug:slug>/embed/", views.embed, name="embed"),
]

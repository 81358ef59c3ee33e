"""Public routes: /council/."""

from django.urls import path

from groundswell.legislation import views

app_name = "legislation"
urlpatterns = [
    path("", views.council, name="council"),
    path("people/<slug:slug>/", views.decision_maker, name="decision_maker"),
    path("matters/", views.matter_list, name="matters"),
    path("matters/<slug:slug>/", views.matter, name="matter"),
    path("matters/<slug:slug>/whip/<slug:org>/", views.whip_board, name="whip_board"),
]

"""The organizer area for legislation, mounted at /manage/<org>/legislation/."""

from django.urls import path

from groundswell.legislation import manage_views as views

app_name = "legislation_manage"
urlpatterns = [
    path("", views.index, name="index"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<slug:slug>/", views.person, name="person"),
    path("people/<slug:slug>/edit/", views.person_edit, name="person_edit"),
    path("people/<slug:slug>/terms/new/", views.term_create, name="term_create"),
    path("people/<slug:slug>/terms/<int:term>/", views.term_edit, name="term_edit"),
    path("matters/", views.matters, name="matters"),
    path("matters/new/", views.matter_create, name="matter_create"),
    path("matters/<slug:slug>/", views.matter, name="matter"),
    path("matters/<slug:slug>/edit/", views.matter_edit, name="matter_edit"),
    path(
        "matters/<slug:slug>/sponsors/<int:sponsorship>/remove/",
        views.sponsor_remove,
        name="sponsor_remove",
    ),
    path("boards/new/", views.board_create, name="board_create"),
    path("boards/<int:board>/", views.board, name="board"),
    path("boards/<int:board>/members/<slug:person>/", views.stance, name="stance"),
]

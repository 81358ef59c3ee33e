"""The organizer area for campaigns, mounted at /manage/<org>/campaigns/."""

from django.urls import path

from groundswell.campaigns import manage_views as views

app_name = "campaigns_manage"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.create, name="create"),  # "new" is a reserved campaign slug
    # "partnerships" is a reserved campaign slug
    path("partnerships/", views.partnerships, name="partnerships"),
    path(
        "partnerships/<int:invitation>/accept/",
        views.accept_partnership,
        name="accept_partnership",
    ),
    path(
        "partnerships/<int:invitation>/decline/",
        views.decline_partnership,
        name="decline_partnership",
    ),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/partnership/end/", views.leave, name="leave"),
    path("<slug:slug>/demands/new/", views.demand_create, name="demand_create"),
    path("<slug:slug>/demands/<int:demand>/", views.demand_edit, name="demand_edit"),
    path("<slug:slug>/demands/<int:demand>/move/", views.demand_move, name="demand_move"),
    path("<slug:slug>/demands/<int:demand>/status/", views.demand_status, name="demand_status"),
    path(
        "<slug:slug>/endorsements/<int:endorsement>/moderate/",
        views.moderate,
        name="moderate",
    ),
]

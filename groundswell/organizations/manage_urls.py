"""Mounted at /manage/<org>/: every view takes the organization's slug as `org`."""

from django.urls import path

from groundswell.organizations import manage_views as views

app_name = "organizations_manage"
urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.edit_settings, name="settings"),
    path("members/", views.members, name="members"),
    path("members/invite/", views.invite, name="invite"),
    path("members/<int:member>/role/", views.change_role, name="change_role"),
    path("members/<int:member>/remove/", views.remove_member, name="remove_member"),
    path(
        "invitations/<int:invitation>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("coalition/", views.coalition, name="coalition"),
    path("coalition/invite/", views.invite_coalition_member, name="invite_coalition_member"),
    path(
        "coalition/invitations/<int:invitation>/withdraw/",
        views.withdraw_coalition_invitation,
        name="withdraw_coalition_invitation",
    ),
    path(
        "coalition/invitations/<int:invitation>/accept/",
        views.accept_coalition_invitation,
        name="accept_coalition_invitation",
    ),
    path(
        "coalition/invitations/<int:invitation>/decline/",
        views.decline_coalition_invitation,
        name="decline_coalition_invitation",
    ),
    path(
        "coalition/<slug:member>/remove/",
        views.remove_coalition_member,
        name="remove_coalition_member",
    ),
    path("coalitions/<slug:coalition>/leave/", views.leave_coalition, name="leave_coalition"),
]

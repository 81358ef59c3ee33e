"""Routes for supporter rights: public (/people/...) and organizers' (/manage/<org>/people/...)."""

from django.urls import URLPattern, path

from groundswell.people import rights_views

public_urlpatterns: list[URLPattern] = [
    path("my-data/", rights_views.my_data, name="my_data"),
    path("my-data/sent/", rights_views.my_data_sent, name="my_data_sent"),
    path("my-data/erased/", rights_views.my_data_erased, name="my_data_erased"),
    path("my-data/<str:token>/", rights_views.my_data_link, name="my_data_link"),
    path("my-data/<str:token>/data.json", rights_views.my_data_json, name="my_data_json"),
    path("my-data/<str:token>/erase/", rights_views.my_data_erase, name="my_data_erase"),
]

manage_urlpatterns: list[URLPattern] = [
    path("audit/", rights_views.audit_log, name="audit"),
    path("erased/", rights_views.erased, name="erased"),
    path("<int:person>/rights/", rights_views.manage_rights, name="rights"),
    path("<int:person>/data/", rights_views.data_copy, name="data_copy"),
    path("<int:person>/data/send/", rights_views.send_data_link, name="send_data_link"),
    path("<int:person>/erase/", rights_views.erase, name="erase"),
]

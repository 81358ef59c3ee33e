"""Routes for supporter rights: public (/people/...) and organizers' (/manage/<org>/people/...)."""

from django.urls import URLPattern, path

from groundswell.people.rights import views as rights_views

public_urlpatterns: list[URLPattern] = [
    path("my-data/", rights_views.my_data, name="my_data"),
    path("my-data/sent/", rights_views.my_data_sent, name="my_data_sent"),
    path("my-data/erased/", rights_views.my_data_erased, name="my_data_erased"),
    # The data pages, opened by the emailed link's grant in the session (no token).
    path("my-data/view/", rights_views.my_data_view, name="my_data_view"),
    path("my-data/view/data.json", rights_views.my_data_json, name="my_data_json"),
    path("my-data/view/erase/", rights_views.my_data_erase, name="my_data_erase"),
    path("my-data/view/close/", rights_views.my_data_close, name="my_data_close"),
    # The emailed link: opens the data pages in this browser and redirects to them.
    path("my-data/<str:token>/", rights_views.my_data_link, name="my_data_link"),
]

manage_urlpatterns: list[URLPattern] = [
    path("audit/", rights_views.audit_log, name="audit"),
    path("erased/", rights_views.erased, name="erased"),
    path("<int:supporter>/rights/", rights_views.manage_rights, name="rights"),
    path("<int:supporter>/data/", rights_views.data_copy, name="data_copy"),
    path("<int:supporter>/data/send/", rights_views.send_data_link, name="send_data_link"),
    path("<int:supporter>/erase/", rights_views.erase, name="erase"),
    path("staff/<int:member>/erased/", rights_views.staff_erased, name="staff_erased"),
]

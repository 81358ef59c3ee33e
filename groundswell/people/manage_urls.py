"""Mounted at /manage/<org>/people/: every view takes the organization's slug as `org`.

Each part of the people area keeps its routes in its own module."""

from groundswell.people import import_urls, rights_urls, search_urls

app_name = "people_manage"
urlpatterns = [
    *search_urls.urlpatterns,
    *import_urls.urlpatterns,
    *rights_urls.manage_urlpatterns,
]

"""Mounted at /manage/<org>/people/: every view takes the organization's slug as `org`.

Each part of the people area keeps its routes in its own module."""

from groundswell.people.imports import urls as import_urls
from groundswell.people.rights import urls as rights_urls
from groundswell.people.search import urls as search_urls

app_name = "people_manage"
urlpatterns = [
    *search_urls.urlpatterns,
    *import_urls.urlpatterns,
    *rights_urls.manage_urlpatterns,
]

from django.urls import path

from groundswell.people import views
from groundswell.people.rights import urls as rights_urls

app_name = "people"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    *rights_urls.public_urlpatterns,
]

from django.urls import path

from groundswell.people import rights_urls, views

app_name = "people"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    *rights_urls.public_urlpatterns,
]

from django.urls import path

from groundswell.front import pages

app_name = "front"
urlpatterns = [
    path("", pages.home, name="home"),
]

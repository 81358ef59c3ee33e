from django.urls import path

from groundswell.front import views

app_name = "front_manage"
urlpatterns = [
    path("", views.manage_index, name="index"),
]

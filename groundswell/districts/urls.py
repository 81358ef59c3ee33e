from django.urls import path

from groundswell.districts import views

app_name = "districts"

urlpatterns = [
    path("locate.json", views.locate_json, name="locate_json"),
]

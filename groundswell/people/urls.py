from django.urls import path

from groundswell.people import views

app_name = "people"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

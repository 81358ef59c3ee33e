from django.urls import path

from groundswell.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("<slug:slug>/", views.detail, name="detail"),
]

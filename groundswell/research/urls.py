"""Public pages of research, at /research/."""

from django.urls import path

from groundswell.research import views

app_name = "research"
urlpatterns = [
    path("demands/<int:pk>/", views.demand, name="demand"),
    path("clauses/<int:pk>/", views.clause, name="clause"),
    path("data/<int:pk>/", views.dataset, name="dataset"),
    path("data/<int:pk>/export.csv", views.export, name="export"),
    path("money/", views.money_index, name="money_index"),
    path("money/boards/<int:pk>/", views.board_money, name="board_money"),
    path("money/<slug:slug>/", views.money_of, name="money"),
]

"""The organizer area for canvass, mounted at /manage/<org>/canvass/."""

from django.urls import URLPattern, URLResolver, path

from groundswell.canvass import manage_views as views

app_name = "canvass_manage"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.canvass_list, name="list"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/dashboard/", views.board, name="dashboard"),
    path("<slug:slug>/script/", views.script, name="script"),
    path("<slug:slug>/universe/", views.universe, name="universe"),
    path("<slug:slug>/universe/upload/", views.upload, name="upload"),
    path("<slug:slug>/cut/", views.cut, name="cut"),
    path("<slug:slug>/draw/", views.draw, name="draw"),
    path("<slug:slug>/codes/", views.issue, name="issue"),
    path("<slug:slug>/codes/<int:canvasser_id>/revoke/", views.revoke, name="revoke"),
    path("<slug:slug>/conflicts/<int:conflict_id>/", views.resolve, name="resolve"),
    path("<slug:slug>/key-in/", views.key_in, name="key_in"),
    path("<slug:slug>/do-not-knock/", views.do_not_knock, name="do_not_knock"),
    path("<slug:slug>/turfs/<int:number>/walk-sheet.pdf", views.sheet, name="walk_sheet"),
]

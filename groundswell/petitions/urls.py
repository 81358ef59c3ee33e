from django.urls import path, re_path

from groundswell.petitions import challenge, views

app_name = "petitions"
urlpatterns = [
    path("", views.petition_list, name="list"),
    path("verify/<str:token>/", views.verify, name="verify"),
    re_path(r"^(?P<slug>[-a-zA-Z0-9_]+)\.json$", views.petition_json, name="json"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/sign", views.sign, name="sign"),
    path("<slug:slug>/thanks", views.thanks, name="thanks"),
    path("<slug:slug>/embed/", views.embed, name="embed"),
    path("<slug:slug>/embed/sign", views.embed_sign, name="embed_sign"),
    path("<slug:slug>/embed/thanks", views.embed_thanks, name="embed_thanks"),
    path("<slug:slug>/count.json", views.count_json, name="count_json"),
    path("<slug:slug>/share.png", views.share_png, name="share_png"),
    path("<slug:slug>/qr.svg", views.qr_svg, name="qr"),
    path("<slug:slug>/challenge.json", challenge.challenge_json, name="challenge"),
]

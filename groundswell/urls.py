from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from groundswell.core import views as core_views

handler500 = "groundswell.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("healthz/app", core_views.healthz_app, name="healthz_app"),
    path("language/<str:code>/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("groundswell.accounts.urls")),
    path("orgs/", include("groundswell.organizations.urls")),
    path("manage/", include("groundswell.front.manage_urls")),
    path("manage/<slug:org>/", include("groundswell.organizations.manage_urls")),
    path("manage/<slug:org>/petitions/", include("groundswell.petitions.manage_urls")),
    path("manage/<slug:org>/people/", include("groundswell.people.manage.urls")),
    path("manage/<slug:org>/campaigns/", include("groundswell.campaigns.manage_urls")),
    path("manage/<slug:org>/events/", include("groundswell.events.manage_urls")),
    path("manage/<slug:org>/volunteers/", include("groundswell.volunteers.manage_urls")),
    path("manage/<slug:org>/api/webhooks/", include("groundswell.webhooks.manage_urls")),
    path("manage/<slug:org>/api/", include("groundswell.api.manage_urls")),
    path("manage/<slug:org>/legislation/", include("groundswell.legislation.manage_urls")),
    path("manage/<slug:org>/outreach/", include("groundswell.outreach.manage_urls")),
    path("manage/<slug:org>/cases/", include("groundswell.cases.manage_urls")),
    path("manage/<slug:org>/mailings/", include("groundswell.mailings.manage_urls")),
    path("manage/<slug:org>/ladders/", include("groundswell.ladders.manage_urls")),
    path("manage/<slug:org>/canvass/", include("groundswell.canvass.manage_urls")),
    path("manage/<slug:org>/texts/", include("groundswell.texts.manage_urls")),
    path("manage/<slug:org>/research/", include("groundswell.research.manage_urls")),
    path("petitions/", include("groundswell.petitions.urls")),
    # No slash here: /api/v2 and every route below it work with or without one.
    re_path(r"^api/v2", include("groundswell.api.urls")),
    path("people/", include("groundswell.people.urls")),
    path("districts/", include("groundswell.districts.urls")),
    path("council/", include("groundswell.legislation.urls")),
    path("act/", include("groundswell.outreach.urls")),
    path("help/", include("groundswell.cases.urls")),
    path("mail/", include("groundswell.mailings.urls")),
    path("canvass/", include("groundswell.canvass.urls")),
    path("texts/", include("groundswell.texts.urls")),
    path("research/", include("groundswell.research.urls")),
    path("campaigns/", include("groundswell.campaigns.urls")),
    path("events/", include("groundswell.events.urls")),
    path("volunteer/", include("groundswell.volunteers.urls")),
    path("", include("groundswell.front.urls")),
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        serve,
        {"document_root": settings.MEDIA_ROOT},
    ),
]

from django.contrib import admin
from django.urls import include, path

import medborgarlofte.urlconverters  # noqa: F401  (registers year, week, id …)
from medborgarlofte.publicsite.views import not_found

urlpatterns = [
    path("", include("medborgarlofte.publicsite.urls")),
    path("", include("medborgarlofte.crimestats.public_urls")),
    path("", include("medborgarlofte.dialogues.public_urls")),
    path("", include("medborgarlofte.incidents.public_urls")),
    path("", include("medborgarlofte.lagesbild.public_urls")),
    path("", include("medborgarlofte.followup.public_urls")),
    path("konto/", include("medborgarlofte.accounts.urls")),
    path("arbete/statistik/", include("medborgarlofte.crimestats.urls")),
    path("arbete/trygghet/", include("medborgarlofte.surveys.urls")),
    path("arbete/dialoger/", include("medborgarlofte.dialogues.urls")),
    path("arbete/handelser/", include("medborgarlofte.incidents.urls")),
    path("arbete/lagesbild/", include("medborgarlofte.lagesbild.urls")),
    path("arbete/uppfoljning/", include("medborgarlofte.followup.urls")),
    path("arbete/atgardsplan/", include("medborgarlofte.actionplans.urls")),
    path("arbete/radsrapport/", include("medborgarlofte.council.urls")),
    path("arbete/", include("medborgarlofte.privacy.urls")),
    path("arbete/", include("medborgarlofte.agreements.urls")),
    path("api/v1/", include("medborgarlofte.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin's "view on site" shortcut fetches any object by content type and id, across
    # kommuner (no tenant scope): closed. Nothing registered in the admin needs it.
    path("admin/r/<path:rest>", lambda request, rest: not_found(request)),
    path("admin/", admin.site.urls),
]

handler400 = "medborgarlofte.publicsite.views.bad_request"
handler404 = "medborgarlofte.publicsite.views.not_found"
handler500 = "medborgarlofte.publicsite.views.server_error"

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("medborgarlofte.publicsite.urls")),
    path("konto/", include("medborgarlofte.accounts.urls")),
    path("arbete/", include("medborgarlofte.agreements.urls")),
    path("api/v1/", include("medborgarlofte.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "medborgarlofte.publicsite.views.not_found"
handler500 = "medborgarlofte.publicsite.views.server_error"

from django.urls import path, re_path

from . import views

app_name = "crimestats"

urlpatterns = [
    path("nationella-filer/", views.national_upload, name="national-upload"),
    path("nationella-filer/importera/", views.national_import, name="national-import"),
    path("kommun/<str:code>/", views.statistics, name="statistics"),
    re_path(
        r"^kommun/(?P<code>[0-9]{4})/sammanfattning\.(?P<fmt>json|csv)$",
        views.download_summary,
        name="download-summary",
    ),
]

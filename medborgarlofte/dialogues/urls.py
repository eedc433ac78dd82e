from django.urls import path

import medborgarlofte.urlconverters  # noqa: F401  (registers year, week, id …)

from . import views

app_name = "dialogues"

K = "kommun/<str:code>/"

urlpatterns = [
    path(K, views.municipality, name="municipality"),
    path(K + "ny/", views.create_entry, name="create-entry"),
    path(K + "post/<id:pk>/", views.entry, name="entry"),
    path(K + "post/<id:pk>/teman/", views.update_themes, name="update-themes"),
    path(K + "post/<id:pk>/ta-bort/", views.delete_entry, name="delete-entry"),
    path(K + "importera/", views.import_upload, name="import-upload"),
    path(K + "importera/<str:token>/", views.import_mapping, name="import-mapping"),
]

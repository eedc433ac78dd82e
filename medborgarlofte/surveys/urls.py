from django.urls import path

import medborgarlofte.urlconverters  # noqa: F401  (registers year, week, id …)

from . import views

app_name = "surveys"

K = "kommun/<str:code>/"

urlpatterns = [
    path(K, views.municipality, name="municipality"),
    path(K + "importera/", views.import_survey, name="import-survey"),
    path(K + "troskelvarden/", views.set_thresholds, name="set-thresholds"),
    path(K + "ny-omgang/", views.create_wave, name="create-wave"),
    path(K + "omgang/<id:pk>/", views.wave, name="wave"),
    path(K + "omgang/<id:pk>/andra/", views.update_wave, name="update-wave"),
    path(K + "omgang/<id:pk>/ta-bort/", views.delete_wave, name="delete-wave"),
    path(K + "omgang/<id:pk>/varden/", views.save_value, name="save-value"),
    path(K + "varden/<id:pk>/ta-bort/", views.delete_value, name="delete-value"),
    path(K + "omgang/<id:pk>/angra/", views.undo_delete_value, name="undo-delete-value"),
]

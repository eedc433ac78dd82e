from django.urls import path

import medborgarlofte.urlconverters  # noqa: F401  (registers year, week, id …)

from . import (
    converters,  # noqa: F401  (registers followup_code, followup_period)
    todo_views,
    views,
)

app_name = "followup"


Y = "kommun/<followup_code:code>/<year:year>/"
A = Y + "aktiviteter/"
IND = Y + "indikatorer/<str:ref>/<index:number>/"
P = Y + "<followup_period:period>/"

urlpatterns = [
    path("att-gora/", todo_views.todo, name="todo"),
    path("att-gora/epost/", todo_views.todo_digest, name="todo-digest"),
    path("kommun/<followup_code:code>/", views.municipality, name="municipality"),
    path(Y, views.year, name="year"),
    path(A, views.activities, name="activities"),
    path(A + "ny/", views.add_activity, name="add-activity"),
    path(A + "import/", views.import_activities, name="import-activities"),
    path(A + "<id:pk>/ta-bort/", views.delete_activity, name="delete-activity"),
    path(A + "<id:pk>/underlag/", views.add_evidence, name="add-evidence"),
    path(Y + "underlag/<id:pk>/", views.download_evidence, name="download-evidence"),
    path(IND, views.indicator, name="indicator"),
    path(IND + "varde/", views.add_indicator_value, name="add-indicator-value"),
    path(IND + "kalla/", views.set_indicator_source, name="set-indicator-source"),
    path(Y + "rapport/", views.report, name="report"),
    path(Y + "rapport.pdf", views.report_download, name="report-pdf"),
    path(P, views.followup, name="followup"),
    path(P + "spara/", views.save_followup, name="save-followup"),
    path(P + "godkann/", views.approve_followup, name="approve-followup"),
    path(P + "publicera/", views.publish_followup, name="publish-followup"),
]

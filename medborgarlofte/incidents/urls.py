from django.urls import path

import medborgarlofte.urlconverters  # noqa: F401  (registers year, week, id …)

from . import views, weekly_views

app_name = "incidents"

K = "kommun/<str:code>/"
W = K + "vecka/<year:year>/<week:week>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("rapportera/<str:code>/", views.new_report, name="new-report"),
    path("mina/", views.my_reports, name="my-reports"),
    path("mina/<id:pk>/", views.edit_incident, name="edit-incident"),
    path(K, views.review, name="review"),
    path(K + "handelse/<id:pk>/", views.incident_detail, name="incident"),
    path(K + "handelse/<id:pk>/hanterad/", views.handle_incident, name="handle-incident"),
    path(K + "handelse/<id:pk>/dubblett/", views.merge_incident, name="merge-incident"),
    path(K + "platser/", views.places, name="places"),
    path(K + "platser/ny/", views.edit_place, name="add-place"),
    path(K + "platser/<id:pk>/", views.edit_place, name="edit-place"),
    path(K + "kategorier/", views.categories, name="categories"),
    path(K + "kategorier/<id:pk>/vaxla/", views.toggle_category, name="toggle-category"),
    path(K + "vecka/", weekly_views.week_current, name="current-week"),
    path(W, weekly_views.week, name="week"),
    path(W + "lagesbild.pdf", weekly_views.week_pdf, name="week-pdf"),
    path(W + "mote/", weekly_views.add_meeting, name="add-meeting"),
    path(K + "mote/<id:pk>/atgard/", weekly_views.add_action, name="add-action"),
    path(K + "atgard/<id:pk>/klar/", weekly_views.close_action, name="close-action"),
    path(K + "tertial/<year:year>/<tertial:tertial>/", weekly_views.tertial, name="tertial"),
    path(
        K + "tertial/<year:year>/<tertial:tertial>/analys.pdf",
        weekly_views.tertial_pdf,
        name="tertial-pdf",
    ),
]

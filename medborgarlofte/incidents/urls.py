from django.urls import path

from . import views, weekly_views

app_name = "incidents"

K = "kommun/<str:code>/"
W = K + "vecka/<int:year>/<int:week>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("rapportera/<str:code>/", views.new_report, name="new-report"),
    path("mina/", views.my_reports, name="my-reports"),
    path("mina/<int:pk>/", views.edit_incident, name="edit-incident"),
    path(K, views.review, name="review"),
    path(K + "handelse/<int:pk>/", views.incident_detail, name="incident"),
    path(K + "handelse/<int:pk>/hanterad/", views.handle_incident, name="handle-incident"),
    path(K + "handelse/<int:pk>/dubblett/", views.merge_incident, name="merge-incident"),
    path(K + "platser/", views.places, name="places"),
    path(K + "platser/ny/", views.edit_place, name="add-place"),
    path(K + "platser/<int:pk>/", views.edit_place, name="edit-place"),
    path(K + "kategorier/", views.categories, name="categories"),
    path(K + "kategorier/<int:pk>/vaxla/", views.toggle_category, name="toggle-category"),
    path(K + "vecka/", weekly_views.week_current, name="current-week"),
    path(W, weekly_views.week, name="week"),
    path(W + "lagesbild.pdf", weekly_views.week_pdf, name="week-pdf"),
    path(W + "mote/", weekly_views.add_meeting, name="add-meeting"),
    path(K + "mote/<int:pk>/atgard/", weekly_views.add_action, name="add-action"),
    path(K + "atgard/<int:pk>/klar/", weekly_views.close_action, name="close-action"),
    path(K + "tertial/<int:year>/<int:tertial>/", weekly_views.tertial, name="tertial"),
    path(
        K + "tertial/<int:year>/<int:tertial>/analys.pdf",
        weekly_views.tertial_pdf,
        name="tertial-pdf",
    ),
]

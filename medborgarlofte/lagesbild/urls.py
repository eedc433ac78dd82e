from django.urls import path

import medborgarlofte.urlconverters  # noqa: F401  (registers year, week, id …)

from . import views

app_name = "lagesbild"

K = "kommun/<str:code>/"
D = "<id:pk>/"

urlpatterns = [
    path(K, views.municipality, name="municipality"),
    path(K + "ny/", views.create_lagesbild, name="create-lagesbild"),
    path(K + "program/", views.add_programme, name="add-programme"),
    path(K + "program/<id:item>/ta-bort/", views.delete_programme, name="delete-programme"),
    path(K + "underrattelser/", views.intelligence, name="intelligence"),
    path(K + "underrattelser/spara/", views.save_intelligence, name="save-intelligence"),
    path(D, views.document, name="document"),
    path(D + "lagesbild.pdf", views.document_pdf, name="document-pdf"),
    path(D + "lagesbild.json", views.export, name="export"),
    path(D + "uppgifter/", views.update_details, name="update-details"),
    path(D + "problem/", views.add_problem, name="add-problem"),
    path(D + "problem/<id:item>/", views.update_problem, name="update-problem"),
    path(D + "problem/<id:item>/flytta/", views.move_problem, name="move-problem"),
    path(D + "problem/<id:item>/underlag/", views.add_evidence, name="add-evidence"),
    path(D + "underlag/<id:item>/ta-bort/", views.delete_evidence, name="delete-evidence"),
    path(D + "konsekvenser/", views.add_consequence, name="add-consequence"),
    path(
        D + "konsekvenser/<id:item>/ta-bort/",
        views.delete_consequence,
        name="delete-consequence",
    ),
    path(D + "sortera/", views.sort_problems, name="sort-problems"),
    path(D + "godkannande/", views.approve, name="approve"),
    path(D + "version/<number:number>/", views.version_detail, name="version"),
    path(D + "version/<number:number>/lagesbild.pdf", views.version_pdf, name="version-pdf"),
    path(D + "version/<number:number>/beslut/", views.decide_version, name="decide-version"),
]

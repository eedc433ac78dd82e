from django.urls import path

import medborgarlofte.urlconverters  # noqa: F401  (registers id …)

from . import views

app_name = "actionplans"

K = "kommun/<str:code>/"
D = "<id:pk>/"
M = D + "atgard/<id:item>/"

urlpatterns = [
    path(K, views.municipality, name="municipality"),
    path(K + "ny/", views.create_plan, name="create-plan"),
    path(K + "importera/", views.import_page, name="import-plan"),
    path(K + "importera/ladda-upp/", views.upload_plan, name="upload-plan"),
    path(D, views.plan, name="plan"),
    path(D + "atgardsplan.pdf", views.plan_pdf, name="plan-pdf"),
    path(D + "uppgifter/", views.update_plan, name="update-plan"),
    path(D + "atgard/", views.add_measure, name="add-measure"),
    path(M, views.update_measure, name="update-measure"),
    path(M + "uppfoljning/", views.record_followup, name="record-followup"),
    path(M + "lofte/", views.to_commitment, name="to-commitment"),
    path(D + "godkannande/", views.approve, name="approve"),
    path(D + "beslut/", views.decide, name="decide"),
    path(D + "revidera/", views.revise, name="revise"),
    path(K + "samverkan/ny/", views.create_cooperation, name="create-cooperation"),
    path("samverkan/" + D, views.cooperation, name="cooperation"),
    path("samverkan/" + D + "uppgifter/", views.update_cooperation, name="update-cooperation"),
    path("samverkan/" + D + "mal/", views.add_goal, name="add-goal"),
    path("samverkan/" + D + "underskrift/", views.sign_cooperation, name="sign-cooperation"),
    path(
        "samverkan/" + D + "lofte/<id:agreement>/<str:ref>/",
        views.commitment_goals,
        name="commitment-goals",
    ),
]

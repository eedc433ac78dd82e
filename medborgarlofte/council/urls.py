from django.urls import path

import medborgarlofte.urlconverters  # noqa: F401  (registers id …)

from . import views

app_name = "council"

K = "kommun/<str:code>/"

urlpatterns = [
    path(K, views.report_page, name="report"),
    path(K + "pdf/", views.report_pdf, name="report-pdf"),
    path(K + "docx/", views.report_docx, name="report-docx"),
    path("atgardsplan/<id:pk>/json/", views.plan_export, name="plan-export"),
]

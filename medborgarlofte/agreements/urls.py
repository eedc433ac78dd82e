from django.urls import path, register_converter

import medborgarlofte.urlconverters  # noqa: F401  (registers year, week, id …)

from . import views

app_name = "agreements"


class FormatConverter:
    regex = "yaml|json|pdf|docx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "docformat")

V = "avtal/<id:pk>/version/<number:number>/"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kommun/<str:code>/", views.municipality, name="municipality"),
    path("kommun/<str:code>/ladda-upp/", views.upload_agreement, name="upload-agreement"),
    path("kommun/<str:code>/logg/", views.audit_log, name="audit-log"),
    path("avtal/<id:pk>/", views.agreement, name="agreement"),
    path("avtal/<id:pk>/ny-version/", views.new_version, name="new-version"),
    path("avtal/<id:pk>/historik/", views.history, name="history"),
    path("avtal/<id:pk>/nasta-period/", views.copy_agreement, name="copy-agreement"),
    path(V, views.version_detail, name="version"),
    path(V + "dokument.<docformat:fmt>", views.download, name="download-version"),
    path(V + "uppgifter/", views.update_details, name="update-details"),
    path(V + "fokusomraden/", views.add_focus_area, name="add-focus-area"),
    path(V + "fokusomraden/<id:item>/", views.update_focus_area, name="update-focus-area"),
    path(V + "fokusomraden/<id:item>/ta-bort/", views.delete_focus_area, name="delete-focus-area"),
    path(V + "brottskategorier/", views.add_crime_category, name="add-crime-category"),
    path(
        V + "brottskategorier/<id:item>/ta-bort/",
        views.delete_crime_category,
        name="delete-crime-category",
    ),
    path(
        V + "brottskategorier/<id:item>/",
        views.update_crime_category,
        name="update-crime-category",
    ),
    path(V + "parter/", views.add_party, name="add-party"),
    path(V + "parter/<id:item>/", views.update_party, name="update-party"),
    path(V + "undertecknare/", views.add_signatory, name="add-signatory"),
    path(V + "undertecknare/<id:item>/", views.update_signatory, name="update-signatory"),
    path(V + "underlag/", views.add_basis_item, name="add-basis-item"),
    path(V + "underlag/<id:item>/", views.update_basis_item, name="update-basis-item"),
    path(V + "loften/<id:item>/slopa/", views.drop_commitment, name="drop-commitment"),
    path(V + "avsnitt/", views.add_section, name="add-section"),
    path(V + "avsnitt/<id:item>/", views.update_section, name="update-section"),
    path(V + "avsnitt/<id:item>/loften/", views.add_commitment, name="add-commitment"),
    path(V + "loften/<id:item>/", views.update_commitment, name="update-commitment"),
    path(V + "loften/<id:item>/indikatorer/", views.add_indicator, name="add-indicator"),
    path(V + "indikatorer/<id:item>/ta-bort/", views.delete_indicator, name="delete-indicator"),
    path(V + "angra/", views.undo_delete, name="undo-delete"),
    path(V + "godkannande/", views.approve, name="approve"),
    path(V + "publicera/", views.publish, name="publish"),
    # issue 4: lägesbild priorities and "why this promise"
    path(V + "prioriteringar/", views.apply_priorities, name="apply-priorities"),
    path(V + "loften/<id:item>/problem/", views.link_problems, name="link-problems"),
]

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("personuppgifter/avfarda/", views.dismiss, name="dismiss-finding"),
]

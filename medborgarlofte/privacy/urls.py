from django.urls import path

from . import comments, views

app_name = "privacy"
urlpatterns = [
    path("personuppgifter/avfarda/", views.dismiss, name="dismiss-finding"),
    # issue 18: comments between the parties on a draft (accounts/comments.py)
    path("kommentarer/<slug:kind>/<id:pk>/", comments.comment, name="comment"),
]

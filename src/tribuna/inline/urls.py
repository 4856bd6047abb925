from django.urls import path

from tribuna.inline import views

app_name = "inline"

urlpatterns = [
    path("statements/<slug:slug>/annotations.jsonld", views.annotations_page, name="annotations"),
]

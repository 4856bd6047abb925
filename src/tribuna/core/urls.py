from django.urls import include, path

from tribuna.core import views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/<str:language>.json", views.js_catalog, name="js_catalog"),
]

from django.urls import path

from tribuna.statements import views

app_name = "statements"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", views.StatementFeed(), name="feed"),
    path("statements/<slug:slug>/", views.detail, name="detail"),
]

from django.urls import path

from tribuna.discussion import views

app_name = "discussion"

urlpatterns = [
    path("statements/<slug:slug>/comment", views.post_comment, name="post_comment"),
]

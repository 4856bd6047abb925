from django.urls import path

from tribuna.imports import views

app_name = "imports"

urlpatterns = [
    path("moderation/threads/<int:pk>/comments.<str:fmt>", views.thread_export, name="thread_export"),
]

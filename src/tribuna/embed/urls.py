from django.urls import path

from tribuna.embed import views

app_name = "embed"

urlpatterns = [
    path("embed.js", views.embed_js, name="js"),
    path("embed.css", views.embed_css, name="css"),
]

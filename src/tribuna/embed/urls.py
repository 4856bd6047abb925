from django.urls import path

from tribuna.embed import views

app_name = "embed"

urlpatterns = [
    path("embed.js", views.embed_js, name="js"),
    path("embed.css", views.embed_css, name="css"),
    path("altcha.js", views.altcha_js, name="altcha"),
    path("altcha-worker.js", views.altcha_worker, name="altcha_worker"),
    path("altcha.css", views.altcha_css, name="altcha_css"),
]

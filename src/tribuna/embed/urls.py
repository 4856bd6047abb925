from django.urls import path

from tribuna.embed import views

app_name = "embed"

urlpatterns = [
    path("embed.js", views.asset_view, {"kind": "js"}, name="js"),
    path("embed.css", views.asset_view, {"kind": "css"}, name="css"),
    path("count.js", views.asset_view, {"kind": "count"}, name="count"),
    path("altcha.js", views.asset_view, {"kind": "altcha"}, name="altcha"),
    path("altcha-worker.js", views.asset_view, {"kind": "altcha-worker"}, name="altcha_worker"),
    path("altcha.css", views.asset_view, {"kind": "altcha-css"}, name="altcha_css"),
]

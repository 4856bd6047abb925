from django.urls import path

from tribuna.notifications import views

app_name = "notifications"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("moderate/<str:token>", views.moderate, name="moderate"),
    path("mailbox/", views.mailbox_index, name="mailbox"),
    path("mailbox/<str:name>/<int:index>/", views.mailbox_message, name="mailbox_message"),
]

from django.contrib.auth import views as auth_views
from django.urls import include, path

from tribuna.core import views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/<str:language>.json", views.js_catalog, name="js_catalog"),
    path("account/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

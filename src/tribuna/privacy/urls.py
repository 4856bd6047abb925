from django.urls import path, re_path

from tribuna.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/<str:token>/", views.my_data_manage, name="my_data_manage"),
    path("my-data/<str:token>/export", views.my_data_export, name="my_data_export"),
    path("my-data/<str:token>/erase", views.my_data_erase, name="my_data_erase"),
    path("my-data/<str:token>/known", views.my_data_known, name="my_data_known"),
    re_path(r"^avatar/(?P<digest>[0-9a-f]{32})\.svg$", views.avatar, name="avatar"),
    path("moderation/personal-data/", views.personal_data, name="personal_data"),
]

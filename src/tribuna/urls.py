from django.contrib import admin
from django.urls import include, path

from tribuna.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("tribuna.antispam.urls")),
    path("", include("tribuna.embed.urls")),
    path("", include("tribuna.imports.urls")),
    path("", include("tribuna.inline.urls")),
    path("", include("tribuna.moderation.urls")),
    path("", include("tribuna.notifications.urls")),
    path("", include("tribuna.privacy.urls")),
    path("", include("tribuna.statements.urls")),
]

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from tribuna.api import api
from tribuna.statements.sitemaps import StatementSitemap

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
    path("sitemap.xml", sitemap, {"sitemaps": {"statements": StatementSitemap}}, name="sitemap"),
    path("", include("tribuna.core.urls")),
    path("", include("tribuna.antispam.urls")),
    path("", include("tribuna.discussion.urls")),
    path("", include("tribuna.embed.urls")),
    path("", include("tribuna.imports.urls")),
    path("", include("tribuna.inline.urls")),
    path("", include("tribuna.moderation.urls")),
    path("", include("tribuna.notifications.urls")),
    path("", include("tribuna.privacy.urls")),
    path("", include("tribuna.statements.urls")),
]

"""The site's pages, without the JSON API.

The worker builds links in mail with reverse(), which loads a whole URLconf: this one spares
it the API's routers and schemas (building them costs memory and a good part of a second).
tribuna.urls adds the API for the web processes.
"""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from tribuna.statements.sitemaps import StatementSitemap

urlpatterns = [
    path("admin/", admin.site.urls),
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

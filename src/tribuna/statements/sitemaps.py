"""sitemap.xml: every published statement, so search engines find the site's statements."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from tribuna.statements.models import Statement


class StatementSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Statement.objects.published().order_by("-published_at", "-id")

    def lastmod(self, item: Statement):
        return item.updated

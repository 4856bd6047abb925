"""Every URL the web processes answer: the site's pages and the JSON API."""

from django.urls import path

from tribuna.api import api
from tribuna.site_urls import urlpatterns as site_urlpatterns

urlpatterns = [path("api/v1/", api.urls), *site_urlpatterns]

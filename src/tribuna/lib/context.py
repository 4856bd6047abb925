"""Template context shared by every page."""

from django.conf import settings


def site(request):
    return {"site_name": settings.TRIBUNA_SITE_NAME, "base_url": settings.BASE_URL}

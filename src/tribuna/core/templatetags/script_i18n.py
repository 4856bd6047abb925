"""{% script_catalogue %}: the page's scripts' translations, inline as JSON (never executed, so CSP-safe)."""

from __future__ import annotations

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from tribuna.core.views import script_catalogue as catalogue_for

register = template.Library()


@register.simple_tag
def script_catalogue() -> SafeString:
    return json_script(catalogue_for(get_language()), "tribuna-i18n")

"""The only way templates mark HTML safe: by passing it through the sanitiser again.

Stored HTML was sanitised when it was saved; sanitising is idempotent, so doing it again
here costs microseconds and means no template ever trusts a stored string on its own.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

from tribuna.lib.markup import sanitise_comment_html, sanitise_statement_html

register = template.Library()


@register.filter
def comment_html(value: str) -> SafeString:
    return mark_safe(sanitise_comment_html(value or ""))  # noqa: S308 - sanitiser output


@register.filter
def statement_html(value: str) -> SafeString:
    return mark_safe(sanitise_statement_html(value or ""))  # noqa: S308 - sanitiser output
